from flask import Response, render_template, request, url_for
from flask_login import current_user, login_required

from ..services import statistics
from ..services.clock import today
from ..services.errors import Invalid
from . import chart, table

PRESETS = [("month", "本月"), ("quarter", "本季度"), ("year", "本年")]


def _period():
    return statistics.parse_period(request.args.get("from"), request.args.get("to"), request.args.get("preset"))


@login_required
def index():
    statistics.department_scope(current_user)  # refuse before reading any argument
    presets = statistics.presets(today())
    links = [(label, url_for("statistics.index", **{"from": presets[key][0], "to": presets[key][1]}))
             for key, label in PRESETS]
    try:
        date_from, date_to = _period()
    except Invalid as exc:
        return render_template("statistics/index.html", error=exc, report=None, presets=links,
                               date_from=request.args.get("from", ""), date_to=request.args.get("to", "")), 422
    report = statistics.department_statistics(current_user, date_from, date_to)
    return render_template("statistics/index.html", error=None, report=report, presets=links,
                           date_from=date_from, date_to=date_to, chart=chart.bar_chart(report),
                           headers=table.HEADERS, cells=table.cells,
                           csv_url=url_for("statistics.csv_export", **{"from": date_from, "to": date_to}))


@login_required
def csv_export():
    statistics.department_scope(current_user)
    date_from, date_to = _period()
    report = statistics.department_statistics(current_user, date_from, date_to)
    filename = f"statistics-{date_from}-{date_to}.csv"
    return Response(table.csv_bytes(report), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "X-Content-Type-Options": "nosniff"})
