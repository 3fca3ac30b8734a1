"""The timer worker: fires due BPMN timers, exactly once, however many workers run.

Each case stores its next wake-up.  A worker claims a batch of due cases
with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL; on SQLite every
transaction is exclusive anyway), fires what is due, commits, and moves on.
A worker that was down simply finds more cases due and fires them, oldest
wake-up first.
"""
import time

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import undefer

from ..extensions import db
from ..models import Case
from ..models.types import utcnow
from . import engine_runner, history, incidents, notifications, processes
from .errors import EngineFailure


BATCH = 20  # due cases claimed and fired per transaction


def claim_due(now, limit: int) -> list[Case]:
    """Lock up to ``limit`` due cases, oldest wake-up first, skipping those another worker holds."""
    # Served by ix_case_file_due (status, next_wakeup): migration 0005 says why.
    return list(db.session.execute(
        select(Case).where(Case.status == "active", Case.next_wakeup <= now)
        .order_by(Case.next_wakeup, Case.id).limit(limit)
        .options(undefer(Case.engine_state))
        .with_for_update(skip_locked=True, of=Case)
    ).scalars())


def fire_batch(now=None, size: int = BATCH) -> int:
    """Claim up to ``size`` due cases, fire each, commit once; returns how many were handled.

    One transaction for the batch saves a claim and a commit per case and lets
    the unit of work write the batch's history and notifications together.  If
    any case fails, the whole batch is rolled back (nothing of it is kept, so
    nothing fires twice) and its cases are fired one by one, so the failing
    one gets its incident and the others still fire.
    """
    now = now or utcnow()
    try:
        cases = claim_due(now, size)
        ids = [case.id for case in cases]
        for case in cases:
            fire_case(case, commit=False)
        db.session.commit()
        return len(ids)
    except EngineFailure:
        db.session.rollback()
        return sum(1 for case_id in ids if fire_next(now, case_id) is not None)
    except Exception:
        db.session.rollback()
        raise


def fire_next(now=None, case_id: int | None = None) -> int | None:
    """Claim the oldest due case (or ``case_id`` if it is still due), fire it, commit; its id, or None."""
    now = now or utcnow()
    try:
        claimed = claim_due(now, 1) if case_id is None else list(db.session.execute(
            select(Case).where(Case.id == case_id, Case.status == "active", Case.next_wakeup <= now)
            .options(undefer(Case.engine_state)).with_for_update(skip_locked=True, of=Case)).scalars())
        if not claimed:
            db.session.rollback()
            return None
        case = claimed[0]
        try:
            fire_case(case)
        except EngineFailure as exc:
            # The case is flagged and left out of later polls until an
            # administrator retries: the worker goes on with the other cases.
            incidents.open_incident(case.id, step="定时事件", error=exc.message, retry={"command": "fire_timers"})
        return case.id
    except Exception:
        db.session.rollback()
        raise


def fire_case(case: Case, _retrying=None, commit: bool = True) -> None:
    """Fire the locked case's due timers (and commit, unless the caller commits a batch)."""
    due = case.next_wakeup
    definition = processes.definition(case.process_version)
    history.record(case, "timer_fired", None, "定时事件到期", {"due": due.isoformat() if due else None})
    engine_runner.run(case, None, lambda engine, handlers: engine.fire_timers(
        definition, case.engine_state, handlers))
    if due is not None and case.next_wakeup is not None and case.next_wakeup <= due:
        # Nothing moved the wake-up forward (a timer the engine would not
        # fire): park it rather than spin on it, and say so.
        current_app.logger.warning("case %s: timer due %s did not fire", case.tracking_number, due)
        case.next_wakeup = None
    if _retrying is not None:
        incidents.resolve(_retrying, None)
    case.version += 1
    if commit:
        db.session.commit()


def run_once(now=None, limit: int | None = None) -> int:
    """Fire everything due now, a batch at a time; returns how many cases were handled."""
    fired = 0
    while limit is None or fired < limit:
        handled = fire_batch(now, BATCH if limit is None else min(BATCH, limit - fired))
        if not handled:
            break
        fired += handled
    notifications.send_outbox()
    return fired


def run_forever(interval: float = 10.0) -> None:  # pragma: no cover - the loop around run_once
    while True:
        fired = run_once()
        if fired:
            current_app.logger.info("fired timers of %d case(s)", fired)
        db.session.remove()
        time.sleep(interval)
