"""The calendar table: seeding, administrator changes, and the in-memory WorkCalendar.

The table, not the ``chinese-calendar`` package, is what deadlines are computed
from: an administrator imports each year's State Council notice and corrects
single days.  Every change is recorded in ``calendar_change``; its newest id
versions the cached :class:`WorkCalendar`, so every process sees a change on its
next command without a restart.
"""
import csv
import io
from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select

from workflows.calendar import Day, WorkCalendar, covered_years, seed_days

from ..extensions import db
from ..models import CalendarChange, CalendarDay, CalendarYear, User
from ..models.types import utcnow
from .errors import Forbidden, Invalid

_cache: dict = {"version": None, "calendar": None}


def _record(kind: str, actor: User | None, detail: dict) -> CalendarChange:
    change = CalendarChange(kind=kind, actor_id=actor.id if actor else None,
                            actor_name=actor.display_name if actor else "系统", detail=detail)
    db.session.add(change)
    db.session.flush()
    return change


def seed_from_library() -> list[int]:
    """Load every year chinese-calendar covers that the table does not have yet."""
    known = set(db.session.execute(select(CalendarYear.year)).scalars())
    years = [y for y in covered_years() if y not in known]
    if not years:
        return []
    rows = [{"day": d.date, "working": d.working, "name": d.name, "source": "chinese-calendar"}
            for d in seed_days(years)]
    db.session.execute(insert(CalendarDay), rows)
    db.session.execute(insert(CalendarYear), [
        {"year": y, "published": True, "source": "chinese-calendar", "published_at": utcnow()} for y in years])
    _record("seed", None, {"years": years})
    return years


def current() -> WorkCalendar:
    """The calendar as the table holds it now (cached until the next recorded change)."""
    version = db.session.execute(select(func.max(CalendarChange.id))).scalar()
    if _cache["version"] != version or _cache["calendar"] is None:
        days = {row.day: Day(row.day, row.working, row.name)
                for row in db.session.execute(select(CalendarDay)).scalars()}
        published = set(db.session.execute(select(CalendarYear.year).where(CalendarYear.published)).scalars())
        _cache.update(version=version, calendar=WorkCalendar(days, published))
    return _cache["calendar"]


def years() -> list[CalendarYear]:
    return list(db.session.execute(select(CalendarYear).order_by(CalendarYear.year)).scalars())


def _require_admin(actor: User | None) -> None:
    if actor is not None and not actor.has_role("admin"):
        raise Forbidden("只有系统管理员可以修改工作日历")


def parse_schedule(text: str, year: int) -> dict[date, tuple[bool, str | None]]:
    """Lines ``YYYY-MM-DD,holiday|workday,name`` — the notice's holidays and make-up working days.

    Days not listed follow the weekend rule; an error names the line.
    """
    entries = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not row[0].strip() or row[0].strip().startswith("#"):
            continue
        try:
            day = date.fromisoformat(row[0].strip())
            kind = row[1].strip().lower()
        except (ValueError, IndexError):
            raise Invalid(f"第 {number} 行格式应为“日期,holiday|workday,名称”：{','.join(row)}") from None
        if day.year != year:
            raise Invalid(f"第 {number} 行的日期 {day} 不在 {year} 年")
        if kind not in ("holiday", "workday"):
            raise Invalid(f"第 {number} 行的类型应为 holiday 或 workday")
        name = row[2].strip() if len(row) > 2 and row[2].strip() else ("调休上班" if kind == "workday" else "节假日")
        entries[day] = (kind == "workday", name)
    if not entries:
        raise Invalid("没有读到任何节假日或调休安排")
    return entries


def import_year(year: int, text: str, actor: User | None, source: str = "国务院办公厅通知") -> list[int]:
    """Replace a year's days with the notice's schedule and mark it published.

    Returns the years whose open deadlines must be recomputed (the caller does
    so in the same transaction, see :func:`app.services.clocks.recompute`).
    """
    _require_admin(actor)
    schedule = parse_schedule(text, year)
    db.session.execute(delete(CalendarDay).where(CalendarDay.day >= date(year, 1, 1),
                                                 CalendarDay.day <= date(year, 12, 31)))
    rows, day = [], date(year, 1, 1)
    while day.year == year:
        working, name = schedule.get(day, (day.weekday() < 5, None))
        rows.append({"day": day, "working": working, "name": name, "source": "import"})
        day += timedelta(days=1)
    db.session.execute(insert(CalendarDay), rows)
    row = db.session.get(CalendarYear, year) or CalendarYear(year=year)
    row.published, row.source, row.published_at = True, source, utcnow()
    db.session.add(row)
    _record("import_year", actor, {"year": year, "source": source,
                                   "holidays": sorted(str(d) for d, (w, _) in schedule.items() if not w),
                                   "workdays": sorted(str(d) for d, (w, _) in schedule.items() if w)})
    return [year]


def set_day(day: date, working: bool, name: str | None, actor: User | None) -> list[int]:
    """Correct one day; returns the affected year for recomputation."""
    _require_admin(actor)
    row = db.session.get(CalendarDay, day)
    before = {"working": row.working, "name": row.name} if row else None
    if row is None:
        row = CalendarDay(day=day)
        db.session.add(row)
    row.working, row.name, row.source = working, name, "manual"
    _record("set_day", actor, {"day": str(day), "before": before, "after": {"working": working, "name": name}})
    return [day.year]


def recent_changes(limit: int = 20) -> list[CalendarChange]:
    return list(db.session.execute(select(CalendarChange).order_by(CalendarChange.id.desc()).limit(limit)).scalars())
