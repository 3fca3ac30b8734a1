"""Users, passwords and personal API tokens."""
import hashlib
import secrets

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ROLES, ApiToken, Department, User, UserRole
from .errors import Invalid, NotFound


def create_user(username: str, password: str, roles: list[str], department_code: str | None = None,
                display_name: str | None = None) -> User:
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise Invalid(f"未知角色：{', '.join(unknown)}（可选：{', '.join(ROLES)}）")
    if db.session.execute(select(User).where(User.username == username)).scalar_one_or_none():
        raise Invalid(f"用户名 {username} 已存在")
    if len(password) < 8:
        raise Invalid("密码至少 8 位")
    department = None
    if department_code:
        department = db.session.execute(
            select(Department).where(Department.code == department_code)).scalar_one_or_none()
        if department is None:
            raise NotFound(f"部门 {department_code} 不存在")
    user = User(username=username, display_name=display_name or username,
                password_hash=generate_password_hash(
                    password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), department=department)
    user.role_rows = [UserRole(role=r) for r in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(username: str, password: str) -> User | None:
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(username: str) -> str:
    """A new personal token; only its hash is stored, so it is shown once."""
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise NotFound(f"用户 {username} 不存在")
    token = "bj_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash(token)))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.execute(select(ApiToken).where(ApiToken.token_hash == _hash(token))).scalar_one_or_none()
    if row is None or not row.user.active:
        return None
    return row.user


def list_users() -> list[User]:
    return list(db.session.execute(select(User).order_by(User.username)).scalars())
