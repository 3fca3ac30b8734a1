"""The annual report's own records: the office's text for sections 一, 二 and 五, and frozen (published) years."""
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import JsonDoc, UtcDateTime, utcnow


class AnnualReportText(db.Model):
    """Sections the office writes itself: ``content`` is {"section1": str, "section2": str, "section5": str}."""

    __tablename__ = "annual_report_text"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    content: Mapped[dict] = mapped_column(JsonDoc, default=dict)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at = mapped_column(UtcDateTime, default=utcnow)


class AnnualReportFreeze(db.Model):
    """A published year: its numbers as published and their SHA-256, never recomputed."""

    __tablename__ = "annual_report_freeze"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    numbers: Mapped[dict] = mapped_column(JsonDoc)
    sha256: Mapped[str] = mapped_column(String(64))
    frozen_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    frozen_at = mapped_column(UtcDateTime, default=utcnow)
