"""The letters of disclosure upon application: reply (答复书) and the three notices of the procedure.

``build_letter_context`` turns case data (DOMAIN.md section 6 keys) into what the templates print, checking
that the case data holds what the law requires the letter to say; the wording itself lives in the templates
under ``app/disclosure/templates/disclosure/letters/`` and the legal citations in :mod:`app.disclosure.codes`.
"""
from __future__ import annotations

import datetime

from app.disclosure import codes
from app.letters.render import render_html, render_pdf
from app.letters.values import LetterDataError, as_date, checked_data, heading, one_line, paragraphs, record

# Since 2024-01-01 (revised 《行政复议法》) a refusal to disclose must go to reconsideration before court.
RECONSIDERATION_FIRST_SINCE = datetime.date(2024, 1, 1)

# ``series`` is the word in the document number (<abbr><series>〔2026〕12号); the caller allocates numbers.
LETTER_KINDS = {
    "reply": {
        "title_suffix": "政府信息公开申请答复书",
        "series": "依复",
        "template": "disclosure/letters/reply.html",
        "required": ("applicant_name", "received_on", "description", "reply_type"),
    },
    "correction_notice": {
        "title_suffix": "政府信息公开申请补正告知书",
        "series": "依补",
        "template": "disclosure/letters/correction_notice.html",
        "required": ("applicant_name", "received_on", "description", "correction_items", "correction_deadline"),
    },
    "extension_notice": {
        "title_suffix": "政府信息公开申请延期答复告知书",
        "series": "依延",
        "template": "disclosure/letters/extension_notice.html",
        "required": ("applicant_name", "received_on", "description"),
    },
    "withdrawal_notice": {
        "title_suffix": "政府信息公开申请视为放弃告知书",
        "series": "依终",
        "template": "disclosure/letters/withdrawal_notice.html",
        "required": ("applicant_name", "received_on", "description", "correction_deadline"),
    },
    "fee_notice": {
        "title_suffix": "政府信息公开信息处理费收费通知书",
        "series": "依费",
        "template": "disclosure/letters/fee_notice.html",
        "required": ("applicant_name", "received_on", "description", "fee_method", "fee_amount", "fee_basis",
                     "fee_due_date"),
    },
    "fee_unpaid_notice": {
        "title_suffix": "政府信息公开申请不再处理告知书",
        "series": "依终",
        "template": "disclosure/letters/fee_unpaid_notice.html",
        "required": ("applicant_name", "received_on", "description", "fee_amount", "fee_due_date"),
    },
    "third_party_consultation": {
        "title_suffix": "政府信息公开征求第三方意见书",
        "series": "依征",
        "template": "disclosure/letters/third_party_consultation.html",
        "required": ("third_party_name", "received_on"),
    },
}

# Optional case-data keys that hold dates (date objects or ISO strings).
_DATE_KEYS = ("received_on", "corrected_on", "correction_deadline", "third_party_deadline",
              "reply_due_date", "extended_due_date", "fee_due_date")
# Letters that end or refuse the request carry the remedy clause, so they need the bodies it names.
_REMEDY_LETTERS = ("reply", "fee_unpaid_notice")


def build_letter_context(kind: str, *, case_data: dict, tracking_number: str, document_number: str,
                         issued_on: datetime.date, agency: dict) -> dict:
    """The template context for a letter of ``kind`` (a key of :data:`LETTER_KINDS`).

    Raises :class:`LetterDataError` when a key the letter cannot do without is missing (see
    ``LETTER_KINDS[kind]["required"]``, and per reply type: reasons for ``withheld``; reasons or text for
    ``partial``; where to find it for ``already_public``) or a code is unknown. Other keys are optional.
    Dates in the context are ``datetime.date``; the templates print them in Chinese.
    """
    spec, data = checked_data(LETTER_KINDS, kind, case_data, agency, _required_agency_keys(kind))
    context = {
        **heading(kind, spec, agency, document_number=document_number, tracking_number=tracking_number,
                  issued_on=issued_on),
        "agency": {key: agency.get(key) for key in ("name", "abbreviation", "address", "phone",
                                                     "reconsideration_body", "court")},
        "addressee": data.get("third_party_name" if kind == "third_party_consultation" else "applicant_name"),
        "note_items": _note_items(tracking_number, agency),
        "description": one_line(data.get("description")),
        "document_refs": one_line(data.get("document_refs")),
        "channel_phrase": _lookup(codes.CHANNELS, data.get("channel"), "channel", "extra"),
        "requested_form": _lookup(codes.REQUESTED_FORMS, data.get("requested_form"), "requested_form"),
        "delivery_method": _lookup(codes.DELIVERY_METHODS, data.get("delivery_method"), "delivery_method"),
        "reply_text": paragraphs(data.get("reply_text")),
        "correction_items": paragraphs(data.get("correction_items")),
    }
    for key in _DATE_KEYS:
        context[key] = as_date(data.get(key), key)
    for key in ("responsible_agency", "responsible_agency_contact", "extension_reason",
                "third_party_name", "third_party_address", "consultation_matter"):
        context[key] = one_line(data.get(key))
    if kind == "reply":
        context.update(_reply_context(data, context["reply_text"], issued_on))
    if kind in ("fee_notice", "fee_unpaid_notice"):
        context.update(_fee_context(data))
    return context


def letter_html(kind: str, **letter_data) -> str:
    """The letter as a self-contained HTML document; arguments as for :func:`build_letter_context`."""
    context = build_letter_context(kind, **letter_data)
    return render_html(LETTER_KINDS[kind]["template"], context)


def render_letter(kind: str, **letter_data) -> bytes:
    """The letter as PDF bytes; arguments as for :func:`build_letter_context`."""
    context = build_letter_context(kind, **letter_data)
    return render_pdf(LETTER_KINDS[kind]["template"], context)


def _required_agency_keys(kind):
    return ("name", "reconsideration_body", "court") if kind in _REMEDY_LETTERS else ("name",)


def _reply_context(data, reply_text, issued_on):
    reply = _lookup(codes.REPLY_TYPES, data["reply_type"], "reply_type", None)
    reason_codes = list(dict.fromkeys(data.get("withholding_reasons", ())))  # dedupe, keep order
    reasons = [_lookup(codes.WITHHOLDING_REASONS, code, "withholding_reasons", None) for code in reason_codes]
    if reply.code == "withheld" and not reasons:
        raise LetterDataError("a withheld reply must give its withholding reasons (GIO 36(三))")
    if reply.code == "partial" and not (reasons or reply_text):
        raise LetterDataError("a partial reply must give reasons for the part withheld (GIO 37)")
    if reply.code == "already_public" and not reply_text:
        raise LetterDataError("an already_public reply must say where to obtain it (reply_text, GIO 36(一))")
    return {
        "reply": reply,
        # Reasons are printed only where the decision withholds something.
        "reasons": reasons if reply.code in ("withheld", "partial") else [],
        "reconsideration_first": reply.refusal and issued_on >= RECONSIDERATION_FIRST_SINCE,
    }


def _fee_context(data):
    from .fees import METHODS
    amount = data.get("fee_amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise LetterDataError("a fee letter needs a positive fee_amount in yuan")
    return {"fee_amount": amount, "fee_basis": one_line(data.get("fee_basis")),
            "fee_method": METHODS.get(data.get("fee_method"), ""),
            "fee_pauses_reply": bool(data.get("fee_pauses_reply"))}


def _lookup(table, code, key, attribute="label"):
    """The record of ``code`` (or one of its attributes, the label by default); None stays None."""
    found = record(table, code, key)
    return getattr(found, attribute) if attribute and found is not None else found


def _note_items(tracking_number, agency):
    items = [f"受理编号：{tracking_number}"]
    if agency.get("address"):
        items.append(f"联系地址：{agency['address']}")
    if agency.get("phone"):
        items.append(f"联系电话：{agency['phone']}")
    return items


