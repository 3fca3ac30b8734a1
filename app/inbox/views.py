"""Thin handlers: parse the request, call a service, render."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.forms import coerce_submission, form_fields

from ..extensions import db
from ..services import access, attachments, cases, clocks, inbox, notifications, reading
from ..services.errors import Conflict, Invalid


@login_required
def index():
    return render_template("inbox/index.html", mine=inbox.my_tasks(current_user),
                           claimable=inbox.claimable_tasks(current_user))


@login_required
def task(task_id):
    row, schema = reading.get_task(current_user, task_id)
    schema = schema or {"type": "object", "properties": {}}
    values, errors, status = dict(row.case.data), {}, None
    if request.method == "POST":
        values = coerce_submission(schema, request.form.get, request.form.getlist)
        # Files of attachment fields are stored in the same transaction as the completion.
        uploads = {name: [(f.filename, f.stream) for f in request.files.getlist(name) if f and f.filename]
                   for name in attachments.attachment_fields(schema)}
        try:
            attachments.complete_task(current_user, task_id, values,
                                      request.form.get("case_version", type=int), uploads)
        except Invalid as exc:
            errors = exc.fields
            flash(exc.message, "error")
        except Conflict as exc:
            # Keep what the person typed: the case changed under them, but their
            # text (a long reply, say) must not be thrown away.
            flash(exc.message, "error")
            db.session.rollback()
            row, schema = reading.get_task(current_user, task_id)
            schema = schema or {"type": "object", "properties": {}}
            status = 409
        else:
            flash(f"已办理：{row.title}", "success")
            return redirect(url_for("cases.show", case_id=row.case_id))
    return render_template(
        "inbox/task.html", task=row, case=row.case, case_fields=reading.case_fields(row.case),
        fields=form_fields(schema), values=values,
        errors=errors, instructions=reading.task_instructions(row),
        can_work=access.may_work_lane(current_user, row.process_key, row.lane),
        schema_title=schema.get("title", row.title),
    ), status or (422 if errors else 200)


@login_required
def claim(task_id):
    row = cases.claim_task(current_user, task_id)
    flash(f"已认领：{row.title}", "success")
    return redirect(url_for("inbox.task", task_id=task_id))


@login_required
def release(task_id):
    row = cases.release_task(current_user, task_id)
    flash(f"已退回待认领：{row.title}", "info")
    return redirect(url_for("inbox.index"))


@login_required
def overdue():
    return render_template("inbox/overdue.html", rows=clocks.overdue_for(current_user),
                           titles=clocks.CLOCK_TITLES)


@login_required
def notifications_page():
    return render_template("inbox/notifications.html", items=notifications.for_user(current_user))


@login_required
def notifications_read():
    notifications.mark_all_read(current_user)
    return redirect(url_for("inbox.notifications_page"))
