"""People: departments, users with roles, personal API tokens."""
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UtcDateTime, utcnow

ROLES = {
    "officer": "办事人员",
    "head": "负责人",
    "supervisor": "流程管理员",
    "auditor": "审计人员",
    "admin": "系统管理员",
}


class Department(db.Model):
    """A department of the office, or a body (机关) of its own when it has a ``letterhead``.

    ``parent`` is the body one level up (上级机关): petition reviews (XF 35–36) climb it. A department without
    a letterhead is an internal office of the nearest ancestor that has one (see :mod:`app.petition.bodies`).
    """
    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), nullable=True)
    # The body's own name on its letters and the prefix of its own document series (e.g. 示政办信受〔2026〕1号).
    letterhead: Mapped[str | None] = mapped_column(String(100), nullable=True)
    abbreviation: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # A 信访部门 answers intake under XF 22; any other body under XF 23.
    is_petition_office: Mapped[bool] = mapped_column(default=False, server_default=false())

    parent: Mapped["Department | None"] = relationship(remote_side=[id], lazy="select")


class UserRole(db.Model):
    __tablename__ = "user_role"
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at = mapped_column(UtcDateTime, default=utcnow)
    # Bumped by logout, a password change and deactivation: sessions carrying an older value are refused.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    password_changed_at = mapped_column(UtcDateTime, nullable=True)

    department: Mapped[Department | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(lazy="selectin", cascade="all, delete-orphan")

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    __table_args__ = (UniqueConstraint("token_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    created_at = mapped_column(UtcDateTime, default=utcnow)
    last_used_at = mapped_column(UtcDateTime, nullable=True)
    expires_at = mapped_column(UtcDateTime, nullable=True)
    revoked_at = mapped_column(UtcDateTime, nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class LoginThrottle(db.Model):
    """Failed logins per username, known or not (a lock must not reveal whether the account exists)."""

    __tablename__ = "login_throttle"
    username: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    first_failure_at = mapped_column(UtcDateTime, nullable=True)
    locked_until = mapped_column(UtcDateTime, nullable=True)
