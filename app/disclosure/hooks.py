"""Disclosure upon application's hooks into the generic commands (see app.domains)."""
from datetime import date

from ..services.clock import today
from .facts import report_facts  # noqa: F401  (the report_facts hook)
from .fees import assess_fee  # noqa: F401  (the assess_fee hook)

FEE_ARTICLE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


def check_submission(user, case, task, data) -> tuple[dict, dict]:
    """Fees: a fee to charge always carries a page count (0 per request: the fee step reads it), and a fee
    is never treated as unpaid before the payment period (20 working days) has run out."""
    if task.spec_name == "handle" and data.get("handling_action") == "charge_fee":
        return {"fee_pages": data.get("fee_pages") if data.get("fee_method") == "per_volume" else 0}, {}
    if task.spec_name != "record_fee_payment" or data.get("fee_result") != "unpaid":
        return {}, {}
    due = case.data.get("fee_due_date")
    if due and today() <= date.fromisoformat(str(due)):
        return {}, {"fee_result": f"缴费期限至{due}届满，期限届满前不能按逾期未缴费处理（{FEE_ARTICLE}）"}
    return {}, {}
