"""The statistics table as people read it: columns, number formats, the CSV file."""
import csv
import io

from ..services.statistics import Figures, Report

# (header, how one cell is written); the page and the CSV share them so they never disagree.
COLUMNS = [
    ("受理", lambda f: str(f.received)),
    ("办结", lambda f: str(f.completed)),
    ("终止", lambda f: str(f.terminated)),
    ("办结率", lambda f: percent(f.completion_rate)),
    ("按期办结", lambda f: str(f.on_time)),
    ("逾期办结", lambda f: str(f.late)),
    ("按期办结率", lambda f: percent(f.on_time_rate)),
    ("当前超期", lambda f: str(f.overdue_now)),
    ("平均办理天数", lambda f: "" if f.average_days is None else f"{f.average_days:.1f}"),
]
HEADERS = [name for name, _ in COLUMNS]


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def cells(figures: Figures) -> list[str]:
    return [write(figures) for _, write in COLUMNS]


def csv_bytes(report: Report) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese text as Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["部门", "流程", *HEADERS])
    for row in report.rows:
        writer.writerow([row.department_name, row.process_name, *cells(row.figures)])
    for row in report.by_process:
        writer.writerow(["合计", row.process_name, *cells(row.figures)])
    writer.writerow(["总计", "全部流程", *cells(report.total)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
