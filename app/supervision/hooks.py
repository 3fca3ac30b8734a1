"""What the supervision process adds to the generic commands, reached through :mod:`app.families`.

- ``check_submission``: DC 17 — whoever took part in the supervision conclusion (verified the result or
  signed the item off) may not decide its review; the refusal names the article and the step they took.
"""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import HumanTask
from app.supervision import codes
from app.supervision.progress import case_panel  # noqa: F401  (hook, see app.families)

REVIEW_TASK = "review_decision"
# The steps that make the conclusion a review contests.
CONCLUSION_TASKS = ("verify", "sign_off")


def conclusion_participants(case) -> dict[int, str]:
    """``{user id: title of the step they completed}`` for everyone who took part in the conclusion."""
    rows = db.session.execute(select(HumanTask.completed_by_id, HumanTask.title).where(
        HumanTask.case_id == case.id, HumanTask.spec_name.in_(CONCLUSION_TASKS), HumanTask.state == "completed",
        HumanTask.completed_by_id.is_not(None)).order_by(HumanTask.completed_at)).all()
    return {user_id: title for user_id, title in rows}


def check_submission(user, case, task, data: dict) -> tuple[dict, dict]:
    """``(derived case data, {field: message})`` for a submission of ``task``'s form."""
    if task.spec_name != REVIEW_TASK:
        return {}, {}
    took_part = conclusion_participants(case).get(user.id)
    if took_part:
        return {}, {"review_result": f"您办理过本事项的“{took_part}”，参与作出督查结论的人员在复核中应当回避"
                                     f"（{codes.DC}第十七条），请由未参与的负责人作出复核决定"}
    return {"review_decided_by": user.display_name}, {}
