"""Online filing: a disclosure application (GIO 29) or a petition (XF 17–19) from a member of the public.

A filing goes through the same registration as an officer's (:func:`app.services.cases.register`): the newest
process version, the start form's rules, the tracking number, the engine, the registrar's inbox. What is
particular to the public side:

- the applicant is checked the way people understand (identity numbers per GB 11643 / GB 32100, phone and
  e-mail, each message naming the field: :mod:`workflows.identity_numbers`);
- ``channel`` is ``online`` and the legal receipt date follows GIO 31: the day receipt is confirmed to the
  applicant — on a rest day, the next working day (``PUBLIC_REST_DAY_NEXT_WORKING_DAY``);
- the case belongs to the department that registers that process (the start lane's department);
- the actor is the role-less, inactive account 网上申请人 (so history, attachments and documents name who
  filed without naming an officer);
- a query code is issued (returned once, stored hashed) and a receipt (回执) PDF is stored with the case.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflows import identity_numbers as ids
from workflows.forms import validate_submission

from .. import families
from ..extensions import db
from ..letters.render import render_pdf
from ..models import Attachment, Case, Document, LaneAssignment, PublicAccess, User
from ..services import attachments, calendar, cases, documents, history, processes
from ..services.clock import today
from ..services.errors import Invalid, ServiceError
from . import tokens

PUBLIC_USERNAME = "__public__"
PUBLIC_DISPLAY_NAME = "网上申请人"
MAX_FILES = 5


@dataclass(frozen=True)
class FilingKind:
    """One kind of online filing: its URL word, process and the fields the public may fill in."""
    key: str
    process_key: str
    title: str
    fields: tuple[str, ...]
    summary_field: str
    name_field: str
    # GIO 31 moves an online filing made on a rest day to the next working day; the petition rules (XF, calendar
    # days) have no such rule, so a petition is received the day it is filed.
    rest_day_moves_receipt: bool


DISCLOSURE = FilingKind(
    "disclosure", "disclosure_request", "政府信息公开申请",
    ("applicant_type", "applicant_name", "id_type", "id_number", "org_credit_code", "contact_phone",
     "contact_email", "contact_address", "description", "document_refs", "requested_form", "delivery_method"),
    "description", "applicant_name", True)
PETITION = FilingKind(
    "petition", "petition", "信访事项",
    ("petitioner_name", "id_number", "contact_phone", "contact_address", "category", "subject", "content"),
    "subject", "petitioner_name", False)
KINDS = {kind.key: kind for kind in (DISCLOSURE, PETITION)}


@dataclass
class Filed:
    case: Case
    query_code: str
    receipt: Document


def kind_of(key: str) -> FilingKind:
    try:
        return KINDS[key]
    except KeyError:
        from ..services.errors import NotFound
        raise NotFound("没有这种网上申请") from None


def start_schema(kind: FilingKind) -> dict:
    """The process's start form (the source of labels, choices and limits for the public form too)."""
    return processes.start_form(processes.definition(processes.latest(kind.process_key))) or {}


def _label(schema: dict, name: str) -> str:
    return schema.get("properties", {}).get(name, {}).get("title", name)


def receipt_date(filed_on: date) -> date:
    """GIO 31: received the day receipt is confirmed; a rest-day filing is confirmed the next working day."""
    if not current_app.config.get("PUBLIC_REST_DAY_NEXT_WORKING_DAY", True):
        return filed_on
    work_calendar, day = calendar.current(), filed_on
    while not work_calendar.is_working(day):
        day += timedelta(days=1)
    return day


def _identity_errors(kind: FilingKind, data: dict, schema: dict) -> dict[str, str]:
    """The checks a form schema cannot express: check digits, dialable numbers, what delivery needs."""
    errors: dict[str, str] = {}

    def check(name, checker):
        if data.get(name):
            message = checker(data[name], _label(schema, name))
            if message:
                errors[name] = message
            elif checker in (ids.check_resident_id, ids.check_credit_code):
                data[name] = ids.normalize(data[name])

    def need(name, why):
        if not data.get(name):
            errors.setdefault(name, f"{_label(schema, name)}必须填写{why}")

    need("contact_phone", "，以便联系您")
    check("contact_phone", ids.check_phone)
    check("contact_email", ids.check_email)
    if kind is PETITION:
        need("id_number", "（《信访工作条例》第十八条）")
        check("id_number", ids.check_resident_id)
    else:
        if data.get("applicant_type") == "natural_person" and data.get("id_type") == "resident_id":
            check("id_number", ids.check_resident_id)
        if data.get("applicant_type") not in (None, "natural_person"):
            check("org_credit_code", ids.check_credit_code)
        if data.get("delivery_method") == "email":
            need("contact_email", "（您选择了以电子邮件获取信息）")
        if data.get("delivery_method") == "post" or data.get("requested_form") == "paper":
            need("contact_address", "（您选择了邮寄或纸质形式）")
    return errors


def clean(kind: FilingKind, raw: dict) -> tuple[dict, dict[str, str]]:
    """The filing's case data and ``{field: message}`` for everything wrong with it (all at once)."""
    schema = start_schema(kind)
    data, errors = {}, {}
    for name, value in raw.items():
        if name not in kind.fields:
            errors[name] = "网上申请不能填写该项"
        elif value is None or value == "":
            continue
        elif not isinstance(value, str):
            errors[name] = f"{_label(schema, name)}应为文字"
        elif value.strip():
            data[name] = value.strip()
    errors.update({k: v for k, v in _identity_errors(kind, data, schema).items() if k not in errors})
    # The start form's own rules, checked as the office will check them (received today, channel online).
    probe = {**data, "channel": "online", "received_on": today().isoformat()}
    for name, message in validate_submission(schema, probe, today=today()).items():
        errors.setdefault(name, message)
    return data, errors


def public_actor() -> User:
    """The account that stands for the public in the history: no roles, inactive (it can never log in)."""
    found = db.session.execute(select(User).where(User.username == PUBLIC_USERNAME)).scalar_one_or_none()
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            user = User(username=PUBLIC_USERNAME, display_name=PUBLIC_DISPLAY_NAME, password_hash="!",
                        active=False)
            db.session.add(user)
        return user
    except IntegrityError:  # created at the same moment by another filing
        return db.session.execute(select(User).where(User.username == PUBLIC_USERNAME)).scalar_one()


def registrar_department(process_key: str, start_lane: str | None) -> int | None:
    """The department whose people register this process (its start lane's assignment), if one is named."""
    return db.session.execute(select(LaneAssignment.department_id).where(
        LaneAssignment.process_key == process_key, LaneAssignment.lane == start_lane,
        LaneAssignment.department_id.is_not(None)).order_by(LaneAssignment.id).limit(1)).scalar_one_or_none()


def check_uploads(uploads) -> list:
    """Each ``(filename, stream)`` checked as officers' uploads are (size, type by content)."""
    uploads = [u for u in uploads if u[0]]
    if len(uploads) > MAX_FILES:
        raise Invalid(f"附件最多{MAX_FILES}个", {"attachments": f"附件最多{MAX_FILES}个"})
    return [attachments.check(name, stream, "attachments") for name, stream in uploads]


def file(kind: FilingKind, raw: dict, uploads=()) -> Filed:
    """File online; one transaction. Raises :class:`Invalid` (naming the fields) and stores nothing then."""
    try:
        data, errors = clean(kind, raw)
        if errors:
            raise Invalid("申请内容有误，请按提示修改", errors)
        checked = check_uploads(uploads)
        version = processes.latest(kind.process_key)
        definition = processes.definition(version)
        filed_on = today()
        received = receipt_date(filed_on) if kind.rest_day_moves_receipt else filed_on
        data = {**data, "channel": "online", "received_on": received.isoformat()}
        actor = public_actor()
        case = cases.register(version, data, actor=actor, as_of=received,
                              department_id=registrar_department(version.process_key, definition.start_lane))
        code = tokens.new_query_code()
        db.session.add(PublicAccess(case_id=case.id, code_hash=tokens.code_hash(code)))
        for item in checked:
            _store_attachment(case, actor, item)
        receipt = _store_receipt(case, kind, actor, filed_on, received)
        case.version += 1
        db.session.commit()
        return Filed(case, code, receipt)
    except BaseException:
        db.session.rollback()
        raise


def _store_attachment(case: Case, actor: User, checked) -> Attachment:
    row = Attachment(case_id=case.id, filename=checked.filename, mime_type=checked.mime_type,
                     size=len(checked.content), sha256=checked.sha256, content=checked.content,
                     uploaded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    history.record(case, "attachment_added", actor, f"网上提交附件：{checked.filename}",
                   {"attachment_id": row.id, "filename": checked.filename, "size": row.size,
                    "sha256": checked.sha256, "mime_type": checked.mime_type, "field": None})
    return row


def _store_receipt(case: Case, kind: FilingKind, actor: User, filed_on: date, received: date) -> Document:
    wording = families.public_status(case.process_key)
    agency = current_app.config["AGENCY"]
    now = datetime.now(ZoneInfo(current_app.config["TIMEZONE"]))
    try:
        content = render_pdf("public/letters/receipt.html", {
            "title_lines": [agency["name"], f"网上{kind.title}回执"], "agency": agency, "kind": kind,
            "addressee": case.data.get(kind.name_field, ""),
            "tracking_number": case.tracking_number, "submitted_at": now.strftime("%Y年%m月%d日 %H:%M"),
            "received_on": received, "rest_day": received != filed_on,
            "summary": case.data.get(kind.summary_field, ""), "next_steps": wording.NEXT_STEPS,
            "issued_on": filed_on,
        })
    except Exception as exc:  # a receipt that cannot be made must not leave a filing without one
        current_app.logger.exception("receipt for %s failed", case.tracking_number)
        raise ServiceError("回执生成失败，申请未提交，请稍后重试") from exc
    return documents.store(case, kind="online_receipt", title=f"网上{kind.title}回执", number=None,
                           content=content, actor=actor, filename=f"{case.tracking_number}-回执.pdf")
