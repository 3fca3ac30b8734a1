"""Thin handlers of the information-submission pages; the rules live in scores.py and bulletin.py."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..services.clock import today
from ..services.errors import Invalid
from . import bulletin, codes, scores
from .chart import points_chart


def _period():
    year = request.args.get("year") or today().year
    return scores.period(year, request.args.get("month"))


@login_required
def ranking():
    scores.require_reader(current_user)
    try:
        year, month = _period()
    except Invalid as exc:
        return render_template("information/ranking.html", standings=[], chart=None, year=today().year,
                               month=None, errors=exc.fields), 422
    standings = scores.ranking(year, month)
    if request.args.get("format") == "csv":
        name = f"information-scores-{year}" + (f"-{month:02d}" if month else "") + ".csv"
        return current_app.response_class(scores.csv_text(standings), mimetype="text/csv; charset=utf-8",
                                          headers={"Content-Disposition": f"attachment; filename={name}"})
    return render_template("information/ranking.html", standings=standings, chart=points_chart(standings),
                           year=year, month=month, errors={}, table=scores_table())


def scores_table():
    from . import settings
    table = settings.scores()
    return [(codes.ADOPTION_PLACES[p], table[p]) for p in codes.ADOPTION_PLACES] + [("迟报", table[codes.LATE])]


@login_required
def mine():
    try:
        year, _ = scores.period(request.args.get("year") or today().year)
    except Invalid as exc:
        flash(exc.fields.get("year", exc.message), "error")
        year = today().year
    items = scores.department_items(current_user, year)
    return render_template("information/mine.html", items=items, year=year, codes=codes,
                           total=sum(i.points for i in items))


@login_required
def on_call():
    scores.require_reader(current_user)
    return render_template("information/on_call.html", items=scores.open_incidents())


@login_required
def bulletin_page():
    scores.require_reader(current_user)
    return render_template("information/bulletin.html", pending=bulletin.pending(), issues=bulletin.issues(),
                           may_issue=scores.is_editor(current_user))


@login_required
def issue_bulletin():
    issued = bulletin.issue(current_user)
    flash(f"已编发《政务信息》{issued.year}年第{issued.number}期", "success")
    return redirect(url_for("information.bulletin_page"))


@login_required
def bulletin_pdf(bulletin_id):
    found = bulletin.get(current_user, bulletin_id)
    response = current_app.response_class(found.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename=zhengwu-xinxi-{found.year}-{found.number}.pdf"
    return response
