from flask import abort, render_template
from flask_login import current_user, login_required

from ..services import history


@login_required
def index():
    if not current_user.has_role("auditor", "admin"):
        abort(403)
    count, problems = history.verify_all()
    return render_template("audit/index.html", count=count, problems=problems)
