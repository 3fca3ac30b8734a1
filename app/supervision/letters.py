"""The letters of the supervision process (督查督办): the supervision notice (督查通知) sent at assignment.

``build_letter_context`` turns case data (DOMAIN.md section 6 "Supervision item" keys) into what the template
prints; the wording lives in ``app/supervision/templates/supervision/letters/``. The generic ``generate_letter``
service reaches this module through :mod:`app.families`.
"""
from __future__ import annotations

import datetime
import re

from sqlalchemy import select

from app.letters.punctuation import in_sentence
from app.letters.render import render_html, render_pdf
from app.letters.values import LetterDataError, as_date, checked_data, heading, one_line, paragraphs, record
from app.supervision import codes

LETTER_KINDS = {
    "assignment_notice": {
        "title_suffix": "督查通知",
        "series": "督通",
        "template": "supervision/letters/assignment_notice.html",
        "required": ("ledger_number", "title", "requirement", "registered_on", "due_date", "report_cycle",
                     "lead_department"),
    },
    # DC 17: the written decision on a review of the supervision conclusion, to the department that asked.
    "review_decision": {
        "title_suffix": "督查复核决定书",
        "series": "督复",
        "template": "supervision/letters/review_decision.html",
        "required": ("ledger_number", "title", "lead_department", "closed_on", "review_requested_on",
                     "review_reason", "review_result", "review_opinion"),
    },
}

_DATE_KEYS = ("registered_on", "due_date", "report_due_on", "closed_on", "review_requested_on")


def department_names() -> dict[str, str]:
    """Department code → name, as the departments table holds them now."""
    from app.extensions import db
    from app.models import Department
    return dict(db.session.execute(select(Department.code, Department.name)).all())


def _department(code, names: dict) -> str:
    if code not in names:
        raise LetterDataError(f"unknown department code {code!r}")
    return names[code]


def build_letter_context(kind: str, *, case_data: dict, tracking_number: str, document_number: str,
                         issued_on: datetime.date, agency: dict, names: dict[str, str]) -> dict:
    """The template context for a letter of ``kind``; ``names`` maps department codes to names.

    Raises :class:`LetterDataError` when a key the letter cannot do without is missing, a code is unknown or a
    department does not exist.
    """
    spec, data = checked_data(LETTER_KINDS, kind, case_data, agency)
    lead = _department(data["lead_department"], names)
    co = [_department(code, names) for code in data.get("co_departments", []) if code != data["lead_department"]]
    requester = _department(data["review_department"], names) if data.get("review_department") else None
    context = {
        **heading(kind, spec, agency, document_number=document_number, tracking_number=tracking_number,
                  issued_on=issued_on),
        "addressee": requester if kind == "review_decision" and requester else "、".join([lead, *co]),
        "dc": codes.DC,
        "review_department": requester,
        "review_reason": paragraphs(data.get("review_reason")),
        "review_result": record(codes.REVIEW_RESULTS, data.get("review_result"), "review_result"),
        "review_opinion": paragraphs(data.get("review_opinion")),
        "lead_department": lead,
        "co_departments": co,
        "ledger_number": one_line(data["ledger_number"]),
        "title": one_line(data["title"]),
        "requirement": paragraphs(data["requirement"]),
        "source": record(codes.SOURCES, data.get("source"), "source"),
        "priority": record(codes.PRIORITIES, data.get("priority"), "priority"),
        "report_cycle": describe_cycle(data["report_cycle"]) if data.get("report_cycle") else None,
        # The note joins its items with "；": a ledger number typed with a full stop loses it there too.
        "note_items": [f"督查事项编号：{tracking_number}", f"台账编号：{in_sentence(one_line(data['ledger_number']))}"]
        + ([f"联系电话：{agency['phone']}"] if agency.get("phone") else []),
    }
    for key in _DATE_KEYS:
        context[key] = as_date(data.get(key), key)
    return context


def describe_cycle(period: str) -> str:
    """'P1M' → '每1个月', 'P7D' → '每7日': the report cycle as the notice says it."""
    found = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", str(period).strip())
    if not found or str(period).strip() == "P":
        raise LetterDataError(f"report_cycle: expected an ISO 8601 period such as P1M, got {period!r}")
    units = ("年", "个月", "周", "日")
    return "每" + "".join(f"{n}{unit}" for n, unit in zip(found.groups(), units) if n)


def letter_html(kind: str, **letter_data) -> str:
    if "names" not in letter_data:  # setdefault would query the database even when names are given
        letter_data["names"] = department_names()
    return render_html(LETTER_KINDS[kind]["template"], build_letter_context(kind, **letter_data))


def render_letter(kind: str, *, draft: bool = False, **letter_data) -> bytes:
    """The letter as PDF bytes; arguments as for :func:`build_letter_context` (``names`` read from the database
    when not given)."""
    if "names" not in letter_data:
        letter_data["names"] = department_names()
    return render_pdf(LETTER_KINDS[kind]["template"], {**build_letter_context(kind, **letter_data), "draft": draft})
