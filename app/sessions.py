"""Browser sessions that the server can end.

The signed cookie carries the user's ``session_generation`` at login, the login time and the time of the last
request.  A session is refused when the generation is older than the user's (logout, a new password or
deactivation bumped it), after ``SESSION_IDLE_MINUTES`` without a request, and ``SESSION_MAX_HOURS`` after
login whatever happens.
"""
import time
from datetime import timedelta

from flask import current_app, flash, session
from flask_login import login_user

from .extensions import db
from .models import User


def start(user: User) -> None:
    """Log ``user`` in with a fresh session: nothing of an earlier visitor's session survives but the CSRF
    secret (a form's token taken before logging in stays valid)."""
    csrf_secret = session.get("csrf_token")
    session.clear()
    if csrf_secret:
        session["csrf_token"] = csrf_secret
    login_user(user)
    now = int(time.time())
    session.update({"gen": user.session_generation, "login_at": now, "seen_at": now})
    session.permanent = True
    current_app.permanent_session_lifetime = timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def load(user_id: str) -> User | None:
    """Flask-Login's user loader: the user of a session that is still valid, else None (and the session ends)."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError, OverflowError):
        user = None
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_MAX_HOURS"] * 3600
    reason = None
    if user is None or session.get("gen") != user.session_generation:
        reason = "您已退出登录，请重新登录"
    elif now - int(session.get("login_at", 0)) > absolute:
        reason = f"登录已超过 {current_app.config['SESSION_MAX_HOURS']} 小时，请重新登录"
    elif now - int(session.get("seen_at", 0)) > idle:
        reason = f"超过 {current_app.config['SESSION_IDLE_MINUTES']} 分钟未操作，请重新登录"
    if reason:
        session.clear()
        flash(reason, "info")
        return None
    if now - int(session["seen_at"]) >= 60:  # refresh at most once a minute: fewer new cookies
        session["seen_at"] = now
    return user
