"""Thin handlers for case pages."""
from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
import io

from workflows.forms import coerce_submission, form_fields

from ..services import access, cases, clocks, comments, leaders, processes, reading
from ..services.errors import Invalid


@login_required
def index():
    status = request.args.get("status") or None
    text = request.args.get("q", "")
    try:
        rows = reading.visible_cases(current_user, status, text=text)
    except Invalid as exc:
        flash(exc.message, "error")
        return render_template("cases/index.html", cases=[], status=status, q=text), 422
    return render_template("cases/index.html", cases=rows, status=status, q=text)


@login_required
def new(process):
    access.require_create(current_user)
    version = processes.latest(process)
    definition = processes.definition(version)
    access.require_create(current_user, version.process_key, definition.start_lane)
    schema = processes.start_form(definition) or {"type": "object", "properties": {}}
    values, errors = {}, {}
    if request.method == "POST":
        values = coerce_submission(schema, request.form.get, request.form.getlist)
        try:
            case = cases.start_case(current_user, process, values)
        except Invalid as exc:
            errors = exc.fields
            flash(exc.message, "error")
        else:
            flash(f"已登记，受理编号 {case.tracking_number}", "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/new.html", definition=definition, fields=form_fields(schema),
                           values=values, errors=errors, title=schema.get("title", definition.name)), \
        (422 if errors else 200)


@login_required
def show(case_id):
    case = cases.get_case(current_user, case_id)
    return render_template(
        "cases/show.html", case=case, case_fields=reading.case_fields(case, current_user),
        tasks=cases.case_tasks(case), documents=reading.case_documents(case),
        events=reading.visible_events(current_user, case), deadlines=clocks.deadlines(case),
        comments=comments.for_case(current_user, case),
        may_comment=current_user.has_role("officer", "head", "supervisor", "admin"),
        leaders=leaders.leaders_of(current_user, case), may_attach_leader=leaders.may_attach(current_user, case),
        related=reading.related_cases(current_user, case), panel=reading.case_panel(current_user, case),
    )


@login_required
def document(document_id):
    doc = reading.get_document(current_user, document_id)
    return send_file(io.BytesIO(doc.content), mimetype=doc.mime_type, download_name=doc.filename,
                     as_attachment=request.args.get("download") == "1")
