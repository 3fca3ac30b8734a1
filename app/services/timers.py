"""The timer worker: fires due BPMN timers, exactly once, however many workers run.

Each case stores its next wake-up.  A worker claims one due case at a time
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


def fire_next(now=None) -> int | None:
    """Claim the case with the oldest due wake-up, fire its timers, commit; its id, or None if none is due."""
    now = now or utcnow()
    try:
        # Served by ix_case_file_due (status, next_wakeup): migration 0005 says why.
        case = db.session.execute(
            select(Case).where(Case.status == "active", Case.next_wakeup <= now)
            .order_by(Case.next_wakeup, Case.id).limit(1)
            .options(undefer(Case.engine_state))
            .with_for_update(skip_locked=True, of=Case)
        ).scalar_one_or_none()
        if case is None:
            db.session.rollback()
            return None
        case_id = case.id
        try:
            fire_case(case)
        except EngineFailure as exc:
            # The case is flagged and left out of later polls until an
            # administrator retries: the worker goes on with the other cases.
            incidents.open_incident(case_id, step="定时事件", error=exc.message, retry={"command": "fire_timers"})
        return case_id
    except Exception:
        db.session.rollback()
        raise


def fire_case(case: Case, _retrying=None) -> None:
    """Fire the locked case's due timers and commit."""
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
    db.session.commit()


def run_once(now=None, limit: int | None = None) -> int:
    """Fire everything due now; returns how many cases were handled."""
    fired = 0
    while limit is None or fired < limit:
        if fire_next(now) is None:
            break
        fired += 1
    notifications.send_outbox()
    return fired


def run_forever(interval: float = 10.0) -> None:  # pragma: no cover - the loop around run_once
    while True:
        fired = run_once()
        if fired:
            current_app.logger.info("fired timers of %d case(s)", fired)
        db.session.remove()
        time.sleep(interval)
