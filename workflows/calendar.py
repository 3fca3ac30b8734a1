"""The working-day calendar (DOMAIN.md section 1).

A working day (工作日) is what the State Council's annual holiday notice says it
is: Monday to Friday minus public holidays, plus make-up working days (调休上班,
often a Saturday or Sunday).  The office keeps its own table of days, seeded
from the ``chinese-calendar`` package and edited by an administrator when the
next year's notice appears; :class:`WorkCalendar` is the read-only view of that
table that the clock computation (``workflows.clocks``) uses.

What callers may rely on:

* No method ever raises for a date outside the table.  A year that is not
  published is computed from weekends and the fixed-date statutory holidays
  only, and :meth:`WorkCalendar.is_provisional` says so; the lunar holidays and
  the 调休 of such a year cannot be known before the notice.
* Counting follows the law: the start day is day 0, whatever kind of day it is,
  and "within N working days" ends at the close of the N-th working day after it.
* Everything here is pure; the only import with data is ``chinese_calendar``,
  used by :func:`seed_days` and :func:`covered_years`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, Mapping

import chinese_calendar

MAKEUP_WORKDAY = "调休上班"

# The library names holidays in English (the values of its ``Holiday`` enum).
# Its own Chinese labels are short forms ("清明", "端午"); letters and the case
# view use the names of the State Council notices instead.
_HOLIDAY_NAMES = {
    chinese_calendar.Holiday.new_years_day.value: "元旦",
    chinese_calendar.Holiday.spring_festival.value: "春节",
    chinese_calendar.Holiday.tomb_sweeping_day.value: "清明节",
    chinese_calendar.Holiday.labour_day.value: "劳动节",
    chinese_calendar.Holiday.dragon_boat_festival.value: "端午节",
    chinese_calendar.Holiday.national_day.value: "国庆节",
    chinese_calendar.Holiday.mid_autumn_festival.value: "中秋节",
    chinese_calendar.Holiday.anti_fascist_70th_day.value: "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# Where to look for the years the library covers.  Wide on purpose: the package
# is updated each November with the next year's notice, and probing is cheap.
_PROBE_FROM, _PROBE_TO = 1949, 2150


@dataclass(frozen=True)
class Day:
    """One day of the calendar table.

    ``name`` is the holiday's Chinese name for a rest day that belongs to a
    holiday, ``"调休上班"`` for a make-up working day, and None for an ordinary
    weekday or weekend.
    """

    date: date
    working: bool
    name: str | None = None


def _fixed_holiday(d: date) -> str | None:
    """The fixed-date statutory holiday on ``d``, if any, per 《全国年节及纪念日放假办法》.

    Only these can be known before the annual notice: 元旦 1 January; 国庆节
    1–3 October (since the 1999 revision); 劳动节 1–3 May under the 1999
    revision, 1 May only from 2008 (State Council Order No. 513 of 2007), and
    1–2 May from 2025 (State Council Order No. 795 of 2024, in force
    2025-01-01).  Days that fall on a weekend are not moved here: 补假 and 调休
    come only with the notice, which is why such years are provisional.
    """
    if d.month == 1 and d.day == 1:
        return "元旦"
    if d.month == 10 and d.day <= 3:
        return "国庆节"
    if d.month == 5:
        labour_days = 3 if d.year < 2008 else (1 if d.year < 2025 else 2)
        if d.day <= labour_days:
            return "劳动节"
    return None


def _default_day(d: date) -> Day:
    """A day with no entry in the table: weekends and fixed holidays rest."""
    holiday = _fixed_holiday(d)
    if holiday:
        return Day(d, False, holiday)
    return Day(d, d.weekday() < 5, None)


class WorkCalendar:
    """Read-only working-day calendar over an administrator's table of days.

    ``days`` holds explicit entries (typically every day of every published
    year); a date without an entry follows the weekday and fixed-holiday rule.
    ``published_years`` are the years whose holiday notice is in the table; a
    date in any other year is provisional even if it has an entry.
    """

    def __init__(self, days: Mapping[date, Day], published_years: Iterable[int]):
        self._days = dict(days)
        self.published_years = frozenset(published_years)

    @classmethod
    def from_chinese_calendar(cls, years: Iterable[int] | None = None) -> "WorkCalendar":
        """A calendar seeded from ``chinese_calendar`` (all covered years by default).

        Requested years the library does not cover are left unpublished.
        """
        seeded = seed_days(covered_years() if years is None else years)
        return cls({d.date: d for d in seeded}, {d.date.year for d in seeded})

    def day(self, d: date) -> Day:
        return self._days.get(d) or _default_day(d)

    def is_working(self, d: date) -> bool:
        return self.day(d).working

    def is_provisional(self, d: date) -> bool:
        """True when ``d``'s year has no published holiday notice in the table."""
        return d.year not in self.published_years

    def provisional_for(self, start: date, end: date) -> bool:
        """True when any date between ``start`` and ``end`` (either order) is provisional."""
        low, high = sorted((start, end))
        return any(y not in self.published_years for y in range(low.year, high.year + 1))

    def unpublished_years(self, start: date, end: date) -> list[int]:
        """The years between ``start`` and ``end`` that are not published, ascending."""
        low, high = sorted((start, end))
        return [y for y in range(low.year, high.year + 1) if y not in self.published_years]

    def add_working_days(self, start: date, n: int) -> date:
        """The N-th working day after ``start`` (day 0); ``start`` itself when n is 0.

        The result is a working day for n >= 1 even when ``start`` is a holiday.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        current = start
        while n > 0:
            current += timedelta(days=1)
            if self.is_working(current):
                n -= 1
        return current

    def add_calendar_days(self, start: date, n: int) -> date:
        """``start`` plus N calendar days (日); holidays count like any other day."""
        if n < 0:
            raise ValueError("n must not be negative")
        return start + timedelta(days=n)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative, -(working days in (b, a]), when b < a."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for d in iter_days(a, b) if self.is_working(d))

    def holidays_between(self, a: date, b: date) -> list[tuple[date, date, list[str]]]:
        """The holiday breaks in (a, b]: (first day, last day, holiday names in order).

        A break is a run of consecutive rest days holding at least one named
        holiday, so adjoining weekends are part of it, as in the notices
        ("与周末连休"); clipped to (a, b].  Plain weekends are left out.
        """
        runs: list[tuple[date, date, list[str]]] = []
        first = last = None
        names: list[str] = []
        for d in [*iter_days(a, b), None]:  # None closes the last run
            day = self.day(d) if d else None
            if day and not day.working:
                first, last = first or d, d
                if day.name and day.name not in names:
                    names.append(day.name)
                continue
            if first and names:
                runs.append((first, last, names))
            first, names = None, []
        return runs

    def makeup_days_between(self, a: date, b: date) -> list[date]:
        """The make-up working days (调休上班) in (a, b]."""
        return [d for d in iter_days(a, b) if self.day(d).name == MAKEUP_WORKDAY and self.is_working(d)]


def iter_days(a: date, b: date) -> Iterable[date]:
    """The dates in (a, b], ascending."""
    current = a
    while current < b:
        current += timedelta(days=1)
        yield current


def _library_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
        chinese_calendar.is_workday(date(year, 12, 31))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=1)
def covered_years() -> range:
    """The years ``chinese_calendar`` has official data for (e.g. range(2004, 2027)).

    Found by probing a wide window, so a newer package needs no code change.
    Empty if the package covers nothing in the window.
    """
    covered = [y for y in range(_PROBE_FROM, _PROBE_TO + 1) if _library_covers(y)]
    return range(covered[0], covered[-1] + 1) if covered else range(0)


def _seed_day(d: date) -> Day:
    working = chinese_calendar.is_workday(d)
    _rest, english_name = chinese_calendar.get_holiday_detail(d)
    if english_name is None:
        return Day(d, working, None)
    if working:
        # The library names a make-up day after the holiday it makes up for.
        return Day(d, True, MAKEUP_WORKDAY)
    return Day(d, False, _HOLIDAY_NAMES.get(english_name, english_name))


def seed_days(years: Iterable[int]) -> list[Day]:
    """Every day of each requested year that ``chinese_calendar`` covers, in date order.

    Years the library does not cover are skipped silently; the caller can tell
    which years were seeded from the result (and should publish only those).
    """
    seeded: list[Day] = []
    for year in sorted(set(years)):
        if not _library_covers(year):
            continue
        seeded.extend(_seed_day(d) for d in iter_days(date(year - 1, 12, 31), date(year, 12, 31)))
    return seeded
