"""A case's letters: the one path from case data to PDF, for the letters a step issues and for previews.

A preview (预览) is the very letter the next step would issue, rendered now by the same domain module from the
same case data and agency settings; it differs only in being marked 预览/草稿 on every page and carrying no
document number. Nothing is stored, numbered or written to the history by a preview.
"""
from __future__ import annotations

import datetime

from flask import current_app

from workflows.serialization import to_plain

from .. import families
from ..extensions import db
from ..models import Case, HumanTask, User
from . import access, processes, reading
from .clock import today
from .errors import Forbidden, Invalid, NotFound, ServiceError


def letter_agency(case: Case, kind: str, data: dict) -> dict:
    """The body the letter ``kind`` of ``case`` speaks for: its name heads the letter and its own series numbers
    it. A process whose letters speak for different bodies (e.g. a petition review answered one level up)
    chooses through its letters module's ``letter_agency``; otherwise the configured agency."""
    choose = getattr(families.letters(case.process_key), "letter_agency", None)
    return choose(case, kind, to_plain(dict(data))) if choose else current_app.config["AGENCY"]


def render_case_letter(case: Case, kind: str, data: dict, *, document_number: str, issued_on: datetime.date,
                       draft: bool = False, agency: dict | None = None) -> bytes:
    """The PDF of the letter ``kind`` of ``case`` from ``data``, for ``agency`` (default: :func:`letter_agency`);
    raises the domain's ``LetterDataError`` when the data lacks what the letter must state, :class:`ServiceError`
    for a kind the process does not have."""
    domain = families.letters(case.process_key)
    if kind not in domain.LETTER_KINDS:
        raise ServiceError(f"未知的文书种类：{kind}")
    return domain.render_letter(kind, case_data=to_plain(dict(data)), tracking_number=case.tracking_number,
                                document_number=document_number, issued_on=issued_on,
                                agency=agency or letter_agency(case, kind, data), draft=draft)


def preview_kind(row: HumanTask) -> str:
    """The letter kind the task's page previews (BPMN property ``previewLetter``), or ""."""
    info = processes.definition(row.case.process_version).user_tasks.get(row.spec_name)
    return info.preview_letter if info else ""


def preview(user: User, task_id: str) -> tuple[str, bytes]:
    """``(title, pdf)``: the letter the task decides on, as it would be issued today, marked as a draft.

    For everyone who may see the task's case, except a reader from whom confidential fields are hidden (the
    letter names the person). Only while the task is open: afterwards the issued letter is on the case.
    """
    row = db.session.get(HumanTask, task_id)
    if row is None:
        raise NotFound("任务不存在")
    if not access.may_work_task(user, row):
        access.require_view(user, row.case)
    if reading.hidden_keys(user, row.case):
        raise Forbidden("该案件的文书载有依法保密的当事人信息，您无权查看")
    kind = preview_kind(row)
    if not kind:
        raise NotFound("该任务没有文书预览")
    if row.state != "ready":
        raise NotFound("该任务已办理，请在案件页面查看已生成的文书")
    domain = families.letters(row.case.process_key)
    title = domain.LETTER_KINDS.get(kind, {}).get("title_suffix", kind)
    try:
        pdf = render_case_letter(row.case, kind, row.case.data or {}, document_number="", issued_on=today(),
                                 draft=True)
    except domain.LetterDataError:
        raise Invalid(f"{title}尚缺必须载明的内容（如答复类型、理由或法律依据），暂无法预览；"
                      "请退回承办人补充后再审批") from None
    return title, pdf
