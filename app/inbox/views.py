"""Thin handlers: parse the request, call a service, render."""
import io
from dataclasses import replace

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from workflows.forms import coerce_submission, form_fields, prefilled

from .. import security_headers
from ..extensions import db
from ..ids import parse_id, parse_int
from ..services import (access, attachments, cases, clocks, filters, leaders, letters, notifications, reading,
                        task_drafts)
from ..services.errors import Conflict, Invalid

# Query-string keys the inbox understands; everything else is dropped from links.
INBOX_KEYS = ("scope", "process", "task", "due", "party", "tracking", "date_field", "date_from", "date_to", "q",
              "sort", "order", "per_page", "page", "cpage")


def _inbox_sections(f, args):
    """(title, page of tasks, page argument) per table: the default inbox shows two, paged separately."""
    if f.scope != "inbox":
        return [(filters.SCOPES[f.scope], filters.search(current_user, f), "page", f.scope == "claimable")]
    claimable = filters.TaskFilter.from_args(args, page_key="cpage")
    return [("我的待办", filters.search(current_user, replace(f, scope="mine")), "page", False),
            ("可认领的任务", filters.search(current_user, replace(claimable, scope="claimable")), "cpage", True)]


@login_required
def index():
    args = {k: v for k, v in request.args.items() if k in INBOX_KEYS and v != ""}
    errors = {}
    try:
        f = filters.TaskFilter.from_args(args)
        sections = _inbox_sections(f, args)
    except Invalid as exc:
        # A bad link or a mistyped date: say which field, show the form, list nothing.
        flash(exc.message, "error")
        errors, f, sections = exc.fields, filters.TaskFilter(), []

    def link(**changes):
        merged = {**args, **changes}
        return url_for("inbox.index", **{k: v for k, v in merged.items() if v not in (None, "")})

    listed = {t.case_id: t.case for _, result, _, _ in sections for t in result.items}
    return render_template("inbox/index.html", f=f, args=args, errors=errors, sections=sections, link=link,
                           parties=reading.case_parties(current_user, listed.values()),
                           due_counts=filters.due_counts(current_user) if current_user.has_role("head") else None,
                           saved=filters.available(current_user), choices=filters.choices(),
                           led_cases=leaders.led_cases(current_user),
                           SCOPES=filters.SCOPES, DUE_STATES=filters.DUE_STATES, DATE_FIELDS=filters.DATE_FIELDS,
                           PER_PAGE=(10, 20, 50, 100)), 422 if errors else 200


@login_required
def save_filter():
    f = filters.TaskFilter.from_args(request.form)
    saved = filters.save(current_user, request.form.get("name", ""), f, share=request.form.get("share") == "1")
    flash(f"已保存筛选：{saved.name}" + ("（已与本部门共享）" if saved.department_id else ""), "success")
    return redirect(url_for("inbox.index", **f.to_args()))


@login_required
def apply_filter(filter_id):
    # Checked in the service: the owner, or a colleague of the department it is shared with.
    f = filters.params_of(current_user, filter_id)
    return redirect(url_for("inbox.index", **f.to_args()))


@login_required
def share_filter(filter_id):
    saved = filters.set_shared(current_user, filter_id, request.form.get("share") == "1")
    flash(f"已与本部门共享：{saved.name}" if saved.department_id else f"已取消共享：{saved.name}", "info")
    return redirect(url_for("inbox.index"))


@login_required
def delete_filter(filter_id):
    filters.delete(current_user, filter_id)
    flash("已删除筛选", "info")
    return redirect(url_for("inbox.index"))


@login_required
def task(task_id):
    row, schema = reading.get_task(current_user, task_id)
    schema = schema or {"type": "object", "properties": {}}
    values, errors, status = prefilled(schema, reading.visible_data(current_user, row.case)), {}, None
    action = request.form.get("action") if request.method == "POST" else None
    if action == "discard_draft":
        task_drafts.discard(current_user, task_id)
        flash("已丢弃草稿", "info")
        return redirect(url_for("inbox.task", task_id=task_id))
    if action == "draft":
        values = coerce_submission(schema, request.form.get, request.form.getlist)
        try:
            task_drafts.save(current_user, task_id, values)
        except Invalid as exc:
            flash(exc.message, "error")
            status = 422
        else:
            flash("已保存草稿，再次打开本任务时自动恢复；附件未保存，提交时须重新选择", "success")
    elif request.method == "POST":
        values = coerce_submission(schema, request.form.get, request.form.getlist)
        # Files of attachment fields are stored in the same transaction as the completion.
        uploads = {name: [(f.filename, f.stream) for f in request.files.getlist(name) if f and f.filename]
                   for name in attachments.attachment_fields(schema)}
        try:
            attachments.complete_task(current_user, task_id, values,
                                      parse_id(request.form.get("case_version")), uploads)
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
    draft = task_drafts.of(current_user, task_id)
    if draft is not None and request.method == "GET":
        values = {**values, **draft.data}  # resumed where the officer left off
    return render_template(
        "inbox/task.html", task=row, case=row.case, case_fields=reading.case_fields(row.case, current_user),
        context=reading.task_context(current_user, row),
        fields=form_fields(schema), values=values,
        errors=errors, instructions=reading.task_instructions(row),
        can_work=access.may_work_task(current_user, row) and not _read_only_reason(row),
        read_only=_read_only_reason(row),
        schema_title=schema.get("title", row.title),
        preview=_preview_of(row), draft=draft, documents=reading.case_documents(row.case),
    ), status or (422 if errors else 200)


def _read_only_reason(row) -> str:
    """Why the task is shown without its form although it is open, or "" (the submit would be refused anyway:
    better said before anything is typed)."""
    if row.state != "ready":
        return ""
    if row.case.status != "active":
        return {"suspended": "案件已暂停办理，恢复办理前不能办理该任务。",
                "incident": "案件有待处理的故障，暂不能办理该任务。"}.get(row.case.status, "案件已结束。")
    if row.assignee_id and row.assignee_id != current_user.id:
        return f"该任务已由{row.assignee.display_name}认领，您可以查看，但不能办理。"
    return ""


def _preview_of(row):
    """The letter the task decides on, for its page: ``{"title", "url"}`` or None."""
    kind = letters.preview_kind(row)
    if not kind or row.state != "ready" or reading.hidden_keys(current_user, row.case):
        return None
    from .. import families
    spec = families.letters(row.process_key).LETTER_KINDS.get(kind, {})
    return {"title": spec.get("title_suffix", "文书"), "url": url_for("inbox.preview", task_id=row.id)}


@login_required
def preview(task_id):
    """The draft letter of the task, inline (shown in the task page's frame); nothing is stored."""
    try:
        title, pdf = letters.preview(current_user, task_id)
    except Invalid as exc:
        return render_template("error.html", message=exc.message), 422
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=f"{title}（预览）.pdf")
    response.headers["Cache-Control"] = "no-store"  # a draft goes stale as soon as the case changes
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Framed by the task page: the site-wide frame-ancestors 'none' would show a broken frame instead.
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = security_headers.FRAMED_BY_SITE_CSP
    return response


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
    # A page number out of range (or not a number) shows the first page: the list is a snapshot anyway.
    result = clocks.overdue_for(current_user, parse_int(request.args.get("page"), 1, 100_000) or 1)
    return render_template("inbox/overdue.html", result=result, rows=result.items,
                           titles={clock.id: clocks.title(clock) for _, clock in result.items})


@login_required
def notifications_page():
    return render_template("inbox/notifications.html", items=notifications.for_user(current_user))


@login_required
def notifications_read():
    notifications.mark_all_read(current_user)
    return redirect(url_for("inbox.notifications_page"))
