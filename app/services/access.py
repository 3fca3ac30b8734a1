"""Who may see and do what.  Every service calls these; templates only mirror them.

- admin, auditor, supervisor: read every case.
- officer, head: cases of their own department, and cases in which their
  role/department is a candidate for some task (e.g. the confidentiality office).
- A leader attached to a case (领导包案, :mod:`app.services.leaders`) reads that case.
- Working a task needs a lane assignment matching the user's role and department,
  and, for a task the process routed to one department, being of that department.
- Auditors change nothing: they are never given lanes, and commands refuse them.
- Confidential fields (a form property annotated ``x-confidential-when``, e.g. the identity of someone who
  reports misconduct) are read only by the department that registered the case and by
  auditors (who audit the record and must verify its hash chain); everyone else — the department handling
  or reported on, heads of other departments, supervisors, administrators — gets the case without them.
  :mod:`app.services.reading` applies this to every view.
"""
from sqlalchemy import and_, exists, false, or_, select

from ..extensions import db
from ..models import Case, CaseLeader, HumanTask, LaneAssignment, User
from .errors import Forbidden, NotFound

READ_ALL_ROLES = ("admin", "auditor", "supervisor")
CONFIDENTIAL_READER_ROLES = ("auditor",)
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


def task_admits_clause(user: User):
    """SQL condition over ``HumanTask``: this user may claim and work the task.

    The lane's assignment must admit the user's role (and department, when the
    assignment names one); a task the process routed to one department
    (``departmentFrom``) is moreover only for that department's people.
    """
    return and_(
        exists().where(LaneAssignment.process_key == HumanTask.process_key,
                       LaneAssignment.lane == HumanTask.lane, _lane_match(user)),
        or_(HumanTask.department_id.is_(None), HumanTask.department_id == user.department_id),
    )


def visible_cases_clause(user: User):
    """SQL condition selecting the cases ``user`` may read."""
    if user.has_role(*READ_ALL_ROLES):
        return True
    via_task = exists().where(
        HumanTask.case_id == Case.id,
        or_(
            HumanTask.assignee_id == user.id,
            HumanTask.completed_by_id == user.id,
            task_admits_clause(user),
        ),
    )
    own_department = Case.department_id == user.department_id if user.department_id else False
    led = exists().where(CaseLeader.case_id == Case.id, CaseLeader.user_id == user.id)
    return or_(own_department, via_task, led)


def can_view_case(user: User, case: Case, follow_links: bool = True) -> bool:
    """Whether ``user`` reads ``case``; with ``follow_links``, also through a process's linked cases (hook
    ``linked_readable``: e.g. the body deciding a petition review reads the petition it reviews)."""
    if not user.is_active:
        return False
    if user.has_role(*READ_ALL_ROLES):
        return True
    if db.session.execute(select(exists().where(Case.id == case.id, visible_cases_clause(user)))).scalar():
        return True
    if not follow_links:
        return False
    from .. import families
    linked = families.hook(case.process_key, "linked_readable")
    return bool(linked and linked(user, case))


def require_view(user: User, case: Case, not_found: str = "案件不存在") -> None:
    """Refuse a case ``user`` may not see exactly as a case that does not exist (404 with the same message):
    the answer must not tell an outsider which ids exist."""
    if not can_view_case(user, case):
        raise NotFound(not_found)


def may_start(user: User, process_key: str, start_lane: str | None) -> bool:
    """Registering a case: an officer or head, admitted to the lane of the process's start event."""
    if not user.is_active or not user.has_role(*CASE_CREATOR_ROLES):
        return False
    return start_lane is None or may_work_lane(user, process_key, start_lane)


def require_create(user: User, process_key: str | None = None, start_lane: str | None = None) -> None:
    if not user.has_role(*CASE_CREATOR_ROLES):
        raise Forbidden("只有办事人员或负责人可以登记案件")
    if process_key is not None and not may_start(user, process_key, start_lane):
        raise Forbidden(f"您不能在“{start_lane}”环节登记该类案件")


def _routed_elsewhere(user: User, task: HumanTask) -> bool:
    return task.department_id is not None and task.department_id != user.department_id


def may_work_task(user: User, task: HumanTask) -> bool:
    """The Python form of :func:`task_admits_clause`: the lane admits the user, and a routed task is theirs."""
    return not _routed_elsewhere(user, task) and may_work_lane(user, task.process_key, task.lane)


def require_task(user: User, task: HumanTask) -> None:
    if not may_work_lane(user, task.process_key, task.lane):
        raise Forbidden(f"您不能办理“{task.lane}”环节的任务")
    if _routed_elsewhere(user, task):
        raise Forbidden(f"该任务交由{task.department.name if task.department else '其他部门'}办理")


def may_see_confidential(user: User, case: Case) -> bool:
    """Whether ``user`` reads the case's confidential fields: the registering department, or an auditor."""
    if not user.is_active:
        return False
    if user.has_role(*CONFIDENTIAL_READER_ROLES):
        return True
    return user.department_id is not None and user.department_id == case.department_id


def confidential_hidden_clause(user: User, conditions: dict[str, list[dict]]):
    """SQL condition: cases whose confidential fields ``user`` may not read.

    ``conditions``: process key -> the ``x-confidential-when`` conditions of its forms (any one applies).
    """
    if user.has_role(*CONFIDENTIAL_READER_ROLES) or not conditions:
        return false()
    confidential = or_(*(
        and_(Case.process_key == key, *(Case.data[field].as_string() == str(value) for field, value in when.items()))
        for key, whens in conditions.items() for when in whens))
    if user.department_id is None:
        return confidential
    return and_(confidential, or_(Case.department_id.is_(None), Case.department_id != user.department_id))
