"""Remedies after a reply (DOMAIN 2.7): administrative reconsideration and litigation linked to a case."""
from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UtcDateTime, utcnow
from .users import User


class Remedy(db.Model):
    """One reconsideration or lawsuit. ``kind``: reconsideration, litigation_direct (未经复议直接起诉) or
    litigation_after_reconsideration (复议后起诉); ``outcome``: upheld, corrected, other, pending."""

    __tablename__ = "remedy"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    filed_on: Mapped[date] = mapped_column(Date, index=True)
    body: Mapped[str] = mapped_column(String(200))  # the reconsideration body or the court
    outcome: Mapped[str] = mapped_column(String(20), default="pending")
    decided_on: Mapped[date | None] = mapped_column(Date)
    documents: Mapped[str] = mapped_column(Text, default="")  # document numbers of the decision or judgment
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at = mapped_column(UtcDateTime, default=utcnow)
    updated_at = mapped_column(UtcDateTime, default=utcnow)

    created_by: Mapped[User] = relationship(lazy="joined")
