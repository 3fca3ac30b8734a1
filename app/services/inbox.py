"""Inbox queries: one indexed SQL query each, straight from ``human_task``."""
from sqlalchemy import and_, exists, or_, select

from ..extensions import db
from ..models import HumanTask, LaneAssignment, User


def _order():
    # Tasks with a due date first, soonest first; then oldest first.
    return (HumanTask.due_date.is_(None), HumanTask.due_date, HumanTask.created_at)


def my_tasks(user: User) -> list[HumanTask]:
    return list(db.session.execute(
        select(HumanTask).where(HumanTask.assignee_id == user.id, HumanTask.state == "ready")
        .order_by(*_order())
    ).scalars())


def claimable_tasks(user: User) -> list[HumanTask]:
    if not user.roles:
        return []
    admits = exists().where(
        LaneAssignment.process_key == HumanTask.process_key,
        LaneAssignment.lane == HumanTask.lane,
        LaneAssignment.role.in_(user.roles),
        or_(LaneAssignment.department_id.is_(None), LaneAssignment.department_id == user.department_id),
    )
    return list(db.session.execute(
        select(HumanTask).where(and_(HumanTask.state == "ready", HumanTask.assignee_id.is_(None), admits))
        .order_by(*_order())
    ).scalars())
