"""Logging in: the password check with a throttle against guessing.

Failures are counted per username in ``login_throttle``, whether or not the account exists, and an unknown
username costs the same hashing time as a known one: neither the answer, nor the lock, nor the time tells an
attacker which usernames exist.  After ``LOGIN_MAX_FAILURES`` failures the username is locked for
``LOGIN_LOCK_MINUTES`` — even the right password is refused meanwhile — until it expires or an administrator
unlocks it.  The per-address limit is Flask-Limiter's, on the login view.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import LoginThrottle, User
from ..models.types import utcnow
from . import passwords
from .errors import ServiceError


class LoginLocked(ServiceError):
    status = 429


def _key(username: str) -> str:
    return username.strip().lower()[:200]


def _locked_message(until) -> str:
    minutes = max(1, int((until - utcnow()).total_seconds() // 60) + 1)
    return (f"登录失败次数过多，该账户已暂时锁定，请 {minutes} 分钟后再试，或请系统管理员解锁"
            f"（连续 {current_app.config['LOGIN_MAX_FAILURES']} 次密码错误后锁定）")


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None; raise :class:`LoginLocked` while locked.

    Commits its own bookkeeping (a failure counts even though the request then fails)."""
    username = (username or "").replace("\x00", "")
    key = _key(username)
    throttle = db.session.get(LoginThrottle, key)
    now = utcnow()
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        passwords.check_against_nothing(password)  # a locked answer takes as long as any other
        raise LoginLocked(_locked_message(throttle.locked_until))
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        passwords.check_against_nothing(password)
        ok = False
    else:
        ok = passwords.matches(user.password_hash, password) and user.active
    if ok:
        if throttle is not None:
            db.session.delete(throttle)
        db.session.commit()
        return user
    try:
        _count_failure(key, throttle, now)
    except IntegrityError:
        # Another request inserted the first failure of this username at the same moment: count on its row.
        db.session.rollback()
        _count_failure(key, db.session.get(LoginThrottle, key), now)
    return None


def _count_failure(key: str, throttle: LoginThrottle | None, now) -> None:
    window = timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    if throttle is None:
        throttle = LoginThrottle(username=key, failures=0)
        db.session.add(throttle)
    if throttle.first_failure_at is None or now - throttle.first_failure_at > window:
        throttle.failures, throttle.first_failure_at, throttle.locked_until = 0, now, None
    throttle.failures += 1
    if throttle.failures >= current_app.config["LOGIN_MAX_FAILURES"]:
        throttle.locked_until = now + window
    db.session.commit()


def is_locked(username: str) -> bool:
    throttle = db.session.get(LoginThrottle, _key(username))
    return bool(throttle and throttle.locked_until and throttle.locked_until > utcnow())


def unlock(username: str) -> None:
    """Forget the failures of ``username`` (administrators; the caller commits)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.username == _key(username)))
