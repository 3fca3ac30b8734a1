"""Case commands: start a case, claim/release/complete a task.  One transaction each."""
import functools
from sqlalchemy import delete, select
from sqlalchemy.orm import lazyload

from workflows.engine import TaskNotReady
from workflows.forms import decision_words, validate_submission, with_defaults

from .. import families
from ..extensions import db
from ..models import Case, HumanTask, TaskDraft, User
from ..models.types import utcnow
from . import access, engine_runner, history, incidents, processes
from .clock import today
from .errors import Conflict, EngineFailure, Invalid, NotFound
from .locking import lock_case_of_task
from .numbers import next_number


def _commit():
    db.session.commit()


def command(fn):
    """One command = one transaction: commit on success, roll back on any error."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
    return wrapper


def get_case(user: User, case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFound("案件不存在")
    access.require_view(user, case)
    return case


@command
def start_case(user: User, process_key: str, data: dict, claim: bool = False) -> Case:
    """Register a new case on the newest version of ``process_key``.

    With ``claim`` (the registration page), the first tasks the registrar may work are claimed for them in
    the same transaction, so the case they just registered waits in their own 我的待办.
    """
    access.require_create(user)
    version = processes.latest(process_key)
    definition = processes.definition(version)
    access.require_create(user, version.process_key, definition.start_lane)
    case = register(version, data, actor=user, department_id=user.department_id)
    if claim:
        db.session.flush()
        for row in case_tasks(case, open_only=True):
            if row.assignee_id is None and access.may_work_task(user, row):
                row.assignee_id = user.id
                history.record(case, "task_claimed", user, f"登记后自动认领任务：{row.title}", task_id=row.id)
    _commit()
    return case


def register(version, data: dict, *, actor: User | None, department_id: int | None, as_of=None) -> Case:
    """Create and start a case on ``version`` without committing: the one registration path.

    Officers reach it through :func:`start_case` (which checks who may register); the public side
    (:mod:`app.public`) files online as its role-less public account, in the registrar's department. The start form is
    validated as of ``as_of`` (default today): an online filing made on a rest day is received, and so
    validated, on the next working day. Raises :class:`Invalid` naming the fields.
    """
    definition = processes.definition(version)
    schema = processes.start_form(definition)
    if schema is not None:
        errors = validate_submission(schema, data, today=as_of or today())
        if errors:
            raise Invalid("登记信息有误，请检查标出的字段", errors)
        data = with_defaults(schema, data)
    # The process's own rules for a registration (e.g. a request linked to an earlier case): what it derives
    # from the registration, and what it refuses.
    check = families.hook(version.process_key, "check_start")
    if check:
        derived, errors = check(actor, data)
        if errors:
            raise Invalid("登记信息有误，请检查标出的字段", errors)
        data = {**data, **derived}
    year = today().year
    seq = next_number(definition.tracking_prefix, year)
    case = Case(
        process_key=version.process_key, process_version_id=version.id,
        tracking_number=f"{definition.tracking_prefix}-{year}-{seq:06d}",
        status="active", department_id=department_id, data=dict(data), engine_state={},
        version=1, created_by_id=actor.id if actor else None,
    )
    db.session.add(case)
    db.session.flush()
    history.record(case, "case_started", actor, f"登记案件 {case.tracking_number}",
                   {"process": version.process_key, "process_version": version.version, "data": data})
    engine_runner.run(case, actor, lambda engine, handlers: engine.start(definition, data, handlers))
    return case


def _lock_task(user: User, task_id: str, case_version: int | None) -> tuple[Case, HumanTask]:
    case = lock_case_of_task(task_id)
    # Read the row after the lock, so its state is what the winner of a race left.
    row = db.session.execute(select(HumanTask).where(HumanTask.id == task_id).options(lazyload(HumanTask.case))
                             .execution_options(populate_existing=True)).scalar_one()
    access.require_task(user, row)
    if case.status != "active":
        raise Conflict({"suspended": "案件已暂停办理", "incident": "案件有待处理的故障，暂不能办理",
                        "terminated": "案件已终止"}.get(case.status, "案件已办结"))
    if case_version is not None and case.version != case_version:
        raise Conflict(f"案件已被他人修改（您看到的是第 {case_version} 版，当前是第 {case.version} 版），"
                       "请刷新后重新办理")
    if row.state != "ready":
        who = row.completed_by.display_name if row.completed_by else "他人"
        raise Conflict(f"该任务已由{who}办理完毕或已取消")
    if row.assignee_id not in (None, user.id):
        raise Conflict(f"该任务已由{row.assignee.display_name}认领")
    return case, row


@command
def claim_task(user: User, task_id: str, case_version: int | None = None) -> HumanTask:
    case, row = _lock_task(user, task_id, case_version)
    if row.assignee_id != user.id:
        row.assignee_id = user.id
        case.version += 1
        history.record(case, "task_claimed", user, f"认领任务：{row.title}", task_id=row.id)
    _commit()
    return row


@command
def release_task(user: User, task_id: str) -> HumanTask:
    case, row = _lock_task(user, task_id, None)
    if row.assignee_id == user.id:
        row.assignee_id = None
        case.version += 1
        history.record(case, "task_released", user, f"退回任务到待认领：{row.title}", task_id=row.id)
    _commit()
    return row


@command
def complete_task(user: User, task_id: str, data: dict, case_version: int | None, _retrying=None) -> Case:
    """Complete a ready task with form data.

    Refused with :class:`Conflict` when the case changed since ``case_version``
    or the task is no longer open, and with :class:`Invalid` (naming fields)
    when the data does not satisfy the task's form.  When a service task after
    it fails, the whole step is rolled back and an incident is opened that
    keeps the submission for an administrator's retry (``EngineFailure`` is
    raised, with the incident attached).
    """
    if case_version is None and _retrying is None:
        raise Invalid("缺少案件版本号（case_version）", {"case_version": "必填"})
    case, row = _lock_task(user, task_id, case_version)
    version = case.process_version
    definition = processes.definition(version)
    schema = processes.task_form(definition, row.spec_name) or {"type": "object", "additionalProperties": False}
    errors = validate_submission(schema, data, case.data, today=today())
    submitted = data
    derived, problems = _domain_check(user, case, row, data)
    for name, message in problems.items():
        errors.setdefault(name, message)
    data = {**data, **derived}
    if errors:
        raise Invalid("表单填写有误，请检查标出的字段", errors)
    data = with_defaults(schema, data, case.data)

    before = dict(case.data)
    row.state = "completed"
    row.assignee_id = user.id
    row.completed_by_id = user.id
    row.completed_at = utcnow()
    decided = decision_words(schema, submitted)
    history.record(case, "task_completed", user, f"办理：{row.title}" + (f"——{decided}" if decided else ""), {
        "spec_name": row.spec_name,
        "submitted": data,
        "before": {k: before.get(k) for k in data if before.get(k) != data[k]},
    }, task_id=row.id)
    try:
        engine_runner.run(case, user, lambda engine, handlers:
                          engine.complete(definition, case.engine_state, task_id, data, handlers))
    except TaskNotReady as exc:
        raise Conflict(str(exc)) from None
    except EngineFailure as exc:
        if _retrying is not None:
            raise
        exc.incident = incidents.open_incident(
            case.id, step=row.title, error=exc.message, task_id=task_id,
            retry={"command": "complete_task", "task_id": task_id, "data": submitted, "user_id": user.id})
        exc.message += "。提交的内容已保存并登记为故障，系统管理员排除原因后重试即可继续办理"
        raise
    if _retrying is not None:
        incidents.resolve(_retrying, None)
    # What was saved half-done (app/services/task_drafts.py) is now submitted: every draft of the task goes.
    db.session.execute(delete(TaskDraft).where(TaskDraft.task_id == task_id))
    case.version += 1
    _commit()
    return case


@command
def complete_for_public(task_id: str, data: dict, actor: User) -> Case:
    """Complete a task the process leaves to the applicant themselves, submitted on the public side.

    Used for the petitioner's own satisfaction evaluation (app.public). The caller has checked the query code;
    ``actor`` is the public account. The task's form still decides what is accepted.
    """
    case = lock_case_of_task(task_id)
    row = db.session.execute(select(HumanTask).where(HumanTask.id == task_id)
                             .execution_options(populate_existing=True)).scalar_one()
    if case.status != "active" or row.state != "ready":
        raise Conflict("该事项当前不能办理这一步")
    definition = processes.definition(case.process_version)
    schema = processes.task_form(definition, row.spec_name) or {"type": "object", "additionalProperties": False}
    errors = validate_submission(schema, data, case.data, today=today())
    if errors:
        raise Invalid("填写有误，请检查标出的项目", errors)
    row.state, row.completed_by_id, row.completed_at = "completed", actor.id, utcnow()
    history.record(case, "task_completed", actor, f"办理：{row.title}（网上提交）",
                   {"spec_name": row.spec_name, "submitted": data, "before": {}}, task_id=row.id)
    try:
        engine_runner.run(case, actor, lambda engine, handlers:
                          engine.complete(definition, case.engine_state, task_id, data, handlers))
    except TaskNotReady as exc:
        raise Conflict(str(exc)) from None
    case.version += 1
    _commit()
    return case


def _domain_check(user: User, case: Case, row: HumanTask, data: dict) -> tuple[dict, dict]:
    """The process's own rules for a submission (reached through app.families): the case data it derives
    from the submission, and ``{field: message}`` for what it refuses."""
    check = families.hook(case.process_key, "check_submission")
    return check(user, case, row, data) if check else ({}, {})


def case_tasks(case: Case, open_only: bool = False) -> list[HumanTask]:
    q = select(HumanTask).where(HumanTask.case_id == case.id)
    if open_only:
        q = q.where(HumanTask.state == "ready")
    return list(db.session.execute(q.order_by(HumanTask.created_at)).scalars())

