"""The status lookup: tracking number + query code → what the applicant may know about their case.

The status view is built field by field from what the process family declares public
(:func:`app.families.public_status`): the stage in plain words, the received date, the office's statutory
periods with the explanation of how each date was computed, and the letters addressed to the applicant.
It never carries case data, officers' names, comments, history or other people's letters.

A wrong code and an unknown number raise the same :class:`NotFound` with the same message, after the same
work (a keyed hash is computed either way), so the answer never tells whether a number exists.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from .. import families
from ..extensions import db
from ..models import Case, Document, HumanTask, PublicAccess, PublicDownload
from ..services import cases, clocks, history, processes
from ..services.clock import today
from ..services.errors import Conflict, Invalid, NotFound
from ..services.locking import lock_case
from . import filing, tokens

NOT_FOUND = "编号或查询码不正确，请核对后重试"
STATUS_WORDS = {"active": "办理中", "suspended": "办理中", "incident": "办理中", "completed": "已办结",
                "archived": "已办结", "withdrawn": "已终止办理（视为放弃申请）", "terminated": "已终止办理"}
SATISFACTION = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}
REVIEW_PROCESS = "petition_review"


@dataclass
class PublicDeadline:
    name: str
    due_date: date
    provisional: bool
    state: str
    explanation: list[str]


@dataclass
class PublicDocument:
    id: int
    title: str
    issued_on: date
    delivered_online: bool


@dataclass
class PublicStatus:
    tracking_number: str
    process: str
    process_name: str
    stage: str
    status: str
    received_on: str | None
    deadlines: list[PublicDeadline] = field(default_factory=list)
    documents: list[PublicDocument] = field(default_factory=list)
    may_evaluate: bool = False
    may_request_review: bool = False
    review_window: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _find(tracking_number: str | None, query_code: str | None) -> Case:
    """The case, when the code is its code; :class:`NotFound` (one message) otherwise."""
    number = str(tracking_number or "").strip().upper()[:40]
    row = db.session.execute(select(Case, PublicAccess.code_hash).join(
        PublicAccess, PublicAccess.case_id == Case.id).where(Case.tracking_number == number)).first()
    if not tokens.code_matches(query_code, row.code_hash if row else None):
        raise NotFound(NOT_FOUND)
    case = row.Case
    if families.public_status(case.process_key) is None:
        raise NotFound(NOT_FOUND)
    return case


def _local_date(moment) -> date:
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def _documents(case: Case, wording) -> list[Document]:
    return list(db.session.execute(select(Document).where(
        Document.case_id == case.id, Document.kind.in_(wording.DOCUMENT_KINDS)).order_by(Document.id)).scalars())


def _open_task(case: Case, spec_names) -> HumanTask | None:
    return db.session.execute(select(HumanTask).where(
        HumanTask.case_id == case.id, HumanTask.state == "ready", HumanTask.spec_name.in_(spec_names))
        .order_by(HumanTask.created_at)).scalars().first()


def _stage(case: Case, wording) -> str:
    if case.status not in ("active", "suspended", "incident"):
        return STATUS_WORDS.get(case.status, "已办结")
    task = _open_task(case, list(wording.STAGES))
    return wording.STAGES[task.spec_name] if task else wording.DEFAULT_STAGE


def _review_window(case: Case) -> tuple[bool, str]:
    """Whether the petitioner may ask for a 复查 now, and the sentence saying until when (XF 35).

    Asked of the review process's own registration rules (its ``check_start`` hook, app.petition.reviews), so
    the public side never holds a second copy of the window or the once-only rule.
    """
    check = families.hook(REVIEW_PROCESS, "check_start") if case.process_key == "petition" else None
    if check is None or case.status not in ("completed", "archived", "active"):
        return False, ""
    derived, errors = check(None, _review_request(case))
    if errors:
        return False, ""
    due = derived.get("request_due_date")
    return True, (f"如对处理意见不服，可在{due}前（含当日）" if due else "如对处理意见不服，可") + \
        "在网上请求复查（《信访工作条例》第三十五条）。"


def _opinion_received_on(case: Case) -> str | None:
    """The day the petitioner received the handling opinion online: its first download (XF 35: the review
    window runs from receipt), or None while it has not been downloaded."""
    first = db.session.execute(select(PublicDownload.first_downloaded_at).join(
        Document, Document.id == PublicDownload.document_id).where(
        Document.case_id == case.id, Document.kind == "handling_opinion")).scalar()
    return _local_date(first).isoformat() if first is not None else None


def _review_request(petition: Case, reasons: str | None = None) -> dict:
    """A 复查 request as the review process registers it. The petitioner proved who they are with the query
    code, so the request names them as the petition does (the review rules accept only the petitioner)."""
    data = {"review_kind": "review", "review_of": petition.tracking_number, "requested_on": today().isoformat(),
            "requester_name": petition.data.get("petitioner_name"),
            "requester_id_number": petition.data.get("id_number"),
            "requester_phone": petition.data.get("contact_phone"),
            "answer_received_on": _opinion_received_on(petition), "request_reasons": reasons}
    return {key: value for key, value in data.items() if value not in (None, "")}


def status(tracking_number: str | None, query_code: str | None) -> PublicStatus:
    """The public status of a case, or :class:`NotFound` for a wrong code or an unknown number alike."""
    case = _find(tracking_number, query_code)
    wording = families.public_status(case.process_key)
    deadlines = []
    for view in clocks.deadlines(case):
        if view.name not in wording.CLOCKS:
            continue
        title, basis = wording.CLOCKS[view.name]
        deadlines.append(PublicDeadline(title, view.due_date, view.provisional, view.state,
                                        [basis, *view.explanation]))
    delivered = set(db.session.execute(select(PublicDownload.document_id).where(
        PublicDownload.case_id == case.id)).scalars())
    docs = [PublicDocument(d.id, d.title, _local_date(d.created_at), d.id in delivered)
            for d in _documents(case, wording)]
    may_review, window = _review_window(case)
    received = case.data.get("received_on") or case.data.get("requested_on")
    return PublicStatus(
        tracking_number=case.tracking_number, process=case.process_key,
        process_name=case.process_version.name or wording.NOUN, stage=_stage(case, wording),
        status=STATUS_WORDS.get(case.status, "办理中"), received_on=str(received)[:10] if received else None,
        deadlines=deadlines, documents=docs,
        may_evaluate=bool(getattr(wording, "SATISFACTION_TASK", None))
        and _open_task(case, [wording.SATISFACTION_TASK]) is not None,
        may_request_review=may_review, review_window=window)


def download(tracking_number: str | None, query_code: str | None, document_id) -> Document:
    """A letter addressed to the applicant; the first download is recorded as electronic delivery."""
    case = _find(tracking_number, query_code)
    wording = families.public_status(case.process_key)
    doc = next((d for d in _documents(case, wording) if str(d.id) == str(document_id)), None)
    if doc is None:
        raise NotFound("没有这份文书")
    seen = db.session.get(PublicDownload, doc.id)
    if seen is None:
        case = lock_case(case.id)
        if db.session.get(PublicDownload, doc.id) is None:
            db.session.add(PublicDownload(document_id=doc.id, case_id=case.id))
            history.record(case, "document_delivered_online", filing.public_actor(),
                           f"申请人首次在网上下载{doc.title}（电子送达）", {"document_id": doc.id, "sha256": doc.sha256})
            case.version += 1
        db.session.commit()
    return doc


def receipt(token: str) -> Document:
    """The receipt just issued, through the signed link returned at filing (valid for a day)."""
    value = tokens.read_link("receipt", token, max_age=24 * 3600)
    doc = db.session.get(Document, value) if isinstance(value, int) else None
    if doc is None or doc.kind != "online_receipt":
        raise NotFound("回执链接无效或已过期，请凭编号和查询码在办理进度查询中下载")
    return doc


def receipt_link_token(document: Document) -> str:
    return tokens.signed_link("receipt", document.id)


def evaluate(tracking_number: str | None, query_code: str | None, satisfaction: str | None,
             comment: str | None) -> None:
    """The petitioner's own satisfaction evaluation after the handling opinion, recorded on the case."""
    case = _find(tracking_number, query_code)
    wording = families.public_status(case.process_key)
    task_name = getattr(wording, "SATISFACTION_TASK", None)
    task = _open_task(case, [task_name]) if task_name else None
    if task is None:
        raise Conflict("现在不能评价：处理意见书出具后才能评价，且每件只评价一次")
    if satisfaction not in SATISFACTION:
        raise Invalid("请选择评价结果", {"satisfaction": "请选择满意、基本满意或不满意"})
    data = {"satisfaction": satisfaction, "evaluated_on": today().isoformat()}
    if comment and comment.strip():
        data["satisfaction_comment"] = comment.strip()[:2000]
    # The 30 days to ask for a review run from the day the petitioner received the opinion: online, the day
    # it was first downloaded (XF 35).
    received = _opinion_received_on(case)
    if received is not None:
        data["reply_received_on"] = received
    cases.complete_for_public(task.id, data, filing.public_actor())


def request_review(tracking_number: str | None, query_code: str | None, reasons: str | None) -> Case:
    """Ask online for a 复查 of a petition's handling opinion (XF 35), registered as the linked review case.

    The window and the once-only rule are the petition family's (:mod:`app.petition.reviews`, through the
    review process's ``check_start``); the review case gets the petition's query code, so the petitioner
    follows it with the same code.
    """
    petition = _find(tracking_number, query_code)
    if petition.process_key != "petition":
        raise Conflict("只有信访事项可以在网上请求复查")
    reasons = (reasons or "").strip()
    if not reasons:
        raise Invalid("请填写请求复查的事实和理由", {"request_reasons": "请填写请求复查的事实和理由"})
    try:
        version = processes.latest(REVIEW_PROCESS)
        definition = processes.definition(version)
        # A request sent within the window is in time even on a rest day (DOMAIN 4: by analogy with 民法典 203).
        case = cases.register(version, _review_request(petition, reasons[:8000]),
                              actor=filing.public_actor(),
                              department_id=filing.registrar_department(REVIEW_PROCESS, definition.start_lane))
        code_hash = db.session.get(PublicAccess, petition.id).code_hash
        db.session.add(PublicAccess(case_id=case.id, code_hash=code_hash))
        db.session.commit()
        return case
    except Invalid as exc:
        db.session.rollback()
        # The review rules name the officers' fields; the petitioner sees one plain sentence.
        message = exc.fields.get("review_of") or exc.fields.get("requested_on") or exc.message
        raise Invalid(message, {"request_reasons": message}) from None
    except BaseException:
        db.session.rollback()
        raise
