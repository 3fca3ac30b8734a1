"""Statutory clocks per case (deadlines are data: a ledger, and the due date computed from it)."""
from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import JsonDoc, UtcDateTime, utcnow


class CaseClock(db.Model):
    __tablename__ = "case_clock"
    __table_args__ = (UniqueConstraint("case_id", "name"), Index("ix_case_clock_open_due", "state", "due_date"),
                      Index("ix_case_clock_case_running", "case_id", "state", "due_date"))
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))   # e.g. "reply", "correction"
    kind: Mapped[str] = mapped_column(String(60))   # a workflows.clocks.CLOCK_KINDS key
    entries: Mapped[list] = mapped_column(JsonDoc, default=list)
    due_date = mapped_column(Date, nullable=True)
    provisional: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(20), default="running")  # running, paused, stopped
    depends_on_years: Mapped[list] = mapped_column(JsonDoc, default=list)
    updated_at = mapped_column(UtcDateTime, default=utcnow)
