"""The letters of the petition processes (信访): the intake notices, the handling opinion, the extension notice,
and the answers to a review (复查) or re-review (复核) request.

``build_letter_context`` turns case data (DOMAIN.md section 6 "Petition" keys) into what the templates print,
checking that the case data holds what the letter must state; the wording lives in the templates under
``app/petition/templates/petition/letters/`` and the legal citations in :mod:`app.petition.codes`. The generic
``generate_letter`` service reaches this module through :mod:`app.families`.
"""
from __future__ import annotations

import datetime

from app.letters.render import render_html, render_pdf
from app.letters.values import LetterDataError, as_date, checked_data, heading, one_line, paragraphs, record
from app.petition import codes

# ``series`` is the word in the document number (<abbr><series>〔2026〕12号); the caller allocates numbers.
LETTER_KINDS = {
    "acceptance_notice": {
        "title_suffix": "信访事项受理告知书",
        "series": "信受",
        "template": "petition/letters/acceptance_notice.html",
        "required": ("petitioner_name", "received_on", "subject", "intake_decided_on"),
    },
    "forward_notice": {
        "title_suffix": "信访事项转送告知书",
        "series": "信转",
        "template": "petition/letters/transfer_notice.html",
        "required": ("petitioner_name", "received_on", "subject", "intake_decided_on", "handling_department"),
    },
    "assign_notice": {
        "title_suffix": "信访事项交办告知书",
        "series": "信交",
        "template": "petition/letters/transfer_notice.html",
        "required": ("petitioner_name", "received_on", "subject", "intake_decided_on", "handling_department"),
    },
    # XF 22–23: a forwarded or assigned matter goes to the receiving body with a letter of its own.
    "forward_letter": {
        "title_suffix": "信访事项转送函",
        "series": "信转函",
        "template": "petition/letters/transfer_letter.html",
        "required": ("received_on", "subject", "intake_decided_on", "handling_department"),
        "addressed_to_body": True,
    },
    "assign_letter": {
        "title_suffix": "信访事项交办函",
        "series": "信交函",
        "template": "petition/letters/transfer_letter.html",
        "required": ("received_on", "subject", "intake_decided_on", "handling_department"),
        "addressed_to_body": True,
    },
    # DOMAIN.md section 4 "Duplicates": the same body tells the petitioner the matter is being handled.
    "repeat_notice": {
        "title_suffix": "信访事项正在办理告知书",
        "series": "信告",
        "template": "petition/letters/repeat_notice.html",
        "required": ("petitioner_name", "received_on", "subject", "intake_decided_on", "duplicate_of"),
    },
    "redirect_notice": {
        "title_suffix": "信访事项导入法定途径告知书",
        "series": "信导",
        "template": "petition/letters/redirect_notice.html",
        "required": ("petitioner_name", "received_on", "subject", "redirect_route"),
    },
    "not_accept_notice": {
        "title_suffix": "信访事项不予受理告知书",
        "series": "信不",
        "template": "petition/letters/not_accept_notice.html",
        "required": ("petitioner_name", "received_on", "subject", "not_accept_ground"),
    },
    "handling_opinion": {
        "title_suffix": "信访处理意见书",
        "series": "信处",
        "template": "petition/letters/handling_opinion.html",
        "required": ("petitioner_name", "received_on", "subject", "content", "outcome", "handling_opinion",
                     "opinion_legal_basis"),
    },
    # XF 35–36: the answers of the linked review case (process ``petition_review``), one template for both.
    "review_opinion": {
        "title_suffix": "信访事项复查意见书",
        "series": "信复查",
        "template": "petition/letters/review_opinion.html",
        "required": ("petitioner_name", "received_on", "subject", "review_of", "requested_on", "review_decision",
                     "review_opinion"),
    },
    "re_review_opinion": {
        "title_suffix": "信访事项复核意见书",
        "series": "信复核",
        "template": "petition/letters/review_opinion.html",
        "required": ("petitioner_name", "received_on", "subject", "review_of", "requested_on", "review_decision",
                     "review_opinion"),
    },
    "extension_notice": {
        "title_suffix": "信访事项延期办理告知书",
        "series": "信延",
        "template": "petition/letters/extension_notice.html",
        "required": ("petitioner_name", "received_on", "subject", "extension_reason", "extended_due_date",
                     "extension_days"),
    },
}

# Which intake decision each intake notice belongs to (a forward notice for an accepted matter is a mistake).
_INTAKE_LETTERS = {"acceptance_notice": "accept", "forward_notice": "forward", "assign_notice": "assign",
                   "redirect_notice": "redirect", "not_accept_notice": "not_accept",
                   "forward_letter": "forward", "assign_letter": "assign", "repeat_notice": "repeat"}
# The letters the handling department's body signs; the review answers are signed by the deciding body;
# every other letter by the body that registered the petition.
_HANDLING_LETTERS = ("handling_opinion", "extension_notice")
# Which kind of review each review answer belongs to.
_REVIEW_LETTERS = {"review_opinion": "review", "re_review_opinion": "re_review"}

_DATE_KEYS = ("received_on", "intake_decided_on", "handling_due_date", "extended_due_date", "requested_on")


def build_letter_context(kind: str, *, case_data: dict, tracking_number: str, document_number: str,
                         issued_on: datetime.date, agency: dict) -> dict:
    """The template context for a letter of ``kind`` (a key of :data:`LETTER_KINDS`).

    Raises :class:`LetterDataError` when a key the letter cannot do without is missing (see
    ``LETTER_KINDS[kind]["required"]``), a code is unknown, or an intake notice does not match the recorded
    intake decision. Dates in the context are ``datetime.date``; the templates print them in Chinese.
    """
    spec, data = checked_data(LETTER_KINDS, kind, case_data, agency)
    if kind == "not_accept_notice" and data.get("not_accept_ground") == "outside_remit" and not data.get(
            "competent_body"):
        raise LetterDataError("not_accept_notice on ground outside_remit needs competent_body (XF 23)")
    expected = _INTAKE_LETTERS.get(kind)
    if expected and data.get("intake_decision") != expected:
        raise LetterDataError(f"{kind} is the notice of intake decision {expected!r}, "
                              f"but the case records {data.get('intake_decision')!r}")

    expected = _REVIEW_LETTERS.get(kind)
    if expected and data.get("review_kind") != expected:
        raise LetterDataError(f"{kind} answers a {expected!r} request, but the case records {data.get('review_kind')!r}")

    context = {
        **heading(kind, spec, agency, document_number=document_number, tracking_number=tracking_number,
                  issued_on=issued_on),
        "agency": {key: agency.get(key) for key in ("name", "abbreviation", "address", "phone")},
        "addressee": data["handling_department"] if spec.get("addressed_to_body") else data["petitioner_name"],
        # XF 22 binds a 信访部门, XF 23 any other body (``petition_office`` is set by :func:`letter_agency`).
        "intake_article": codes.intake_article(bool(agency.get("petition_office"))),
        "competent_body": one_line(data.get("competent_body")),
        "content": paragraphs(data.get("content")),
        "opinion_legal_basis": paragraphs(data.get("opinion_legal_basis")),
        "extension_days": data.get("extension_days"),
        "note_items": _note_items(tracking_number, agency),
        "xf": codes.XF,
        "channel_phrase": record(codes.CHANNELS, data.get("channel"), "channel").phrase
        if data.get("channel") else None,
        "category": record(codes.CATEGORIES, data.get("category"), "category"),
        "subject": one_line(data.get("subject")),
        "handling_department": one_line(data.get("handling_department")),
        "intake_note": one_line(data.get("intake_note")),
        "duplicate_of": one_line(data.get("duplicate_of")),
        "extension_reason": one_line(data.get("extension_reason")),
        "handling_opinion": paragraphs(data.get("handling_opinion")),
        "decision": record(codes.INTAKE_DECISIONS, data.get("intake_decision"), "intake_decision"),
        "redirect_route": record(codes.REDIRECT_ROUTES, data.get("redirect_route"), "redirect_route"),
        "not_accept_ground": record(codes.NOT_ACCEPT_GROUNDS, data.get("not_accept_ground"), "not_accept_ground"),
        "outcome": record(codes.OUTCOMES, data.get("outcome"), "outcome"),
        "review_kind": record(codes.REVIEW_KINDS, data.get("review_kind"), "review_kind"),
        "review_of": one_line(data.get("review_of")),
        "petition_number": one_line(data.get("petition_number")),
        "review_decision": record(codes.REVIEW_DECISIONS, data.get("review_decision"), "review_decision"),
        "review_opinion": paragraphs(data.get("review_opinion")),
    }
    for key in _DATE_KEYS:
        context[key] = as_date(data.get(key), key)
    return context


def letter_agency(case, kind: str, case_data: dict) -> dict:
    """The body a letter of ``kind`` on ``case`` speaks for, as the ``agency`` mapping of the letters.

    Intake letters: the body that registered the petition (its 信访部门 flag chooses XF 22 or 23); the handling
    opinion and extension notice: the handling department's body; a review answer: the deciding body recorded
    with the request (XF 35–36: one level above the body whose answer is contested), never the original's.
    """
    from app.petition import bodies
    if kind in _REVIEW_LETTERS:
        dept = bodies.department(case_data.get("deciding_body"))
    elif kind in _HANDLING_LETTERS:
        dept = bodies.department(case_data.get("handling_unit")) or case.department
    else:
        dept = case.department
    agency = bodies.letterhead(bodies.body_of(dept))
    agency["petition_office"] = bodies.is_petition_office(case.department)
    return agency


def letter_html(kind: str, **letter_data) -> str:
    """The letter as a self-contained HTML document; arguments as for :func:`build_letter_context`."""
    return render_html(LETTER_KINDS[kind]["template"], build_letter_context(kind, **letter_data))


def render_letter(kind: str, *, draft: bool = False, **letter_data) -> bytes:
    """The letter as PDF bytes; arguments as for :func:`build_letter_context`; ``draft`` marks a preview."""
    return render_pdf(LETTER_KINDS[kind]["template"], {**build_letter_context(kind, **letter_data), "draft": draft})


def _note_items(tracking_number, agency):
    items = [f"信访编号：{tracking_number}"]
    if agency.get("address"):
        items.append(f"联系地址：{agency['address']}")
    if agency.get("phone"):
        items.append(f"联系电话：{agency['phone']}")
    return items


