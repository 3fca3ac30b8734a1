"""Administrators' and heads' operations on a case: suspend, resume, terminate, rewind, reassign.

Each needs a reason, is one transaction on the locked case, and is written to
the history — never silent.
"""
from sqlalchemy import select

from ..extensions import db
from ..models import HumanTask, User
from ..models.types import utcnow
from . import access, engine_runner, facts, history, processes
from .cases import command
from .errors import Conflict, Forbidden, Invalid, NotFound
from .locking import lock_case


def _require_admin(user: User) -> None:
    if not user.has_role("admin"):
        raise Forbidden("只有系统管理员可以执行该操作")


require_operator = _require_admin  # for the confirmation pages: refused before asking, not after


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请说明理由", {"reason": "必填"})
    return reason


@command
def suspend(user: User, case_id: int, reason: str):
    _require_admin(user)
    reason = _reason(reason)
    case = lock_case(case_id)
    if case.status != "active":
        raise Conflict("只有办理中的案件可以暂停")
    case.status = "suspended"
    case.version += 1
    history.record(case, "case_suspended", user, f"暂停案件：{reason}", {"reason": reason})
    facts.refresh(case)
    db.session.commit()
    return case


@command
def resume(user: User, case_id: int, reason: str):
    _require_admin(user)
    reason = _reason(reason)
    case = lock_case(case_id)
    if case.status not in ("suspended", "incident"):
        raise Conflict("该案件没有被暂停")
    if case.status == "incident":
        raise Conflict("该案件有未处理的故障，请先重试或处理故障")
    case.status = "active"
    case.version += 1
    history.record(case, "case_resumed", user, f"恢复办理：{reason}", {"reason": reason})
    facts.refresh(case)
    db.session.commit()
    return case


@command
def terminate(user: User, case_id: int, reason: str):
    _require_admin(user)
    reason = _reason(reason)
    case = lock_case(case_id)
    if case.status not in ("active", "suspended", "incident"):
        raise Conflict("该案件已经结束")
    for task in db.session.execute(select(HumanTask).where(HumanTask.case_id == case.id,
                                                            HumanTask.state == "ready")).scalars():
        task.state, task.completed_at = "cancelled", utcnow()
    case.status, case.completed_at, case.next_wakeup = "terminated", utcnow(), None
    case.version += 1
    history.record(case, "case_terminated", user, f"终止案件：{reason}", {"reason": reason})
    facts.refresh(case)
    db.session.commit()
    return case


@command
def rewind(user: User, task_id: str, reason: str):
    """Re-open a completed task ("redo from here"): later work is discarded, the history keeps it all."""
    _require_admin(user)
    reason = _reason(reason)
    row = db.session.get(HumanTask, task_id)
    if row is None:
        raise NotFound("任务不存在")
    case = lock_case(row.case_id)
    if case.status != "active":
        raise Conflict("只有办理中的案件可以回退")
    if row.state != "completed":
        raise Conflict("只能回退到已办理的任务")
    definition = processes.definition(case.process_version)
    engine_runner.run(case, user, lambda engine, handlers: engine.rewind(
        definition, case.engine_state, task_id, handlers))
    case.version += 1
    history.record(case, "case_rewound", user, f"回退到“{row.title}”重新办理：{reason}",
                   {"reason": reason, "task_id": task_id}, task_id=task_id)
    db.session.commit()
    return case


def may_reassign(user: User, case) -> bool:
    """An administrator, or the head of the case's department."""
    return user.has_role("admin") or (user.has_role("head") and user.department_id == case.department_id)


def eligible_assignees(user: User, row: HumanTask) -> list[User]:
    """The active people ``row`` may be handed to (they may work its lane), by department and name; [] for
    someone who may not reassign it."""
    if not may_reassign(user, row.case):
        return []
    people = db.session.execute(select(User).where(User.active.is_(True))).scalars()
    found = [u for u in people if u.id != row.assignee_id and access.may_work_task(u, row)]
    return sorted(found, key=lambda u: (u.department.name if u.department else "", u.display_name))


@command
def reassign(user: User, task_id: str, to_username: str, reason: str = ""):
    """A head hands an open task to someone else who may work its lane."""
    row = db.session.get(HumanTask, task_id)
    if row is None:
        raise NotFound("任务不存在")
    case = lock_case(row.case_id)
    if not may_reassign(user, case):
        raise Forbidden("只有本部门负责人可以转办任务")
    if row.state != "ready":
        raise Conflict("该任务已办理或已取消")
    target = db.session.execute(select(User).where(User.username == to_username)).scalar_one_or_none()
    if target is None:
        raise NotFound(f"用户 {to_username} 不存在")
    if not access.may_work_task(target, row):
        raise Invalid(f"{target.display_name}不能办理“{row.lane}”环节的任务", {"to": "该人员没有此环节的权限"})
    before = row.assignee.username if row.assignee else None
    row.assignee_id = target.id
    case.version += 1
    history.record(case, "task_reassigned", user, f"转办“{row.title}”给{target.display_name}"
                   + (f"：{reason.strip()}" if reason and reason.strip() else ""),
                   {"from": before, "to": target.username, "reason": (reason or "").strip()}, task_id=row.id)
    db.session.commit()
    return row
