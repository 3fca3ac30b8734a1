"""Keep a case's counting facts (``case_fact``) in step with the case, in the same transaction.

:func:`refresh` is called wherever a command changes a case (the engine runner after every engine step, and
the administrative status changes). The generic columns are filled here; a process family adds its own
through its ``report_facts(case, closed)`` hook (see app.families), so this module never names a process.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from workflows.clocks import compute
from workflows.on_time import LATE, ON_TIME, verdict

from .. import families
from ..extensions import db
from ..models import Case, CaseClock, CaseFact
from ..models.types import utcnow
from . import calendar as calendar_service
from .clocks import rebuild
from .statistics import deciding_clocks, receipt_day

OPEN_STATUSES = ("active", "suspended", "incident")


def _office_day(moment: datetime):
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def _received_on(case: Case):
    """A family without its own facts: the ``received_on`` of its data (DOMAIN.md §6), else the day it was
    registered."""
    try:
        return date.fromisoformat(str((case.data or {}).get("received_on")))
    except ValueError:
        return _office_day(case.created_at or utcnow())


def refresh(case: Case) -> CaseFact:
    """Write the facts of ``case`` (insert or update its one row). The caller commits."""
    closed = case.status not in OPEN_STATUSES and case.completed_at is not None
    with db.session.no_autoflush:
        fact = db.session.get(CaseFact, case.id) if case.id is not None else None
    if fact is None:
        db.session.flush()  # the case needs its id
        fact = CaseFact(case_id=case.id)
        db.session.add(fact)
    was_closed = fact.closed_on is not None
    fact.process_key = case.process_key
    fact.department_id = case.department_id
    fact.status = case.status
    fact.closed_on = _office_day(case.completed_at) if closed else None
    received = (case.data or {}).get("received_on")
    fact.counted_on = receipt_day(received if isinstance(received, str) else None,
                                  case.created_at or case.updated_at)
    fact.days_to_close = (fact.closed_on - fact.counted_on).days if closed else None
    family = families.hook(case.process_key, "report_facts")
    values = family(case, closed) if family else {"received_on": _received_on(case)}
    for name, value in values.items():
        setattr(fact, name, value)
    if closed and not was_closed:
        fact.on_time = _on_time(case, fact.closed_on)
    elif not closed:
        fact.on_time = None
    return fact


def _on_time(case: Case, closed_on) -> bool | None:
    """The verdict of the case's deciding clocks on the day it closed (workflows.on_time), None if none judged."""
    if case.status == "terminated":
        return None  # ended by an administrator: never judged (as in department statistics)
    with db.session.no_autoflush:
        ledger = list(db.session.execute(select(CaseClock).where(CaseClock.case_id == case.id)).scalars())
    if not ledger:
        return None
    calendar = calendar_service.current()
    states = [(c.name, compute(rebuild(c), calendar, closed_on).state) for c in ledger]
    judged = verdict(states, deciding_clocks([case.process_version_id]).get(case.process_version_id))
    return {ON_TIME: True, LATE: False}.get(judged)


def rebuild_all(batch: int = 1000) -> int:
    """Recompute the facts of every case (the backfill after upgrading, or after a counting rule changes)."""
    count, last_id = 0, 0
    while True:
        rows = list(db.session.execute(select(Case).where(Case.id > last_id).order_by(Case.id).limit(batch))
                    .scalars())
        if not rows:
            return count
        for case in rows:
            fact = refresh(case)
            if fact.closed_on is not None:
                fact.on_time = _on_time(case, fact.closed_on)
        db.session.commit()
        count += len(rows)
        last_id = rows[-1].id
