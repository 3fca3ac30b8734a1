"""Thin handlers for comments and case operations; the rules live in the services."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..models import HumanTask
from ..extensions import db
from ..ids import parse_id
from ..services import cases, comments, leaders, operations
from ..services import incidents as incident_service
from ..services.errors import EngineFailure

ACTIONS = {"suspend": (operations.suspend, "已暂停办理"), "resume": (operations.resume, "已恢复办理"),
           "terminate": (operations.terminate, "已终止")}


def _back(case_id):
    return redirect(url_for("cases.show", case_id=case_id))


@login_required
def comment(case_id):
    comments.add(current_user, case_id, request.form.get("body", ""), request.form.get("task_id") or None,
                 parse_id(request.form.get("corrects_id")))
    flash("评论已发表", "success")
    return _back(case_id)


@login_required
def attach_leader(case_id):
    row = leaders.attach(current_user, case_id, request.form.get("username", ""))
    flash(f"已确定包案领导：{row.user.display_name}", "success")
    return _back(case_id)


def _confirmed() -> bool:
    """A destructive step runs only when its confirmation page was answered (works without JavaScript)."""
    return request.form.get("confirm") == "yes"


@login_required
def case_action(case_id, action):
    run, done = ACTIONS[action]
    if action == "terminate" and not _confirmed():
        operations.require_operator(current_user)
        case = cases.get_case(current_user, case_id)
        return render_template("operations/confirm.html", kind="terminate", case=case,
                               open_tasks=cases.case_tasks(case, open_only=True),
                               action_url=url_for("operations.case_action", case_id=case_id, action=action),
                               reason=request.form.get("reason", ""))
    run(current_user, case_id, request.form.get("reason", ""))
    flash(done, "success")
    return _back(case_id)


def _task_case(task_id):
    row = db.session.get(HumanTask, task_id)
    if row is None:
        abort(404)
    return row.case_id


@login_required
def rewind(task_id):
    case_id = _task_case(task_id)
    if not _confirmed():
        operations.require_operator(current_user)
        case = cases.get_case(current_user, case_id)
        return render_template("operations/confirm.html", kind="rewind", case=case, task=db.session.get(HumanTask, task_id),
                               open_tasks=cases.case_tasks(case, open_only=True),
                               action_url=url_for("operations.rewind", task_id=task_id),
                               reason=request.form.get("reason", ""))
    operations.rewind(current_user, task_id, request.form.get("reason", ""))
    flash("已回退，该任务重新待办", "success")
    return _back(case_id)


@login_required
def reassign(task_id):
    case_id = _task_case(task_id)
    row = operations.reassign(current_user, task_id, request.form.get("to", ""), request.form.get("reason", ""))
    flash(f"已转办给{row.assignee.display_name}", "success")
    return _back(case_id)


@login_required
def incidents():
    if not current_user.has_role("admin"):
        abort(403)
    return render_template("operations/incidents.html", items=incident_service.open_incidents())



@login_required
def retry(incident_id):
    try:
        incident = incident_service.retry(current_user, incident_id)
    except EngineFailure as exc:
        flash(f"重试仍然失败：{exc.message}", "error")
    else:
        flash(f"重试成功，案件已继续办理（故障 {incident.id} 已处理）", "success")
    return redirect(url_for("operations.incidents"))
