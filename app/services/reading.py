"""Read-side queries, each with its access check."""
from sqlalchemy import select

from ..extensions import db
from ..models import Case, Document, HumanTask, User
from . import access, filters, processes
from .errors import Forbidden, NotFound


def visible_cases(user: User, status: str | None = None, limit: int = 200, text: str = "") -> list[Case]:
    q = select(Case).where(access.visible_cases_clause(user))
    if status:
        q = q.where(Case.status == status)
    text = filters.check_text(text)
    if text:
        q = q.where(filters.text_clause(text))
    return list(db.session.execute(q.order_by(Case.id.desc()).limit(limit)).scalars())


def get_task(user: User, task_id: str) -> tuple[HumanTask, dict | None]:
    """The task and its form schema; the user must be able to see its case."""
    row = db.session.get(HumanTask, task_id)
    if row is None:
        raise NotFound("任务不存在")
    if not access.may_work_lane(user, row.process_key, row.lane):
        access.require_view(user, row.case)
    definition = processes.definition(row.case.process_version)
    return row, definition.form_for(row.spec_name)


def task_instructions(row: HumanTask) -> str:
    info = processes.definition(row.case.process_version).user_tasks.get(row.spec_name)
    return info.instructions if info else ""


def case_documents(case: Case) -> list[Document]:
    return list(db.session.execute(
        select(Document).where(Document.case_id == case.id).order_by(Document.id)).scalars())


def get_document(user: User, document_id: int) -> Document:
    doc = db.session.get(Document, document_id)
    if doc is None:
        raise NotFound("文书不存在")
    case = db.session.get(Case, doc.case_id)
    if not access.can_view_case(user, case):
        raise Forbidden("您无权查看该文书")
    return doc


def case_fields(case: Case) -> list[tuple[str, str, str]]:
    """The case's data labelled for display (generic: labels come from the forms)."""
    from workflows.forms import labelled_values
    definition = processes.definition(case.process_version)
    return labelled_values(definition.forms.values(), case.data)
