"""Thin handlers for case pages."""
from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
import io

from workflows.forms import coerce_submission, form_fields

from ..disclosure import remedies
from ..ids import parse_int
from ..services import access, cases, clocks, comments, leaders, operations, processes, reading
from ..services.errors import Invalid


@login_required
def index():
    status = request.args.get("status") or None
    text = request.args.get("q", "")

    def link(**changes):
        args = {"status": status, "q": text or None, **changes}
        return url_for("cases.index", **{k: v for k, v in args.items() if v not in (None, "", 1)})

    page = parse_int(request.args.get("page", "1"), 1, 100_000)
    try:
        if page is None:
            raise Invalid("页码应为 1 到 100000 之间的整数", {"page": "应为 1 到 100000 之间的整数"})
        result = reading.visible_cases(current_user, status, text=text, page=page)
    except Invalid as exc:
        flash(exc.message, "error")
        return render_template("cases/index.html", result=None, status=status, q=text, link=link,
                               parties={}), 422
    return render_template("cases/index.html", result=result, status=status, q=text, link=link,
                           parties=reading.case_parties(current_user, result.items))


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
            case = cases.start_case(current_user, process, values, claim=True)
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
    return _show(cases.get_case(current_user, case_id))


def _show(case, remedy_form=None, status=200):
    """The case page; ``remedy_form`` ({"id", "values", "errors"}) re-shows a refused remedy form as typed."""
    tasks = cases.case_tasks(case)
    return render_template(
        "cases/show.html", case=case, case_fields=reading.case_fields(case, current_user),
        tasks=tasks, documents=reading.case_documents(case),
        assignees={t.id: operations.eligible_assignees(current_user, t) for t in tasks if t.state == "ready"},
        leader_choices=leaders.eligible(current_user, case),
        events=reading.visible_events(current_user, case), deadlines=clocks.deadlines(case),
        comments=comments.for_case(current_user, case),
        may_comment=current_user.has_role("officer", "head", "supervisor", "admin"),
        leaders=leaders.leaders_of(current_user, case), may_attach_leader=leaders.may_attach(current_user, case),
        related=reading.related_cases(current_user, case), panel=reading.case_panel(current_user, case),
        remedies=remedies.remedies_of(current_user, case) if remedies.applies_to(case) else [],
        may_record_remedy=remedies.may_record(current_user, case), remedy_kinds=remedies.KINDS,
        remedy_outcomes=remedies.OUTCOMES, remedy_form=remedy_form or {"id": None, "values": {}, "errors": {}},
    ), status


@login_required
def save_remedy(case_id, remedy_id=None):
    """Record a remedy (复议/诉讼) or update one; refused input comes back on the case page as typed."""
    values = {name: request.form.get(name, "") for name in remedies.FIELDS if name in request.form}
    try:
        if remedy_id is None:
            remedies.add(current_user, case_id, values)
            flash("已登记行政复议、行政诉讼情况", "success")
        else:
            remedies.update(current_user, remedy_id, values)
            flash("已更新行政复议、行政诉讼情况", "success")
    except Invalid as exc:
        flash(exc.message, "error")
        case = cases.get_case(current_user, case_id)
        return _show(case, {"id": remedy_id, "values": values, "errors": exc.fields}, 422)
    return redirect(url_for("cases.show", case_id=case_id) + "#remedies")


@login_required
def document(document_id):
    doc = reading.get_document(current_user, document_id)
    return send_file(io.BytesIO(doc.content), mimetype=doc.mime_type, download_name=doc.filename,
                     as_attachment=request.args.get("download") == "1")
