"""What people add to a case beside the process: comments, attachments, saved inbox filters."""
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JsonDoc, UtcDateTime, utcnow
from .users import User


class Comment(db.Model):
    """Never edited: a mistake is followed by a correction that points at it."""

    __tablename__ = "comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"))
    created_at = mapped_column(UtcDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")


class Attachment(db.Model):
    """An uploaded file, stored outside the engine state, immutable, with its SHA-256."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    field: Mapped[str | None] = mapped_column(String(100))  # the form field it was uploaded for, if any
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at = mapped_column(UtcDateTime, default=utcnow)

    uploaded_by: Mapped[User] = relationship(lazy="joined")


class SavedFilter(db.Model):
    """An inbox filter; shared with the owner's department when ``department_id`` is set."""

    __tablename__ = "saved_filter"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    params: Mapped[dict] = mapped_column(JsonDoc, default=dict)
    created_at = mapped_column(UtcDateTime, default=utcnow)

    owner: Mapped[User] = relationship(lazy="joined")


class Incident(db.Model):
    """A service task that failed: the case waits, flagged, until an administrator retries it."""

    __tablename__ = "incident"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    step: Mapped[str] = mapped_column(String(200))
    error: Mapped[str] = mapped_column(Text)
    retry: Mapped[dict] = mapped_column(JsonDoc, default=dict)  # what to run again: the command and its input
    created_at = mapped_column(UtcDateTime, default=utcnow)
    resolved_at = mapped_column(UtcDateTime, nullable=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class CaseLeader(db.Model):
    """A leader attached to a case (领导包案): sees it in the inbox and may read it, whatever its department."""

    __tablename__ = "case_leader"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    attached_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    attached_at = mapped_column(UtcDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    attached_by: Mapped[User] = relationship(foreign_keys=[attached_by_id])
