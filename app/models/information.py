"""Government-information submission (政务信息报送): the facts of each item, and the bulletin's issues.

``InformationItem`` is written by the process's own steps in the case's transaction (submission, review,
follow-up), so scoring and ranking are SQL over columns, never a walk over case JSON.
"""
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JsonDoc, UtcDateTime, utcnow
from .users import Department


class InformationItem(db.Model):
    __tablename__ = "information_item"
    __table_args__ = (Index("ix_information_item_period", "year", "month", "department_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    info_type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    submitted_on = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)  # of submission: the period the item and its points count in
    month: Mapped[int] = mapped_column(Integer)
    # Urgent incidents: whether the first report came later than the office's time limits, and why.
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    late_reason: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20), default="pending")  # pending, adopted, rejected
    adopted_in: Mapped[list] = mapped_column(JsonDoc, default=list)  # codes of codes.ADOPTION_PLACES
    leader_instruction: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int] = mapped_column(Integer, default=0)
    # Points line by line ([{"code", "label", "points"}]): what the department's own view explains.
    score_lines: Mapped[list] = mapped_column(JsonDoc, default=list)
    incident_open: Mapped[bool] = mapped_column(Boolean, default=False)
    last_report_at = mapped_column(UtcDateTime, nullable=True)
    bulletin_id: Mapped[int | None] = mapped_column(ForeignKey("information_bulletin.id"), index=True)
    updated_at = mapped_column(UtcDateTime, default=utcnow)

    department: Mapped[Department] = relationship(lazy="joined")


class InformationBulletin(db.Model):
    """One issue (期) of the office's bulletin 《政务信息》: its number and the PDF as issued."""

    __tablename__ = "information_bulletin"
    __table_args__ = (UniqueConstraint("year", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # 第 N 期 of the year, without gaps
    issued_on = mapped_column(Date)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at = mapped_column(UtcDateTime, default=utcnow)
