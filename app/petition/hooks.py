"""What the petition process adds to the generic task views and commands, reached through :mod:`app.families`.

- ``task_context``: at the intake decision the officer sees the ranked likely duplicates (重复信访, XF 19).
- ``check_submission``: the intake decision's ``duplicate_of`` must name an earlier petition. A repeat of a
  matter still being handled within its time limit is linked to it by the body handling it (decision
  ``repeat``: the petitioner is told it is being handled), and refused only by a body above that one
  (XF 19.3: ``not_accept`` on the ground ``repeat_in_progress``); the server records ``is_duplicate``
  (duplicates are counted separately) and which suggestions the officer dismissed; a matter closed by a
  re-review (复核) is not accepted again at all (XF 36.3, :mod:`app.petition.reviews`).
- ``confidential_fields``: the reporter's identity and what is derived from it, in code
  (:mod:`app.petition.confidentiality`).
"""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Case
from app.petition import bodies, confidentiality, duplicates, reviews
from app.petition.links import linked_readable, related_cases  # noqa: F401  (hooks, see app.families)

INTAKE_TASK = "intake_decision"
SATISFACTION_TASK = "record_satisfaction"
REPEAT_GROUND = "repeat_in_progress"
REPEAT_DECISION = "repeat"
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


def confidential_fields() -> tuple:
    """``((field, condition), …)`` confidential in every version of the petition process."""
    return confidentiality.PETITION_FIELDS


def _above(upper, lower) -> bool:
    """Whether body ``upper`` is an ancestor of body ``lower`` (``None`` is the configured agency)."""
    body = bodies.superior(lower)
    for _ in range(20):
        if body is None:
            return False
        if upper is not None and body.id == upper.id:
            return True
        body = bodies.superior(body)
    return False


def _check_receipt(case, data: dict) -> dict:
    """The petitioner cannot have received the opinion before it was issued (the review window runs from it)."""
    received = data.get("reply_received_on")
    opinion = reviews.answer_of(case, "handling_opinion")
    if not received or opinion is None:
        return {}
    issued_on = reviews.issued_on(opinion)
    if str(received)[:10] < issued_on.isoformat():
        return {"reply_received_on": f"收到处理意见书的日期不能早于其出具日期（{issued_on.isoformat()}）"}
    return {}


def check_submission(user, case, task, data: dict) -> tuple[dict, dict]:
    """``(derived case data, {field: message})`` for a submission of ``task``'s form."""
    if task.spec_name == SATISFACTION_TASK:
        return {}, _check_receipt(case, data)
    if task.spec_name != INTAKE_TASK:
        return {}, {}
    link = str(data.get("duplicate_of") or "").strip()
    decision, ground = data.get("intake_decision"), data.get("not_accept_ground")
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
        if decision != "not_accept" or ground != CONCLUDED_GROUND:
            return derived, {"intake_decision": f"{link} 已经复核终结，对同一事实和理由提出的信访事项不再受理"
                                                "（《信访工作条例》第三十六条第三款）：请选择“不予受理”，理由为“已经复核终结”"}
        return derived, {}
    here, there = bodies.body_of(case.department), bodies.body_of(earlier.department)
    same_body = (here.id if here else None) == (there.id if there else None)
    in_progress = within_time_limit(earlier)
    if in_progress and same_body and decision != REPEAT_DECISION:
        return derived, {"intake_decision": f"{link} 正在本机关规定期限内办理：同一事项再次提出的，请选择“重复信访，"
                                            "并入原事项办理”，并告知信访人该事项正在办理"}
    if in_progress and _above(here, there) and (decision != "not_accept" or ground != REPEAT_GROUND):
        return derived, {"intake_decision": f"{link} 已由下级机关受理、正在规定期限内办理，上级机关不予受理"
                                            "（《信访工作条例》第十九条）：请选择“不予受理”，理由为“重复信访，原事项正在下级机关办理期限内”"}
    if decision == REPEAT_DECISION and not (in_progress and same_body):
        return derived, {"intake_decision": f"{link} 不是本机关正在规定期限内办理的信访事项，不能并入办理"}
    if decision == "not_accept" and ground == REPEAT_GROUND and not (in_progress and _above(here, there)):
        return derived, {"not_accept_ground": f"只有受理 {link} 的机关的上级机关，才能以重复信访为由不予受理"
                                              "（《信访工作条例》第十九条）"}
    return derived, {}
