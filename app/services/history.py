"""The append-only, hash-chained case history.

Each event's hash covers its content and the previous event's hash; the case
row keeps the head hash, so editing, deleting or reordering any row (even the
last) is detected by :func:`verify_case`.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import timezone

from sqlalchemy import select

from ..extensions import db
from ..models import Case, CaseEvent, User
from ..models.types import utcnow

GENESIS = "0" * 64


def _digest(event: CaseEvent) -> str:
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
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    problems = []
    prev = GENESIS
    for expected_seq, event in enumerate(events(case.id), start=1):
        if event.seq != expected_seq:
            problems.append(ChainProblem(case.id, event.seq, f"缺少第 {expected_seq} 条记录"))
        if event.prev_hash != prev:
            problems.append(ChainProblem(case.id, event.seq, "与上一条记录的哈希不连续"))
        if _digest(event) != event.hash:
            problems.append(ChainProblem(case.id, event.seq, "记录内容与哈希不符（被修改）"))
        prev = event.hash
    if prev != (case.history_head or GENESIS):
        problems.append(ChainProblem(case.id, 0, "最后一条记录与案件登记的链头不符（记录被删除）"))
    return problems


def verify_all() -> tuple[int, list[ChainProblem]]:
    problems = []
    count = 0
    for case in db.session.execute(select(Case).order_by(Case.id)).scalars():
        count += 1
        problems += verify_case(case)
    return count, problems
