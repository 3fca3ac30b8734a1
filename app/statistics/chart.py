"""Geometry of the statistics bar chart; the template draws it as inline SVG (labels escaped there).

One group of horizontal bars per department and process: received, completed and overdue now, on one
scale, so departments compare at a glance without any script.
"""
from dataclasses import dataclass

from ..services.statistics import Report

SERIES = [("received", "受理", "#3e6fb0"), ("completed", "办结", "#067647"), ("overdue_now", "当前超期", "#b42318")]
LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH = 330, 420, 50
LABEL_CHARS = 25  # at 12 px a CJK character is 12 px wide: longer labels are cut, the full one is the tooltip
BAR, GAP, TOP, LEGEND = 12, 14, 8, 28


@dataclass
class Bar:
    y: int
    width: float
    value: int
    color: str
    title: str


@dataclass
class Group:
    label: str
    short: str
    y: int  # baseline of the label
    bars: list[Bar]


@dataclass
class Chart:
    width: int
    height: int
    label_width: int
    groups: list[Group]
    legend: list[tuple[str, str]]


def bar_chart(report: Report) -> Chart | None:
    """None when every figure charted is zero (an empty chart tells nothing)."""
    rows = report.rows
    peak = max((getattr(r.figures, key) for r in rows for key, _, _ in SERIES), default=0)
    if peak == 0:
        return None
    groups, y = [], TOP + LEGEND
    for row in rows:
        bars = []
        for i, (key, title, color) in enumerate(SERIES):
            value = getattr(row.figures, key)
            bars.append(Bar(y + i * BAR, PLOT_WIDTH * value / peak, value, color, title))
        label = f"{row.department_name} · {row.process_name}"
        short = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"
        groups.append(Group(label, short, y + BAR * len(SERIES) // 2 + 4, bars))
        y += BAR * len(SERIES) + GAP
    return Chart(LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, y, LABEL_WIDTH, groups,
                 [(title, color) for _, title, color in SERIES])
