"""What a disclosure case publishes for counting (annual report section 三, fees for section 六).

Report rows use the JSON API's codes: "3.1" 予以公开 … "3.6.3" 其他; see :data:`RESULT_ROWS`.
"""
from __future__ import annotations

from datetime import date

from . import codes

# The rows of section 三 "本年度办理结果", in the published order, with their printed labels.
RESULT_ROWS: dict[str, str] = {
    "3.1": "（一）予以公开",
    "3.2": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "3.3.1": "1.属于国家秘密", "3.3.2": "2.其他法律行政法规禁止公开", "3.3.3": "3.危及“三安全一稳定”",
    "3.3.4": "4.保护第三方合法权益", "3.3.5": "5.属于三类内部事务信息", "3.3.6": "6.属于四类过程性信息",
    "3.3.7": "7.属于行政执法案卷", "3.3.8": "8.属于行政查询事项",
    "3.4.1": "1.本机关不掌握相关政府信息", "3.4.2": "2.没有现成信息需要另行制作", "3.4.3": "3.补正后申请内容仍不明确",
    "3.5.1": "1.信访举报投诉类申请", "3.5.2": "2.重复申请", "3.5.3": "3.要求提供公开出版物",
    "3.5.4": "4.无正当理由大量反复申请", "3.5.5": "5.要求行政机关确认或重新出具已获取信息",
    "3.6.1": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "3.6.2": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.6.3": "3.其他",
}
_SUBSECTIONS = {"一": "3.1", "二": "3.2", "三": "3.3", "四": "3.4", "五": "3.5", "六": "3.6"}

# Case statuses that end a request without a reply, and their rows (视为放弃 → 六.1; fee unpaid → 六.2).
_ENDINGS = {"withdrawn": "correction_lapsed", "fee_unpaid": "fee_unpaid"}


def api_row(code_row: str) -> str:
    """``"三.4"`` (the codes tables' notation) → ``"3.3.4"`` (the API's)."""
    section, _, item = code_row.partition(".")
    return _SUBSECTIONS[section] + (f".{item}" if item else "")


def principal_reason(data: dict) -> str | None:
    """The reason a withheld case counts under: the one the officer marked, else the first chosen."""
    reasons = [r for r in data.get("withholding_reasons") or () if r in codes.WITHHOLDING_REASONS]
    marked = data.get("principal_reason")
    if marked in codes.WITHHOLDING_REASONS:
        return marked
    return reasons[0] if reasons else None


def result_row(status: str, data: dict) -> str | None:
    """The section 三 row a closed case counts in, exactly once; None when the data do not say (a check of
    the report lists such cases)."""
    if status in _ENDINGS:
        return api_row(codes.OTHER_OUTCOMES[_ENDINGS[status]].extra)
    reply = data.get("reply_type")
    if status == "archived" and reply in codes.REPLY_TYPES:
        try:
            return api_row(codes.report_row(reply, principal_reason(data)))
        except ValueError:  # withheld without any reason
            return None
    if status in ("terminated", "completed", "archived") and reply is None:
        return "3.6.3"  # ended otherwise (e.g. the applicant withdrew and an administrator ended the case)
    return None


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def report_facts(case, closed: bool) -> dict:
    """The case_fact columns this family fills (the generic ones are filled by app.services.facts)."""
    data = case.data or {}
    reply = data.get("reply_type")
    amount = data.get("fee_amount")
    return {
        "received_on": _day(data.get("received_on")),
        "applicant_type": data.get("applicant_type") if data.get("applicant_type") in codes.APPLICANT_TYPES else None,
        "result_row": result_row(case.status, data) if closed else None,
        "principal_reason": principal_reason(data) if reply == "withheld" else None,
        "fee_method": data.get("fee_method") or None,
        "fee_amount": amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
        "fee_paid_on": _day(data.get("fee_paid_on")),
    }
