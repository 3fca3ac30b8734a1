"""Incidents: a service task that failed (a letter that cannot render, a server that is down).

The failed command is rolled back whole, so nothing half-done remains; then,
in a transaction of its own, the case is flagged ``incident`` (no task can be
completed and no timer fires on it) and what was being done is kept, so an
administrator can retry it once the cause is fixed.  A retry runs the command
exactly as it would have run; if it succeeds the process continues once.
"""
from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Incident, User
from ..models.types import utcnow
from . import facts, history
from .errors import Conflict, EngineFailure, Forbidden, NotFound
from .locking import lock_case


def open_incident(case_id: int, *, step: str, error: str, retry: dict, task_id: str | None = None) -> Incident:
    """Record a failure after the failed command was rolled back; commits."""
    db.session.rollback()
    case = lock_case(case_id)
    incident = Incident(case_id=case.id, task_id=task_id, step=step, error=error[:4000], retry=retry)
    db.session.add(incident)
    db.session.flush()
    case.status = "incident"
    case.version += 1
    history.record(case, "incident_opened", None, f"故障：{step}（{error[:200]}）",
                   {"incident_id": incident.id, "step": step, "error": error[:1000]}, task_id=task_id)
    facts.refresh(case)
    db.session.commit()
    current_app.logger.error("incident %s on case %s at %s: %s", incident.id, case.tracking_number, step, error)
    return incident


def open_incidents() -> list[Incident]:
    return list(db.session.execute(select(Incident).where(Incident.resolved_at.is_(None))
                                   .order_by(Incident.created_at)).scalars())


def retry(user: User, incident_id: int) -> Incident:
    """Run the failed command again; on success the incident is resolved and the case active again."""
    from . import cases, timers
    if not user.has_role("admin"):
        raise Forbidden("只有系统管理员可以重试故障步骤")
    incident = db.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound("故障记录不存在")
    if incident.resolved_at is not None:
        raise Conflict("该故障已处理")
    spec = dict(incident.retry)
    case = lock_case(incident.case_id)
    case.status = "active"  # let the command run; on failure everything below is rolled back
    history.record(case, "incident_retried", user, f"重试故障步骤：{incident.step}", {"incident_id": incident.id})
    try:
        if spec["command"] == "complete_task":
            actor = db.session.get(User, spec["user_id"])
            cases.complete_task(actor, spec["task_id"], spec["data"], None, _retrying=incident)
        elif spec["command"] == "fire_timers":
            timers.fire_case(case, _retrying=incident)
        else:
            raise Conflict(f"无法重试的操作：{spec['command']}")
    except EngineFailure as exc:
        db.session.rollback()
        incident = db.session.get(Incident, incident_id)
        incident.attempts += 1
        incident.error = exc.message[:4000]
        db.session.commit()
        raise
    return db.session.get(Incident, incident_id)


def resolve(incident: Incident, user: User | None) -> None:
    """Mark resolved inside the retrying command's transaction."""
    incident.resolved_at, incident.resolved_by_id = utcnow(), user.id if user else None
