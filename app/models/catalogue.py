"""The public catalogue of proactively disclosed information (政府信息公开目录, GIO ch. III).

A row is written when a proactive-disclosure case publishes its item, in the same transaction; it is the
published fact (what the public sees), while the case data stays the process's working memory. Corrections
and withdrawal change the row and are kept beside it, so the catalogue shows what was corrected and why.
"""
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JsonDoc, UtcDateTime, utcnow


class CatalogueItem(db.Model):
    __tablename__ = "catalogue_item"
    __table_args__ = (Index("ix_catalogue_item_browse", "status", "category", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    # <agency code>-<category number>-<year>-<sequence>, allocated without gaps at publication.
    index_number: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40))
    topic: Mapped[str] = mapped_column(String(40), default="")
    issuer: Mapped[str] = mapped_column(String(100))
    legal_basis: Mapped[str] = mapped_column(String(500), default="")
    written_on = mapped_column(Date)
    published_on = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)  # of publication: browsing and the annual report count by it
    # Attachment ids published with the item (the only files the public side serves).
    files: Mapped[list] = mapped_column(JsonDoc, default=list)
    status: Mapped[str] = mapped_column(String(20), default="published")  # published, withdrawn
    withdrawn_on = mapped_column(Date, nullable=True)
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    # Title, index number and body, for the public full-text search (substring match).
    search_text: Mapped[str] = mapped_column(Text, default="")
    updated_at = mapped_column(UtcDateTime, default=utcnow)

    corrections: Mapped[list["CatalogueCorrection"]] = relationship(
        order_by="CatalogueCorrection.id", cascade="all, delete-orphan")


class CatalogueCorrection(db.Model):
    """One correction of a published item: when, why, and what changed."""

    __tablename__ = "catalogue_correction"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item.id", ondelete="CASCADE"), index=True)
    corrected_on = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    changed: Mapped[list] = mapped_column(JsonDoc, default=list)  # the labels of the fields that changed
