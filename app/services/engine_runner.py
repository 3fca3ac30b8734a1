"""The one place the application drives the engine and applies what it reports.

After every engine run, in the same transaction: store the state and case
data, sync the ``human_task`` inbox rows, write history events, set the
case's status and next wake-up.  Engine errors never leave half a change:
the caller's transaction is rolled back.
"""
from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload
from SpiffWorkflow.exceptions import SpiffWorkflowException

from workflows.engine import Engine, StepReport
from workflows.parsing import MultiInstanceRefused

from ..extensions import db
from ..models import Case, Department, HumanTask, User
from ..models.types import utcnow
from . import clocks, facts, history, search_grams
from .errors import EngineFailure, Invalid, ServiceError
from .handlers import CommandContext, bind

ENGINE = Engine()


def run(case: Case, actor: User | None, step) -> StepReport:
    """Run ``step(engine, handlers)`` and apply its report to ``case``."""
    handlers = bind(CommandContext(case=case, actor=actor))
    try:
        report = step(ENGINE, handlers)
    except ServiceError:
        raise
    except MultiInstanceRefused as exc:
        # The data cannot make the instances (missing list, over the cap): a refusal naming the field.
        raise Invalid(exc.message, {exc.field: exc.message}) from None
    except SpiffWorkflowException as exc:
        refused = _multi_instance_refusal(exc)
        if refused is not None:
            raise Invalid(refused.message, {refused.field: refused.message}) from None
        # A service handler's own refusal (e.g. a letter the law would not
        # accept) reaches us wrapped by the engine: report it as it was raised.
        cause = exc.__cause__
        while cause is not None and not isinstance(cause, ServiceError):
            cause = cause.__cause__
        if cause is not None:
            raise cause from exc
        current_app.logger.exception("engine error on case %s", case.tracking_number)
        raise EngineFailure(f"流程执行出错：{exc}") from exc
    apply(case, report, actor)
    return report


def _multi_instance_refusal(exc):
    """The :class:`MultiInstanceRefused` behind an engine error, if the engine wrapped one."""
    while exc is not None and not isinstance(exc, MultiInstanceRefused):
        exc = exc.__cause__ or exc.__context__
    return exc


def apply(case: Case, report: StepReport, actor: User | None) -> None:
    case.engine_state = report.state
    case.data = report.data
    words = search_text(case, limit=None)
    case.search_text = words[:SEARCH_TEXT_LIMIT]
    case.search_grams = search_grams.grams(words)  # from the whole text: a name past the limit is still found
    case.next_wakeup = report.next_wakeup
    case.updated_at = utcnow()
    clocks.sync_task_due_dates(case, _sync_inbox(case, report))
    if report.completed and case.status == "active":
        case.status = str(report.data.get("case_outcome") or "completed")
        case.completed_at = utcnow()
        history.record(case, "case_completed", actor, f"案件办结：{case.status}", {"status": case.status})
    facts.refresh(case)


SEARCH_TEXT_LIMIT = 20000


def search_text(case: Case, limit: int | None = SEARCH_TEXT_LIMIT) -> str:
    """The words of a case for full-text search: its tracking number and every text value of its data."""
    parts = [case.tracking_number]

    def walk(value):
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(case.data)
    return "\n".join(parts)[:limit]


def _department_id(code: str | None) -> int | None:
    """The department a routed task goes to; an unknown code stops the step (it would reach nobody)."""
    if code is None:
        return None
    with db.session.no_autoflush:
        found = db.session.execute(select(Department.id).where(Department.code == code)).scalar_one_or_none()
    if found is None:
        raise Invalid(f"流程把任务交给了不存在的部门“{code}”", {"department": f"没有代码为“{code}”的部门"})
    return found


def _sync_inbox(case: Case, report: StepReport) -> list[HumanTask]:
    """Bring the case's inbox rows in line with the report; returns the rows left open."""
    ready_ids = {t.id for t in report.ready}
    created_ids = [t.id for t in report.created]
    # One query for both the open rows and any earlier row of a task that comes back (a rewind).
    with db.session.no_autoflush:
        known = {row.id: row for row in db.session.query(HumanTask).options(lazyload("*")).filter(
            HumanTask.case_id == case.id,
            or_(HumanTask.state == "ready", HumanTask.id.in_(created_ids)) if created_ids
            else HumanTask.state == "ready")}
    still_open = []
    for task_id, row in known.items():
        if row.state != "ready":
            continue  # completed by this command, or a finished task that may be reopened below
        if task_id in ready_ids:
            still_open.append(row)
        else:
            # Completed rows are marked by the completing command before this
            # runs; anything else that vanished was cancelled by the process.
            row.state = "cancelled"
            row.completed_at = utcnow()
    for task in report.created:
        row = known.get(task.id)
        if row is not None and row in still_open:
            continue
        if row is not None:  # a rewound task comes back under its own id
            row.state, row.assignee_id, row.completed_at, row.completed_by_id = "ready", None, None, None
            history.record(case, "task_created", None, f"重新待办：{task.title}（{task.lane or ''}）",
                           {"spec_name": task.spec_name, "lane": task.lane, "reopened": True}, task_id=task.id)
        else:
            row = HumanTask(id=task.id, case_id=case.id, process_key=case.process_key, spec_name=task.spec_name,
                            title=task.title, lane=task.lane, form=task.form, state="ready",
                            department_id=_department_id(task.department))
            db.session.add(row)
            history.record(case, "task_created", None, f"待办：{task.title}（{task.lane or ''}）",
                           {"spec_name": task.spec_name, "lane": task.lane}, task_id=task.id)
        still_open.append(row)
    return still_open
