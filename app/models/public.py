"""What the public side keeps beside a case: the hashed query code, and when letters were first downloaded."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime, utcnow


class PublicAccess(db.Model):
    """A case filed (or opened to the public) online: the keyed hash of its query code, never the code."""

    __tablename__ = "public_access"
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at = mapped_column(UtcDateTime, default=utcnow)


class PublicDownload(db.Model):
    """Electronic delivery: the first time the applicant downloaded a letter from the status page."""

    __tablename__ = "public_download"
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    first_downloaded_at = mapped_column(UtcDateTime, default=utcnow)
