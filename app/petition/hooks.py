"""What the petition process adds to the generic task views and commands, reached through :mod:`app.families`.

- ``task_context``: at the intake decision the officer sees the ranked likely duplicates (重复信访, XF 19).
- ``check_submission``: the intake decision's ``duplicate_of`` must name an earlier petition; a repeat of a
  matter still being handled within its time limit is not accepted again (XF 19), and the server records
  ``is_duplicate`` (duplicates are counted separately) and which suggestions the officer dismissed; a matter
  closed by a re-review (复核) is not accepted again at all (XF 36.3, :mod:`app.petition.reviews`).
"""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Case
from app.petition import duplicates, reviews

INTAKE_TASK = "intake_decision"
REPEAT_GROUND = "repeat_in_progress"
CONCLUDED_GROUND = "concluded"
# Deadline states in which the earlier matter is still within its time limit.
_WITHIN_LIMIT = ("running", "paused")


def task_context(user, case, task) -> dict:
    if task.spec_name != INTAKE_TASK:
        return {}
    return {"suggestions": {
        "title": "可能重复的信访事项",
        "help": "按信访人身份（身份证件号码，或姓名和联系电话）及反映内容的相似度排序。属于重复信访的，"
                "在“重复信访事项的信访编号”中填写原件编号；不填写即视为排除以下提示。",
        "field": "duplicate_of",
        "items": duplicates.suggestions(user, case),
    }}


def _earlier(tracking_number: str, case) -> Case | None:
    return db.session.execute(select(Case).where(
        Case.tracking_number == tracking_number.strip(), Case.process_key == case.process_key,
        Case.id != case.id)).scalar_one_or_none()


def within_time_limit(earlier: Case) -> bool:
    """The earlier matter is open and none of its running clocks has passed its due date."""
    from app.services import clocks
    if earlier.status != "active":
        return False
    views = clocks.deadlines(earlier)
    return any(d.state in _WITHIN_LIMIT for d in views) and not any(d.state == "overdue" for d in views)


def check_submission(user, case, task, data: dict) -> tuple[dict, dict]:
    """``(derived case data, {field: message})`` for a submission of ``task``'s form."""
    if task.spec_name != INTAKE_TASK:
        return {}, {}
    link = str(data.get("duplicate_of") or "").strip()
    derived = {"is_duplicate": bool(link)}
    if not link:
        # Whatever was suggested and not linked was dismissed by the officer: kept for the record.
        derived["duplicates_dismissed"] = [s["tracking_number"] for s in duplicates.suggestions(user, case)]
        return derived, {}
    derived["duplicates_dismissed"] = []
    earlier = _earlier(link, case)
    if earlier is None:
        return derived, {"duplicate_of": f"没有信访编号为 {link} 的其他信访事项"}
    if reviews.concluded_by_re_review(earlier):
        # XF 36.3: after a re-review the same facts and reasons are not accepted again, on any ground but this.
        if data.get("intake_decision") != "not_accept" or data.get("not_accept_ground") != CONCLUDED_GROUND:
            return derived, {"intake_decision": f"{link} 已经复核终结，对同一事实和理由提出的信访事项不再受理"
                                                "（《信访工作条例》第三十六条第三款）：请选择“不予受理”，理由为“已经复核终结”"}
        return derived, {}
    if within_time_limit(earlier) and (data.get("intake_decision") != "not_accept"
                                       or data.get("not_accept_ground") != REPEAT_GROUND):
        return derived, {"intake_decision": f"{link} 正在规定期限内办理，同一事项重复提出的不予受理"
                                            "（《信访工作条例》第十九条）：请选择“不予受理”，理由为“重复信访，原事项正在办理期限内”"}
    return derived, {}
