from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from .. import sessions
from ..extensions import db
from ..services import login as login_service
from ..services import users
from .forms import LoginForm


def _safe_next(target: str | None, user=None) -> str:
    # Only local paths: never redirect a freshly logged-in user off-site.
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return _home(user)


def _home(user) -> str:
    """Where a person starts: an auditor, who works no tasks, on the audit log; everyone else in the inbox."""
    if user is not None and user.has_role("auditor") and not user.has_role("officer", "head", "supervisor", "admin"):
        return url_for("audit.index")
    return url_for("inbox.index")


def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = login_service.authenticate(form.username.data, form.password.data)
        except login_service.LoginLocked as exc:
            flash(exc.message, "error")
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            sessions.start(user)
            return redirect(_safe_next(request.args.get("next"), user))
        flash("用户名或密码错误", "error")
    return render_template("auth/login.html", form=form)


@login_required
def logout():
    users.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash("已退出登录", "info")
    return redirect(url_for("auth.login"))
