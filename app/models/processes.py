"""Deployed process versions and who may work in each lane."""
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JsonDoc, UtcDateTime, utcnow
from .users import Department, User


class ProcessVersion(db.Model):
    """One immutable deployment of a BPMN file with its forms."""

    __tablename__ = "process_version"
    __table_args__ = (UniqueConstraint("process_key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    # Deferred: commands need only content_hash (the definition cache key); the
    # blobs are read when a version is first parsed or downloaded.
    bpmn: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    forms: Mapped[dict] = mapped_column(JsonDoc, deferred=True)  # file name -> schema text
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    change_note: Mapped[str] = mapped_column(Text, default="")
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    deployed_at = mapped_column(UtcDateTime, default=utcnow)
    # Who worked each lane of this version when it was deployed: {lane: [[role, department code or null]]}.
    # Lane assignments themselves are live data (a change applies at once); this is their record per version.
    lane_assignments: Mapped[dict | None] = mapped_column(JsonDoc, deferred=True)

    deployed_by: Mapped[User | None] = relationship()


class LaneAssignment(db.Model):
    """Lane name -> (role, optional department): who may claim tasks in that lane."""

    __tablename__ = "lane_assignment"
    __table_args__ = (UniqueConstraint("process_key", "lane", "role", "department_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100))
    lane: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))

    department: Mapped[Department | None] = relationship(lazy="joined")
