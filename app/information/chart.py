"""Geometry of the ranking chart: one horizontal bar per department, its points (negative points to the left
of the axis); the template draws it as inline SVG, labels escaped there."""
from dataclasses import dataclass

LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH, BAR, GAP, TOP = 160, 420, 50, 14, 8, 8


@dataclass
class Bar:
    label: str
    x: float
    y: int
    width: float
    value: int


@dataclass
class Chart:
    width: int
    height: int
    axis_x: float
    bars: list


def points_chart(standings) -> Chart | None:
    """None when every department has zero points (an empty chart tells nothing)."""
    if not standings or all(s.points == 0 for s in standings):
        return None
    low = min(0, min(s.points for s in standings))
    high = max(0, max(s.points for s in standings))
    scale = PLOT_WIDTH / (high - low)
    axis = LABEL_WIDTH + (-low) * scale
    bars, y = [], TOP
    for s in standings:
        width = abs(s.points) * scale
        bars.append(Bar(f"{s.rank}. {s.name}", axis if s.points >= 0 else axis - width, y, width, s.points))
        y += BAR + GAP
    return Chart(LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, y + TOP, axis, bars)
