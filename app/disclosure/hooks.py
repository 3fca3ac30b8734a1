"""The law's guard rails for disclosure requests, checked on every task submission (reached through app.families).

JSON Schema says what a form must hold; this module says what the law forbids given the case's clocks and history
(DOMAIN.md 2.2–2.4). Each refusal names the field and cites the article, in plain Chinese; nothing is stored
when one is refused. What the rules derive (the principal reason, the original due date an extension notice
quotes, whether a third party must be told of a decision to disclose) is returned as case data.
"""
from __future__ import annotations

from datetime import date

from flask import current_app

from app.disclosure import codes
from app.services import calendar as calendar_service
from app.services import clocks, history
from app.services.clock import today

from .facts import report_facts  # noqa: F401  (the report_facts hook)
from .fees import assess_fee  # noqa: F401  (the assess_fee hook)

GIO = "《条例》"
FEE_ARTICLE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
# The reply types that disclose something a third party may have refused (GIO 32).
_DISCLOSING = ("disclosed", "partial")
# GIO 35 results after which the request is not processed (the ``abusive`` reply).
_NOT_PROCESSED = ("none", "unreasonable")


def check_submission(user, case, task, data: dict) -> tuple[dict, dict]:
    """``(derived case data, {field: message})`` for a submission of ``task``'s form."""
    check = _CHECKS.get(task.spec_name)
    return check(user, case, data) if check else ({}, {})


def correction_min_deadline(notice_on: date) -> date:
    """The earliest reasonable correction deadline for a notice sent on ``notice_on`` (practice, configurable)."""
    days = current_app.config.get("CORRECTION_MIN_WORKING_DAYS", 10)
    return calendar_service.current().add_working_days(notice_on, days)


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _deadline(case, name: str):
    return next((d for d in clocks.deadlines(case) if d.name == name), None)


def _reply_expired(case) -> str | None:
    """The refusal when the reply clock has run out: the agency must now reply, not ask or extend."""
    reply = _deadline(case, "reply")
    if reply is not None and reply.state == "overdue":
        return _cn(reply.due_date)
    return None


# -- 1. correction (GIO 30) ------------------------------------------------------------------------------------

def _check_completeness(user, case, data):
    if data.get("needs_correction") is not True:
        return {}, {}
    errors, derived = {}, {}
    if expired := _reply_expired(case):
        errors["needs_correction"] = (f"答复期限已于{expired}届满，不能再要求补正，应当依法作出答复"
                                      f"（{GIO}第三十条、第三十三条）")
    deadline, earliest = _day(data.get("correction_deadline")), correction_min_deadline(today())
    if deadline is not None and deadline < earliest:
        days = current_app.config.get("CORRECTION_MIN_WORKING_DAYS", 10)
        errors["correction_deadline"] = (f"补正期限应当合理，不得早于{_cn(earliest)}（告知书发出后{days}个工作日，"
                                         f"{GIO}第三十条）")
    if errors:
        return derived, errors
    derived["correction_notice_on"] = today().isoformat()
    notice_due = _deadline(case, "correction")
    derived["correction_notice_late"] = bool(notice_due and today() > notice_due.due_date)
    if derived["correction_notice_late"]:
        # Allowed (the request still needs correcting) but recorded: the notice was due within 7 working days.
        history.record(case, "correction_notice_late", user,
                       f"补正告知书晚于法定期限（{_cn(notice_due.due_date)}）发出（{GIO}第三十条）",
                       {"due_date": notice_due.due_date.isoformat(), "sent_on": today().isoformat()})
    return derived, {}


def _late_correction(data, deadline: date) -> str | None:
    """The refusal of a correction received after the deadline and not posted by it (民诉 85.4 by analogy)."""
    received, posted = _day(data.get("corrected_on")), _day(data.get("correction_posted_on"))
    if received and received > deadline and not (posted and posted <= deadline):
        return (f"补正材料于{_cn(received)}收到，晚于补正期限（{_cn(deadline)}），也未在期限内寄出："
                "逾期有正当理由的，请在“确认是否逾期未补正”中选择“逾期补正但有正当理由”")
    return None


def _receive_correction(user, case, data):
    deadline = _day(case.data.get("correction_deadline"))
    if deadline is None:
        return {}, {}
    if data.get("correction_result") == "not_corrected" and today() <= deadline:
        return {}, {"correction_result": f"补正期限至{_cn(deadline)}尚未届满，不能认定逾期未补正"
                                         f"（{GIO}第三十条）；期限届满后由登记人员核实确认"}
    if data.get("correction_result") == "corrected" and (late := _late_correction(data, deadline)):
        return {}, {"corrected_on": late}
    return {}, {}


def _confirm_correction_lapse(user, case, data):
    deadline = _day(case.data.get("correction_deadline"))
    result = data.get("correction_result")
    if deadline is None:
        return {}, {}
    if result == "not_corrected" and today() <= deadline:
        return {}, {"correction_result": f"补正期限至{_cn(deadline)}尚未届满，不能认定逾期未补正（{GIO}第三十条）"}
    if result == "corrected" and (late := _late_correction(data, deadline)):
        return {}, {"correction_result": late}
    return {}, {}


# -- 2. extension (GIO 33.2) -----------------------------------------------------------------------------------

def _extension_refused(case) -> str | None:
    if expired := _reply_expired(case):
        return (f"答复期限已于{expired}届满，不能再延期：延长答复期限应当在期限届满前决定并告知申请人"
                f"（{GIO}第三十三条第二款）")
    return None


def _approve_extension(user, case, data):
    if data.get("extension_decision") != "approve":
        return {}, {}
    if refused := _extension_refused(case):
        return {}, {"extension_decision": refused}
    reply = _deadline(case, "reply")
    return ({"original_reply_due_date": reply.due_date.isoformat()} if reply else {}), {}


# -- handling: third parties, GIO 35, reply types and reasons --------------------------------------------------

def _handle(user, case, data):
    action = data.get("handling_action")
    derived, errors = {"public_interest_disclosure": False}, {}
    if action == "request_extension":
        if refused := _extension_refused(case):
            errors["handling_action"] = refused
    elif action == "request_reasons":
        deadline = _day(data.get("reasons_deadline"))
        if deadline is not None and deadline <= today():
            errors["reasons_deadline"] = "说明理由的期限应当是今天以后的日期"
        derived["reasons_request_on"] = today().isoformat()
    elif action == "draft_reply":
        _check_reply(case, data, derived, errors)
    elif action == "charge_fee":
        # A fee to charge always carries a page count (0 per request: the fee step reads it).
        derived["fee_pages"] = data.get("fee_pages") if data.get("fee_method") == "per_volume" else 0
        if data.get("reply_type"):
            _check_reply(case, data, derived, errors)
    return derived, errors


def _check_reply(case, data, derived, errors):
    reply_type = data.get("reply_type")
    if reply_type == "still_unclear" and not case.data.get("corrected_on"):
        errors["reply_type"] = (f"“补正后申请内容仍不明确”只能在申请人补正之后作出；本申请未经补正"
                                f"（{GIO}第三十条）：内容不明确的，应当先告知补正")
    if reply_type == "abusive" and case.data.get("reasons_result") not in _NOT_PROCESSED:
        errors["reply_type"] = (f"“无正当理由大量反复申请”须先要求申请人说明理由，且申请人不说明理由或者理由不合理"
                                f"（{GIO}第三十五条）：请先选择“要求申请人说明理由”")
    if reply_type in ("withheld", "partial"):
        _check_reasons(data, derived, errors)
    if case.data.get("third_party_answer") == "refuse" and reply_type in _DISCLOSING and \
            (reply_type == "disclosed" or "third_party_rights" not in (data.get("withholding_reasons") or [])):
        # GIO 32: disclosure over a third party's refusal needs the public-interest reasons, told to it first.
        if not str(data.get("public_interest_reasons") or "").strip():
            errors["public_interest_reasons"] = (f"第三方不同意公开，决定公开的应当说明不公开可能对公共利益造成重大影响的理由，"
                                                 f"并书面告知第三方（{GIO}第三十二条）")
        derived["public_interest_disclosure"] = True


def _check_reasons(data, derived, errors):
    reasons = list(dict.fromkeys(data.get("withholding_reasons") or []))
    details = {}
    for code in reasons:
        text = str(data.get(f"reason_detail_{code}") or "").strip()
        if not text:
            label = codes.WITHHOLDING_REASONS[code].label if code in codes.WITHHOLDING_REASONS else code
            errors[f"reason_detail_{code}"] = f"请结合本案说明“{label}”的具体理由（{GIO}第三十六条第（三）项）"
        details[code] = text
    if codes.NAMED_LAW_REASON in reasons and not str(data.get("prohibited_by_law_name") or "").strip():
        errors["prohibited_by_law_name"] = "请写明禁止公开该信息的法律、行政法规名称及条款"
    principal = data.get("principal_reason")
    if principal and principal not in reasons:
        errors["principal_reason"] = "主要理由必须是所选的不予公开理由之一"
    derived["withholding_reason_details"] = details
    derived["principal_reason"] = principal or (reasons[0] if reasons else None)


def _record_third_party_answer(user, case, data):
    due = _deadline(case, "third_party")
    if data.get("third_party_answer") == "no_answer" and due is not None and today() <= due.due_date:
        return {}, {"third_party_answer": f"第三方意见期限至{_cn(due.due_date)}尚未届满，不能登记为逾期未提出意见"
                                          f"（{GIO}第三十二条）"}
    return {}, {}


def _record_reasons(user, case, data):
    result, errors = data.get("reasons_result"), {}
    deadline = _day(case.data.get("reasons_deadline"))
    if result == "none" and deadline is not None and today() <= deadline:
        errors["reasons_result"] = f"说明理由的期限至{_cn(deadline)}尚未届满，不能认定申请人未说明理由（{GIO}第三十五条）"
    later = _day(data.get("later_reply_due_date"))
    reply = _deadline(case, "reply")
    if result == "reasonable_later" and later is not None:
        if later <= today():
            errors["later_reply_due_date"] = "延迟答复的期限应当是今天以后的日期"
        elif reply is not None and later <= reply.due_date:
            errors["later_reply_due_date"] = (f"现有答复期限至{_cn(reply.due_date)}，延迟答复的期限应当晚于该日期；"
                                              "能够按期答复的，请选择“理由合理，按期答复”")
    return {}, errors


# -- fees (国办函〔2020〕109号) ------------------------------------------------------------------------------------

def _record_fee_payment(user, case, data):
    """A fee is never treated as unpaid before the payment period (20 working days) has run out."""
    due = _day(case.data.get("fee_due_date"))
    if data.get("fee_result") == "unpaid" and due is not None and today() <= due:
        return {}, {"fee_result": f"缴费期限至{_cn(due)}届满，期限届满前不能按逾期未缴费处理（{FEE_ARTICLE}）"}
    return {}, {}


_CHECKS = {
    "check_completeness": _check_completeness,
    "receive_correction": _receive_correction,
    "confirm_correction_lapse": _confirm_correction_lapse,
    "approve_extension": _approve_extension,
    "handle": _handle,
    "record_third_party_answer": _record_third_party_answer,
    "record_reasons": _record_reasons,
    "record_fee_payment": _record_fee_payment,
}
