"""Users, passwords and personal API tokens.

Account administration (create, edit roles and department, deactivate, reset passwords, unlock, revoke
anybody's token) is for administrators; everyone changes their own password and manages their own tokens.
Whatever ends someone's access (deactivation, a new password) also ends their open sessions, through
``session_generation`` (checked on every request by :mod:`app.sessions`).
"""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..db_setup import ensure_write_lock
from ..extensions import db
from ..models import ROLES, ApiToken, Department, User, UserRole
from ..models.types import utcnow
from . import login, passwords
from .errors import Forbidden, Invalid, NotFound

TOKEN_NAME_MAX = 100


def require_admin(actor: User) -> None:
    if actor is None or not actor.is_active or not actor.has_role("admin"):
        raise Forbidden("只有系统管理员可以管理账户")


def _department(code: str | None) -> Department | None:
    if not code:
        return None
    department = db.session.execute(select(Department).where(Department.code == code)).scalar_one_or_none()
    if department is None:
        raise NotFound(f"部门 {code} 不存在")
    return department


def _check_roles(roles: list[str]) -> None:
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise Invalid(f"未知角色：{', '.join(unknown)}（可选：{', '.join(ROLES)}）", {"roles": "未知角色"})
    if not roles:
        raise Invalid("至少选择一个角色", {"roles": "必选"})


def create_user(username: str, password: str, roles: list[str], department_code: str | None = None,
                display_name: str | None = None, email: str | None = None) -> User:
    """A new active user; the password must pass the policy (:func:`app.services.passwords.check_policy`)."""
    _check_roles(roles)
    if not username or len(username) > 60 or any(c.isspace() or c == "\x00" for c in username):
        raise Invalid("用户名应为 1–60 个字符，不含空白", {"username": "格式不正确"})
    if db.session.execute(select(User).where(User.username == username)).scalar_one_or_none():
        raise Invalid(f"用户名 {username} 已存在", {"username": "已存在"})
    passwords.check_policy(password, username)
    user = User(username=username, display_name=display_name or username, email=email or None,
                password_hash=passwords.hash_password(password), department=_department(department_code),
                password_changed_at=utcnow())
    user.role_rows = [UserRole(role=r) for r in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    return user


def get_user(username: str) -> User:
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise NotFound(f"用户 {username} 不存在")
    return user


def update_user(actor: User | None, username: str, *, roles: list[str], department_code: str | None,
                display_name: str, email: str | None) -> User:
    """Change a user's roles, department, name and e-mail (administrators; ``actor`` None: the CLI)."""
    if actor is not None:
        require_admin(actor)
    user = get_user(username)
    _check_roles(roles)
    if actor is not None and user.id == actor.id and "admin" not in roles:
        raise Invalid("不能取消自己的系统管理员角色", {"roles": "不能取消自己的管理员角色"})
    user.role_rows = [r for r in user.role_rows if r.role in roles] + [
        UserRole(role=r) for r in dict.fromkeys(roles) if r not in user.roles]
    user.department = _department(department_code)
    user.display_name = (display_name or "").strip()[:100] or user.username
    user.email = (email or "").strip()[:200] or None
    db.session.flush()
    return user


def set_active(actor: User | None, username: str, active: bool) -> User:
    """Deactivate (ends every open session and stops the user's tokens) or reactivate a user."""
    if actor is not None:
        require_admin(actor)
    user = get_user(username)
    if actor is not None and user.id == actor.id and not active:
        raise Invalid("不能停用自己的账户")
    user.active = active
    if not active:
        user.session_generation += 1
    db.session.flush()
    return user


def reset_password(actor: User | None, username: str, new_password: str) -> User:
    """An administrator sets a new password (and thereby ends the user's sessions)."""
    if actor is not None:
        require_admin(actor)
    user = get_user(username)
    _set_password(user, new_password)
    login.unlock(username)
    return user


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    if not passwords.matches(user.password_hash, current_password or ""):
        raise Invalid("当前密码不正确", {"current_password": "不正确"})
    _set_password(user, new_password)


def _set_password(user: User, new_password: str) -> None:
    passwords.check_policy(new_password, user.username)
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    user.session_generation += 1
    db.session.flush()


def end_sessions(user: User) -> None:
    """Logout: every session of this user that was opened before now is refused from now on."""
    user.session_generation += 1
    db.session.flush()


def unlock(actor: User | None, username: str) -> None:
    if actor is not None:
        require_admin(actor)
    login.unlock(username)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(username: str, name: str = "", days: int | None = None) -> str:
    """A new personal token; only its hash is stored, so it is shown once.  It expires after ``days``
    (default ``API_TOKEN_DAYS``, 90)."""
    user = get_user(username)
    days = current_app.config.get("API_TOKEN_DAYS", 90) if days is None else days
    if not isinstance(days, int) or not 1 <= days <= 3650:
        raise Invalid("有效期应为 1–3650 天", {"days": "应为 1–3650 的整数"})
    name = (name or "").strip()
    if len(name) > TOKEN_NAME_MAX or "\x00" in name:
        raise Invalid(f"令牌名称最多 {TOKEN_NAME_MAX} 个字符", {"name": "过长或含不允许的字符"})
    token = "bj_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash(token), name=name or "未命名",
                            expires_at=utcnow() + timedelta(days=days)))
    db.session.flush()
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.execute(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())).scalars())


def revoke_token(actor: User | None, token_id: int) -> ApiToken:
    """Revoke a token: its owner, or an administrator (``actor`` None: the CLI)."""
    row = db.session.get(ApiToken, token_id)
    if row is None or (actor is not None and row.user_id != actor.id and not actor.has_role("admin")):
        raise NotFound("令牌不存在")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    db.session.flush()
    return row


def token_state(row: ApiToken) -> str:
    """``active``, ``expired`` or ``revoked``."""
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= utcnow():
        return "expired"
    return "active"


def user_for_token(token: str) -> User | None:
    """The active owner of a valid (not expired, not revoked) token; records when it was last used."""
    row = db.session.execute(select(ApiToken).where(ApiToken.token_hash == _hash(token))).scalar_one_or_none()
    if row is None or not row.user.active or token_state(row) != "active":
        return None
    now = utcnow()
    # At most one write a minute per token: "last used" is for people, not an access log.
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        ensure_write_lock(db.session)  # SQLite: a read request writing "last used" takes the write lock first
        row.last_used_at = now
        db.session.commit()
    return row.user


def list_users() -> list[User]:
    return list(db.session.execute(select(User).order_by(User.username)).scalars())
