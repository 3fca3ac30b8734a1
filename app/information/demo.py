"""Demo items of information submission (``flask seed-demo``): each outcome, and an urgent incident reported late
that is still being followed up (on the on-call view)."""
import datetime

from app.information import timeliness
from app.services import cases


def _do(user, case, spec_name, data):
    task = next(t for t in cases.case_tasks(case, open_only=True) if t.spec_name == spec_name)
    return cases.complete_task(user, task.id, data, case.version)


def _submit(user, title, info_type="dynamic", **extra):
    return cases.start_case(user, "information_report", {"title": title, "body": f"{title}。", "info_type": info_type,
                                                         **extra})


def seed(users: dict) -> int:
    zj, wj, editor = users["zjofficer"], users["wjofficer"], users["infoeditor"]
    review = {"review_outcome": "adopted"}
    _do(editor, _submit(zj, "住建局多措并举推进老旧小区改造", "experience"), "edit_review",
        {**review, "adopted_in": ["local", "leader"], "leader_instruction": "做法可行，请在全市推广。"})
    _do(editor, _submit(wj, "卫健委建成社区医院25家"), "edit_review", {**review, "adopted_in": ["local"]})
    _do(editor, _submit(wj, "卫健委召开例行工作会议"), "edit_review",
        {"review_outcome": "rejected", "review_opinion": "属于一般性会议信息"})
    event = (timeliness.parse(timeliness.now_text()) - datetime.timedelta(minutes=75)).strftime(timeliness.FORMAT)
    _do(editor, _submit(zj, "某小区燃气管道泄漏", "urgent", event_occurred_at=event), "edit_review",
        {**review, "adopted_in": ["superior"]})
    return 4
