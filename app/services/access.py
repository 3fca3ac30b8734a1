"""Who may see and do what.  Every service calls these; templates only mirror them.

- admin, auditor, supervisor: read every case.
- officer, head: cases of their own department, and cases in which their
  role/department is a candidate for some task (e.g. the confidentiality office).
- Working a task needs a lane assignment matching the user's role and department.
- Auditors change nothing: they are never given lanes, and commands refuse them.
"""
from sqlalchemy import and_, exists, or_, select

from ..extensions import db
from ..models import Case, HumanTask, LaneAssignment, User
from .errors import Forbidden

READ_ALL_ROLES = ("admin", "auditor", "supervisor")
CASE_CREATOR_ROLES = ("officer", "head")


def _lane_match(user: User):
    """SQL condition: a lane_assignment row admits this user."""
    return and_(
        LaneAssignment.role.in_(user.roles or {"-"}),
        or_(LaneAssignment.department_id.is_(None), LaneAssignment.department_id == user.department_id),
    )


def may_work_lane(user: User, process_key: str, lane: str | None) -> bool:
    if lane is None or not user.is_active:
        return False
    return db.session.execute(select(exists().where(
        LaneAssignment.process_key == process_key, LaneAssignment.lane == lane, _lane_match(user)
    ))).scalar()


def visible_cases_clause(user: User):
    """SQL condition selecting the cases ``user`` may read."""
    if user.has_role(*READ_ALL_ROLES):
        return True
    via_task = exists().where(
        HumanTask.case_id == Case.id,
        or_(
            HumanTask.assignee_id == user.id,
            HumanTask.completed_by_id == user.id,
            exists().where(LaneAssignment.process_key == HumanTask.process_key,
                           LaneAssignment.lane == HumanTask.lane, _lane_match(user)),
        ),
    )
    own_department = Case.department_id == user.department_id if user.department_id else False
    return or_(own_department, via_task)


def can_view_case(user: User, case: Case) -> bool:
    if not user.is_active:
        return False
    if user.has_role(*READ_ALL_ROLES):
        return True
    return db.session.execute(
        select(exists().where(Case.id == case.id, visible_cases_clause(user)))
    ).scalar()


def require_view(user: User, case: Case) -> None:
    if not can_view_case(user, case):
        raise Forbidden("您无权查看该案件")


def require_create(user: User) -> None:
    if not user.has_role(*CASE_CREATOR_ROLES):
        raise Forbidden("只有办事人员或负责人可以登记案件")


def require_task(user: User, task: HumanTask) -> None:
    if not may_work_lane(user, task.process_key, task.lane):
        raise Forbidden(f"您不能办理“{task.lane}”环节的任务")
