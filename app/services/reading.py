"""Read-side queries, each with its access check.

Case data leaves the services through :func:`visible_data` (and history payloads through
:func:`visible_payload`): fields a form marks ``"x-confidential-when": {key: value, …}`` are removed when the
case's data matches and the reader may not see them (:func:`app.services.access.may_see_confidential`).
"""
from dataclasses import dataclass

from sqlalchemy import func, not_, select

from .. import families
from ..extensions import db
from ..models import Case, Document, HumanTask, User
from . import access, filters, history, processes
from .errors import Forbidden, NotFound


CASES_PER_PAGE = 50


def visible_cases(user: User, status: str | None = None, text: str = "", page: int = 1,
                  per_page: int = CASES_PER_PAGE) -> filters.Page:
    """One page of the cases the user may see, newest first, with the number of all of them (no silent cap)."""
    where = [access.visible_cases_clause(user)]
    if status:
        where.append(Case.status == status)
    text = filters.check_text(text)
    if text:
        # A case whose confidential fields are hidden from the user is not searched at all: a hit would say
        # what its hidden fields contain.
        where += [filters.text_clause(text), not_(hidden_clause(user))]
    total = db.session.execute(select(func.count()).select_from(Case).where(*where)).scalar_one()
    rows = db.session.execute(select(Case).where(*where).order_by(Case.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).scalars()
    return filters.Page(items=list(rows), total=total, page=page, per_page=per_page)


def get_task(user: User, task_id: str) -> tuple[HumanTask, dict | None]:
    """The task and its form schema; the user must be able to see its case."""
    row = db.session.get(HumanTask, task_id)
    if row is None:
        raise NotFound("任务不存在")
    if not access.may_work_task(user, row):
        access.require_view(user, row.case, "任务不存在")
    definition = processes.definition(row.case.process_version)
    return row, processes.task_form(definition, row.spec_name)


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
    access.require_view(user, case, "文书不存在")
    if hidden_keys(user, case):
        # Letters are addressed to the person whose identity is hidden from this user.
        raise Forbidden("该案件的文书载有依法保密的当事人信息，您无权查看")
    _require_intact("document", doc)
    return doc


def _require_intact(kind: str, row) -> None:
    from .errors import Tampered
    from .integrity import check_file
    if not check_file(kind, row):
        raise Tampered(f"该{'文书' if kind == 'document' else '附件'}的内容与办理记录中登记的 SHA-256 不符，"
                       "疑似被篡改，已停止提供；请通知审计人员核查")


def related_cases(user: User, case: Case) -> list[tuple[str, Case]]:
    """``(relation, case)`` linked to ``case`` by its process (e.g. a petition and its reviews), those ``user``
    may read."""
    hook = families.hook(case.process_key, "related_cases")
    return [(relation, other) for relation, other in (hook(case) if hook else [])
            if access.can_view_case(user, other)]


def case_panel(user: User, case: Case) -> dict | None:
    """A section the process adds to its case page (e.g. a supervision item's progress), for a reader of it."""
    hook = families.hook(case.process_key, "case_panel")
    return hook(user, case) if hook else None


def case_parties(user: User, rows) -> dict[int, str]:
    """Case id → who the case is about, for lists: the first filled key of its family's ``party_keys``
    (申请人, 信访人, 牵头单位…), shown as the start form labels it (a department's name, not its code)."""
    from workflows.forms import labelled_values

    forms: dict[int, dict] = {}  # start form with live choices, once per process version
    parties = {}
    for case in rows:
        family = families.for_process(case.process_key)
        keys = family.party_keys if family else ()
        data = visible_data(user, case)
        wanted = {k: data[k] for k in keys if data.get(k) not in (None, "", [])}
        if not wanted:
            parties[case.id] = ""
            continue
        if case.process_version_id not in forms:
            forms[case.process_version_id] = processes.start_form(processes.definition(case.process_version)) or {}
        shown = {key: value for key, _, value in labelled_values([forms[case.process_version_id]], wanted)}
        parties[case.id] = next((shown.get(k) or str(wanted[k]) for k in keys if k in wanted), "")
    return parties


def case_fields(case: Case, user: User) -> list[tuple[str, str, str]]:
    """The case's data that ``user`` may read, labelled for display (generic: labels come from the forms)."""
    from workflows.forms import labelled_values
    definition = processes.definition(case.process_version)
    return labelled_values(definition.forms.values(), visible_data(user, case))


# -- confidential fields ---------------------------------------------------------------------------------

CONFIDENTIAL = "x-confidential-when"


_confidential_cache: dict[tuple, tuple] = {}


def _confidential_fields(definition, process_key: str) -> tuple:
    """``((field, condition), …)`` of a process version: its forms' annotations together with the rules the
    process family keeps in code (``confidential_fields`` hook: a deploy that drops an annotation weakens
    nothing). Computed once per version (forms never change)."""
    found = _confidential_cache.get((process_key, definition.content_hash))
    if found is None:
        found = tuple((name, when) for schema in definition.forms.values()
                      for name, prop in (schema or {}).get("properties", {}).items()
                      if isinstance(when := prop.get(CONFIDENTIAL), dict) and when)
        family = families.hook(process_key, "confidential_fields")
        found += tuple(rule for rule in (family() if family else ()) if rule not in found)
        _confidential_cache[(process_key, definition.content_hash)] = found
    return found


def _conditions(definition, process_key: str) -> list[dict]:
    """The distinct conditions under which some field of the process is confidential."""
    found = []
    for _, when in _confidential_fields(definition, process_key):
        if when not in found:
            found.append(when)
    return found


def confidential_keys(case: Case, version=None) -> set[str]:
    """The fields of the case that are confidential given its data (whoever reads them), under its own
    process version or, when given, under ``version`` (e.g. a migration target)."""
    data = case.data or {}
    return {name for name, when in _confidential_fields(processes.definition(version or case.process_version),
                                                        case.process_key)
            if all(data.get(k) == v for k, v in when.items())}


def hidden_keys(user: User, case: Case) -> set[str]:
    """The fields of the case ``user`` may not read."""
    keys = confidential_keys(case)
    return keys if keys and not access.may_see_confidential(user, case) else set()


def visible_data(user: User, case: Case) -> dict:
    """The case data as ``user`` may read it: every view of case data goes through here."""
    hidden = hidden_keys(user, case)
    return {k: v for k, v in (case.data or {}).items() if k not in hidden}


def visible_payload(user: User, case: Case, payload, hidden: set[str] | None = None):
    """A history payload (or any JSON) without the fields ``user`` may not read, at any depth."""
    hidden = hidden_keys(user, case) if hidden is None else hidden
    if not hidden:
        return payload
    if isinstance(payload, dict):
        return {k: visible_payload(user, case, v, hidden) for k, v in payload.items() if k not in hidden}
    if isinstance(payload, list):
        return [visible_payload(user, case, v, hidden) for v in payload]
    return payload


# What a reader who may not learn the reporter's identity sees of events whose text the registering
# department wrote (a file's name, a comment's words may name the reporter).
_WITHHELD = {"attachment_added": "登记部门上传了附件（可能涉及检举控告人身份，不予显示）",
             "comment_added": "登记部门发表了评论（可能涉及检举控告人身份，不予显示）"}


def filed_by_registrar(case: Case, author: User | None) -> bool:
    """Written or filed by the department that registered the case."""
    return author is not None and author.department_id is not None and author.department_id == case.department_id


@dataclass(frozen=True)
class EventView:
    """A history event as one reader may see it (the stored row, and its hash, stay whole)."""

    seq: int
    type: str
    at: object
    actor_name: str
    task_id: str | None
    summary: str
    payload: object
    prev_hash: str
    hash: str


def visible_events(user: User, case: Case) -> list[EventView]:
    """The case history for ``user``: confidential fields out of payloads, the registrar's words withheld."""
    hidden = hidden_keys(user, case)
    authors = {}
    views = []
    for e in history.events(case.id):
        summary, payload = e.summary, e.payload
        if hidden:
            payload = visible_payload(user, case, payload, hidden)
            if e.type in _WITHHELD and e.actor_id is not None:
                author = authors.setdefault(e.actor_id, db.session.get(User, e.actor_id))
                if filed_by_registrar(case, author):
                    summary, payload = _WITHHELD[e.type], {}
        views.append(EventView(e.seq, e.type, e.at, e.actor_name, e.task_id, summary, payload, e.prev_hash, e.hash))
    return views


def hidden_clause(user: User):
    """SQL condition: cases with fields hidden from ``user`` (searches by those fields must not find them)."""
    conditions = {}
    for version in processes.deployed_keys():
        found = _conditions(processes.definition(version), version.process_key)
        if found:
            conditions[version.process_key] = found
    return access.confidential_hidden_clause(user, conditions)


def task_context(user: User, row: HumanTask) -> dict:
    """What the process shows beside a task (e.g. likely duplicates), for those who may work it."""
    hook = families.hook(row.process_key, "task_context")
    if hook is None or row.state != "ready" or not access.may_work_task(user, row):
        return {}
    return hook(user, row.case, row) or {}
