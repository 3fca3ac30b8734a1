"""The append-only, hash-chained case history.

Each event's hash covers its content and the previous event's hash; the case
row keeps the head hash, so editing, deleting or reordering any row (even the
last) is detected by :func:`verify_case`.

The hashes are keyed (HMAC-SHA-256 with ``HISTORY_KEY``, which lives outside
the database: environment or ``instance/history_key``): whoever can write the
database but not read the key cannot re-compute a chain after editing it.  The
case row's ``seal`` is a keyed hash of its current data, status and history
head, written on every flush that changes the case, so current case data is
tied to the chain as well.  :mod:`app.services.integrity` verifies all of it.
"""
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import timezone

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Case, CaseEvent, User
from ..models.types import utcnow

GENESIS = "0" * 64


def _key() -> bytes:
    return current_app.config["HISTORY_KEY"].encode("utf-8")


def _canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def _event_body(event: CaseEvent) -> bytes:
    body = {
        "case_id": event.case_id,
        "seq": event.seq,
        "type": event.type,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "at": event.at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        "task_id": event.task_id,
        "summary": event.summary,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _digest(event: CaseEvent) -> str:
    """The event's keyed hash (HMAC-SHA-256 over its canonical content)."""
    return hmac.new(_key(), _event_body(event), hashlib.sha256).hexdigest()


def unkeyed_digest(event: CaseEvent) -> str:
    """The plain SHA-256 of earlier versions (before migration 0009), to name rows not yet re-keyed."""
    return hashlib.sha256(_event_body(event)).hexdigest()


def case_seal(case: Case) -> str:
    """Keyed hash of the case's current data, status and history head: ties the data to the chain."""
    body = {"case_id": case.id, "status": case.status, "history_head": case.history_head or GENESIS,
            "data": case.data or {}}
    return hmac.new(_key(), _canonical(body), hashlib.sha256).hexdigest()


@sa_event.listens_for(Session, "before_flush")
def _seal_changed_cases(session, _context, _instances):
    # Every path that changes a case goes through the ORM and a flush; re-seal what changed.
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Case) and obj.id is not None:
            obj.seal = case_seal(obj)


@sa_event.listens_for(Session, "after_flush")
def _seal_new_cases(session, _context):
    # A new case has its id only after the insert: seal it then (the next flush writes it).
    for obj in session.new:
        if isinstance(obj, Case) and obj.id is not None and obj.seal != case_seal(obj):
            obj.seal = case_seal(obj)


def record(case: Case, type_: str, actor: User | None, summary: str,
           payload: dict | None = None, task_id: str | None = None) -> CaseEvent:
    """Append one event to the case's chain (the caller holds the case lock)."""
    # The case row (locked by the caller) keeps the chain's length and head, so
    # appending needs no query.
    case.history_seq = (case.history_seq or 0) + 1
    event = CaseEvent(
        case_id=case.id,
        seq=case.history_seq,
        type=type_,
        actor_id=actor.id if actor else None,
        actor_name=actor.display_name if actor else "系统",
        at=utcnow(),
        task_id=task_id,
        summary=summary,
        payload=payload or {},
        prev_hash=case.history_head or GENESIS,
    )
    event.hash = _digest(event)
    case.history_head = event.hash
    db.session.add(event)
    return event


def events(case_id: int) -> list[CaseEvent]:
    return list(db.session.execute(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)
    ).scalars())


@dataclass
class ChainProblem:
    case_id: int
    seq: int
    message: str


def verify_case(case: Case) -> list[ChainProblem]:
    """Every problem of the case's record: chain, documents, attachments and the data seal."""
    from .integrity import check_case
    return check_case(case).problems


def verify_all() -> tuple[int, list[ChainProblem]]:
    from .integrity import check_all
    reports = check_all()
    return len(reports), [p for r in reports for p in r.problems]


def reseal_all() -> tuple[int, list[int]]:
    """Re-key chains hashed with plain SHA-256 (before migration 0009) that still verify; seal their cases.

    Returns (cases re-keyed, ids of cases whose chain did not verify and was left alone)."""
    resealed, refused = 0, []
    for case in db.session.execute(select(Case).order_by(Case.id)).scalars():
        rows = events(case.id)
        if all(_digest(e) == e.hash for e in rows) and case.seal == case_seal(case):
            continue  # already keyed
        prev, intact = GENESIS, True
        for e in rows:
            intact &= e.prev_hash == prev and e.hash in (unkeyed_digest(e), _digest(e))
            prev = e.hash
        if not intact or prev != (case.history_head or GENESIS):
            refused.append(case.id)
            continue
        prev = GENESIS
        for e in rows:
            e.prev_hash = prev
            e.hash = prev = _digest(e)
        case.history_head = prev
        case.seal = case_seal(case)
        resealed += 1
    db.session.flush()
    return resealed, refused
