"""Cases, their inbox rows, history events, documents and number counters."""
from sqlalchemy import (Date, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .processes import ProcessVersion
from .types import Grams, JsonDoc, UtcDateTime, utcnow
from .users import Department, User


class Case(db.Model):
    __tablename__ = "case_file"
    __table_args__ = (Index("ix_case_file_due", "status", "next_wakeup"),)  # the worker's "what is due"
    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100), index=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    tracking_number: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(30), default="active", index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    data: Mapped[dict] = mapped_column(JsonDoc, default=dict)
    # Deferred: only engine commands read it (see services.locking.lock_case).
    engine_state: Mapped[dict] = mapped_column(JsonDoc, deferred=True)
    # Optimistic concurrency: every command bumps it; a form posted against an
    # older value is refused instead of overwriting someone else's work.
    version: Mapped[int] = mapped_column(Integer, default=1)
    next_wakeup = mapped_column(UtcDateTime, nullable=True, index=True)
    history_head: Mapped[str] = mapped_column(String(64), default="")
    history_seq: Mapped[int] = mapped_column(Integer, default=0)
    # Keyed hash over the current data and the history head (app.services.seal): ties the data to the chain.
    seal: Mapped[str] = mapped_column(String(64), default="", server_default="")
    verified_at = mapped_column(UtcDateTime, nullable=True)  # the last verification (audit page)
    verified_ok: Mapped[bool | None] = mapped_column(nullable=True)
    # Plain text of the case data for full-text search (substring match; a
    # trigram index serves it on PostgreSQL).
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Its one- and two-character grams, for short (Chinese) terms (app.services.search_grams).
    search_grams = mapped_column(Grams, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at = mapped_column(UtcDateTime, default=utcnow)
    updated_at = mapped_column(UtcDateTime, default=utcnow)
    completed_at = mapped_column(UtcDateTime, nullable=True)

    process_version: Mapped[ProcessVersion] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()


class HumanTask(db.Model):
    """The inbox: one row per user task, kept in step with the engine in the same transaction."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_claimable", "state", "process_key", "lane"),
        Index("ix_human_task_assignee", "assignee_id", "state"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the engine's task id
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    process_key: Mapped[str] = mapped_column(String(100))
    spec_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(100))
    # Set when the process routes this very task to one department (``departmentFrom``):
    # then only that department's people with the lane's role may claim and work it.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    form: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(20), default="ready")  # ready, completed, cancelled
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    due_date = mapped_column(Date, nullable=True)
    due_provisional: Mapped[bool] = mapped_column(default=False)  # computed over an unpublished year
    created_at = mapped_column(UtcDateTime, default=utcnow)
    completed_at = mapped_column(UtcDateTime, nullable=True)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    case: Mapped[Case] = relationship(lazy="joined")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    department: Mapped[Department | None] = relationship()


class CaseEvent(db.Model):
    """Append-only history; each row carries the hash of the case's previous row."""

    __tablename__ = "case_event"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str] = mapped_column(String(100), default="")
    at = mapped_column(UtcDateTime, default=utcnow)
    task_id: Mapped[str | None] = mapped_column(String(36))
    summary: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict] = mapped_column(JsonDoc, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Document(db.Model):
    """A generated letter: immutable bytes with their SHA-256."""

    __tablename__ = "document"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(80), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100), default="application/pdf")
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_at = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class Counter(db.Model):
    """Gapless per-scope, per-year sequences (tracking numbers, document numbers)."""

    __tablename__ = "number_counter"
    __table_args__ = (UniqueConstraint("scope", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer, default=0)
