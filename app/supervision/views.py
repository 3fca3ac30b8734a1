"""The bulletin page of the supervision office head: pick a period, issue the numbered PDF (a POST: each
issue takes the next number of the bulletin series). Rules live in bulletin.py."""
import datetime

from flask import current_app, render_template, request
from flask_login import current_user, login_required

from ..extensions import db
from ..services.clock import today
from . import bulletin


def _date(name, default):
    try:
        return datetime.date.fromisoformat(request.values.get(name, ""))
    except ValueError:
        return default


@login_required
def bulletin_page():
    bulletin.require_reader(current_user)
    day = today()
    start, end = _date("from", day.replace(day=1)), _date("to", day)
    if request.method != "POST" or end < start:
        return render_template("supervision/bulletin_form.html", start=start, end=end,
                               error="结束日期不能早于开始日期" if end < start else None), \
            (422 if end < start else 200)
    report = bulletin.issue(start, end, day)
    pdf = bulletin.render(report, current_app.config["AGENCY"], day)
    db.session.commit()
    response = current_app.response_class(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename=supervision-bulletin-{start}-{end}.pdf"
    return response
