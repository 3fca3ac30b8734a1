"""Thin handlers for attachments: upload on the case page, download anywhere the case may be seen."""
import io

from flask import flash, jsonify, redirect, request, send_file, url_for
from flask_login import current_user, login_required

from ..services import attachments
from ..services.errors import Invalid


@login_required
def upload(case_id):
    files = [f for f in request.files.getlist("file") if f and f.filename]
    if not files:
        flash("请选择要上传的文件", "error")
        return redirect(url_for("cases.show", case_id=case_id))
    for f in files:
        try:
            attachment = attachments.upload(current_user, case_id, f.filename, f.stream)
        except Invalid as exc:
            flash(exc.message, "error")
            break
        flash(f"已上传附件：{attachment.filename}", "success")
    return redirect(url_for("cases.show", case_id=case_id) + "#attachments")


def send(attachment):
    """The stored bytes as a download, never rendered by the browser."""
    response = send_file(io.BytesIO(attachment.content), mimetype=attachment.mime_type, as_attachment=True,
                         download_name=attachment.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@login_required
def download(attachment_id):
    return send(attachments.get(current_user, attachment_id))


def template_helpers():
    """What ``cases/_attachments.html`` and the form renderer need, for any page."""
    def case_attachments(case):
        return attachments.for_case(case, current_user)

    def may_upload_attachment(case):
        return attachments.may_upload(current_user, case)

    return {"case_attachments": case_attachments, "may_upload_attachment": may_upload_attachment,
            "attachment_size": attachments.human_size,
            "attachment_limit": attachments.human_size(attachments.max_bytes()),
            "attachment_types": attachments.ALLOWED_TYPES}


def too_large(_exc):
    message = f"上传的文件过大：单个附件不能超过 {attachments.human_size(attachments.max_bytes())}"
    if request.path.startswith("/api/"):
        return jsonify({"error": message}), 413
    flash(message, "error")
    return redirect(request.referrer or url_for("inbox.index"))


def label_events(_state):
    """The history timeline's label for uploads (ui.EVENT_LABELS lists the core events)."""
    from ..ui import EVENT_LABELS
    EVENT_LABELS.setdefault("attachment_added", "上传附件")
