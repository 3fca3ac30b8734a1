"""The auditor's pages: verify every case, or one case from its page, with a report of what was checked."""
from flask import abort, render_template
from flask_login import current_user, login_required

from ..extensions import db
from ..services import cases, integrity


def _auditor():
    if not current_user.has_role("auditor", "admin"):
        abort(403)


@login_required
def index():
    _auditor()
    reports = integrity.check_all(record=True)
    db.session.commit()
    problems = [p for r in reports for p in r.problems]
    totals = {k: sum(getattr(r, k) for r in reports) for k in ("events", "documents", "attachments")}
    return render_template("audit/index.html", count=len(reports), problems=problems, reports=reports,
                           totals=totals)


@login_required
def verify_case(case_id):
    _auditor()
    case = cases.get_case(current_user, case_id)
    report = integrity.check_case(case, record=True)
    db.session.commit()
    return render_template("audit/case.html", case=case, report=report)
