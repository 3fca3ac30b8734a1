"""The letters of disclosure upon application: registration receipt (回执), reply (答复书) and the notices of the
procedure.

``build_letter_context`` turns case data (DOMAIN.md section 6 keys) into what the templates print, checking
that the case data holds what the law requires the letter to say; the wording itself lives in the templates
under ``app/disclosure/templates/disclosure/letters/`` and the legal citations in :mod:`app.disclosure.codes`.
"""
from __future__ import annotations

import datetime

from app.disclosure import codes
from app.letters.remedy import RECONSIDERATION_FIRST_SINCE, remedy_clause  # noqa: F401  (re-exported)
from app.letters.render import render_html, render_pdf
from app.letters.values import LetterDataError, as_date, checked_data, heading, one_line, paragraphs, record

# ``series`` is the word in the document number (<abbr><series>〔2026〕12号); the caller allocates numbers.
# ``remedy`` names the document in the remedy clause of a letter that decides, ends or refuses the request
# (DOMAIN 2.5: every reply, 视为放弃, 不予处理); such a letter needs the agency's reconsideration body.
LETTER_KINDS = {
    "reply": {
        "title_suffix": "政府信息公开申请答复书",
        "series": "依复",
        "template": "disclosure/letters/reply.html",
        "required": ("applicant_name", "received_on", "description", "reply_type"),
        "remedy": "答复书",
    },
    # 登记回执 (DOMAIN 2.5): issued at registration, it tells the applicant the tracking number, the receipt
    # date that starts the clock (GIO 31) and the statutory reply period (GIO 33).
    "registration_receipt": {
        "title_suffix": "政府信息公开申请登记回执",
        "series": "依收",
        "template": "disclosure/letters/registration_receipt.html",
        "required": ("applicant_name", "received_on", "description", "reply_due_date"),
    },
    "correction_notice": {
        "title_suffix": "政府信息公开申请补正告知书",
        "series": "依补",
        "template": "disclosure/letters/correction_notice.html",
        "required": ("applicant_name", "received_on", "description", "correction_items", "correction_deadline"),
    },
    # GIO 33.2: the notice states the original due date and the new one (DOMAIN.md 2.3).
    "extension_notice": {
        "title_suffix": "政府信息公开申请延期答复告知书",
        "series": "依延",
        "template": "disclosure/letters/extension_notice.html",
        "required": ("applicant_name", "received_on", "description", "original_reply_due_date",
                     "extended_due_date"),
    },
    # GIO 30: issued only after a person confirmed the lapse; it ends the request, so it carries the remedy clause.
    "withdrawal_notice": {
        "title_suffix": "政府信息公开视为放弃申请告知书",
        "series": "依终",
        "template": "disclosure/letters/withdrawal_notice.html",
        "required": ("applicant_name", "received_on", "description", "correction_deadline"),
        "remedy": "告知书",
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
        "series": "依止",
        "template": "disclosure/letters/fee_unpaid_notice.html",
        "required": ("applicant_name", "received_on", "description", "fee_amount", "fee_due_date"),
        "remedy": "告知书",
    },
    "third_party_consultation": {
        "title_suffix": "政府信息公开征求第三方意见书",
        "series": "依征",
        "template": "disclosure/letters/third_party_consultation.html",
        "required": ("third_party_name", "received_on"),
    },
    # GIO 32: the third party refused, the public interest overrides; it is told the content and the reasons
    # in writing before disclosure, and may contest the decision.
    "disclosure_decision_notice": {
        "title_suffix": "政府信息公开决定公开告知书",
        "series": "依决",
        "template": "disclosure/letters/disclosure_decision_notice.html",
        "required": ("third_party_name", "received_on", "consultation_matter", "public_interest_reasons"),
        "remedy": "告知书",
    },
    # GIO 35: the applicant is asked to state reasons for a request excessive in number or frequency.
    "reasons_request": {
        "title_suffix": "政府信息公开申请说明理由通知书",
        "series": "依理",
        "template": "disclosure/letters/reasons_request.html",
        "required": ("applicant_name", "received_on", "description", "reasons_deadline"),
    },
    # GIO 35: reasonable reasons, but no reply possible in time: the later deadline fixed by the office.
    "later_deadline_notice": {
        "title_suffix": "政府信息公开申请延迟答复告知书",
        "series": "依迟",
        "template": "disclosure/letters/later_deadline_notice.html",
        "required": ("applicant_name", "received_on", "description", "later_reply_due_date"),
    },
}

# Letters addressed to the third party rather than to the applicant.
_THIRD_PARTY_LETTERS = ("third_party_consultation", "disclosure_decision_notice")

# Optional case-data keys that hold dates (date objects or ISO strings).
_DATE_KEYS = ("received_on", "corrected_on", "correction_deadline", "third_party_due_date",
              "reply_due_date", "original_reply_due_date", "extended_due_date", "reasons_deadline",
              "later_reply_due_date", "reasons_request_on", "fee_due_date")
# Optional free text printed inside a sentence.
_TEXT_KEYS = ("responsible_agency", "responsible_agency_contact", "extension_reason", "third_party_name",
              "third_party_address", "consultation_matter", "correction_content", "not_this_agency_reason",
              "public_interest_reasons", "reasons_request_text", "third_party_opinion")


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
        "addressee": data.get("third_party_name" if kind in _THIRD_PARTY_LETTERS else "applicant_name"),
        # Official correspondence addresses an organisation as 贵单位 and a person as 您.
        "you": "您" if kind not in _THIRD_PARTY_LETTERS or data.get("third_party_kind") == "person" else "贵单位",
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
    for key in _TEXT_KEYS:
        context[key] = one_line(data.get(key))
    context["reasons"], context["reply"], context["remedy"] = [], None, None
    refused = None
    if kind == "reply":
        context.update(_reply_context(data, context["reply_text"]))
        refused = _refused_phrase(context["reply"])
    if spec.get("remedy"):
        context["remedy"] = remedy_clause(agency, issued_on=issued_on, document=spec["remedy"], refused=refused,
                                          you=context["you"])
    if kind in ("fee_notice", "fee_unpaid_notice"):
        context.update(_fee_context(data))
    return context


def letter_html(kind: str, **letter_data) -> str:
    """The letter as a self-contained HTML document; arguments as for :func:`build_letter_context`."""
    context = build_letter_context(kind, **letter_data)
    return render_html(LETTER_KINDS[kind]["template"], context)


def render_letter(kind: str, *, draft: bool = False, **letter_data) -> bytes:
    """The letter as PDF bytes; arguments as for :func:`build_letter_context`. ``draft`` marks a preview
    (预览/草稿 on every page, no document number)."""
    context = build_letter_context(kind, **letter_data)
    return render_pdf(LETTER_KINDS[kind]["template"], {**context, "draft": draft})


def _required_agency_keys(kind):
    # The court is optional: without it the remedy clause says "依法向人民法院提起行政诉讼".
    return ("name", "reconsideration_body") if LETTER_KINDS.get(kind, {}).get("remedy") else ("name",)


def _refused_phrase(reply):
    """What a refusal refused, as the remedy clause names it; None for a reply that refuses nothing."""
    if not reply.refusal:
        return None
    return "不予公开部分内容" if reply.code == "partial" else "不予公开"


def _reply_context(data, reply_text):
    reply = _lookup(codes.REPLY_TYPES, data["reply_type"], "reply_type", None)
    reason_codes = list(dict.fromkeys(data.get("withholding_reasons", ())))  # dedupe, keep order
    details = data.get("withholding_reason_details") or {}
    reasons = [{"paragraph": _lookup(codes.WITHHOLDING_REASONS, code, "withholding_reasons", None).paragraph,
                "code": code,
                "law": one_line(data.get("prohibited_by_law_name")) if code == codes.NAMED_LAW_REASON else None,
                "details": paragraphs(details.get(code) if isinstance(details, dict) else None)}
               for code in reason_codes]
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


