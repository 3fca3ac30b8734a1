"""The office's working-day calendar: every day of every known year, editable by administrators."""
from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import JsonDoc, UtcDateTime, utcnow


class CalendarDay(db.Model):
    __tablename__ = "calendar_day"
    day = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column()
    name: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(40), default="chinese-calendar")


class CalendarYear(db.Model):
    """A year counts as published once the State Council's holiday notice for it is loaded."""

    __tablename__ = "calendar_year"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    published: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(200), default="")
    published_at = mapped_column(UtcDateTime, nullable=True)


class CalendarChange(db.Model):
    """Who changed the calendar, when and how (its id also versions the in-memory calendar)."""

    __tablename__ = "calendar_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UtcDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str] = mapped_column(String(100), default="系统")
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict] = mapped_column(JsonDoc, default=dict)
