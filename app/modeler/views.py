"""Thin handlers for the modeler (JSON for the page's script) and the case diagram."""
import functools
from pathlib import Path

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user, login_required

from workflows.forms import form_fields
from workflows.specs import SpecInvalid

from ..extensions import db
from ..services import diagrams, drafts
from ..services import lanes as lane_service
from ..services.errors import ServiceError

# Only these files of the bpmn-js package are served: its browser bundles, their CSS and fonts, the licence.
VENDOR_FILES = ("dist/", "LICENSE")


def json_errors(view):
    """Errors as JSON for the page's script: ``{"error": …}``, or ``{"errors": [element errors]}``."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except SpecInvalid as exc:
            return jsonify({"error": "流程校验未通过，未作任何更改", "errors": drafts.error_dicts(exc.errors)}), 422
        except ServiceError as exc:
            return jsonify({"error": exc.message, "fields": exc.fields}), exc.status
    return wrapper


def _payload() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    return data


@login_required
def index():
    return render_template("modeler/index.html", processes=drafts.overview(current_user))


@login_required
def edit(process_key):
    try:
        page = drafts.page_of(current_user, process_key)
    except ServiceError as exc:
        abort(exc.status)
    return render_template("modeler/edit.html", version=page)


@login_required
def new_process():
    """Open an uploaded BPMN file as a new process (a draft under a new key), then edit it."""
    file = request.files.get("file")
    if file is None or not file.filename:
        flash("请选择要打开的 BPMN 文件", "error")
        return redirect(url_for("modeler.index"))
    try:
        draft = drafts.new_from_file(current_user, file.stream.read(drafts.MAX_BPMN_BYTES + 1),
                                     request.form.get("process_key"))
    except ServiceError as exc:
        if exc.status == 403:
            abort(403)
        flash(exc.message, "error")
        return redirect(url_for("modeler.index"))
    return redirect(url_for("modeler.edit", process_key=draft.process_key))


@login_required
def lanes(process_key):
    """泳道分配: who works each lane of a process; adding and removing assignments (supervisors)."""
    if not lane_service.may_manage(current_user):
        abort(403)
    if request.method == "POST":
        try:
            if request.form.get("remove"):
                lane_service.remove(current_user, int(request.form["remove"]))
                flash("已删除该泳道分配", "success")
            else:
                row = lane_service.assign(current_user, process_key, request.form.get("lane", ""),
                                          request.form.get("role", ""), request.form.get("department") or None)
                flash(f"泳道“{row.lane}”已分配", "success")
            db.session.commit()
        except (ServiceError, ValueError) as exc:
            db.session.rollback()
            flash(getattr(exc, "message", "参数有误"), "error")
        return redirect(url_for("modeler.lanes", process_key=process_key))
    return render_template("modeler/lanes.html", **lane_service.page(current_user, process_key))


@login_required
@json_errors
def model(process_key):
    return jsonify(drafts.open_process(current_user, process_key))


@login_required
@json_errors
def save_draft(process_key):
    data = _payload()
    draft = drafts.save_draft(current_user, process_key, data.get("bpmn"), data.get("forms"))
    return jsonify({"saved_at": draft.updated_at.isoformat()})


@login_required
@json_errors
def discard_draft(process_key):
    drafts.discard_draft(current_user, process_key)
    return jsonify({"discarded": True})


@login_required
@json_errors
def validate(process_key):
    data = _payload()
    errors = drafts.validate(current_user, process_key, data.get("bpmn"), data.get("forms"))
    return jsonify({"valid": not errors, "errors": drafts.error_dicts(errors)})


@login_required
@json_errors
def deploy(process_key):
    data = _payload()
    version, new = drafts.deploy(current_user, process_key, data.get("bpmn"), data.get("forms"), data.get("note"),
                                 other_origin=data.get("other_origin") is True)
    return jsonify({"version": version.version, "new": new, "content_hash": version.content_hash}), \
        (201 if new else 200)


@login_required
@json_errors
def upload(process_key):
    file = request.files.get("file")
    if file is None:
        return jsonify({"error": "请选择要上传的 BPMN 文件"}), 400
    # Read one byte past the limit so an oversized file is refused without reading it all.
    data = file.stream.read(drafts.MAX_BPMN_BYTES + 1)
    draft = drafts.upload(current_user, process_key, data)
    return jsonify({"bpmn": draft.bpmn.decode("utf-8"), "forms": draft.forms,
                    "saved_at": draft.updated_at.isoformat()})


@login_required
def download(process_key):
    version = drafts.version_of(current_user, process_key)
    response = current_app.response_class(version.bpmn, mimetype="application/xml")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{version.process_key}-v{version.version}.bpmn"'
    return response


@login_required
@json_errors
def check_form():
    drafts.require_modeler(current_user)
    schema, error = drafts.check_form(_payload().get("text"))
    if error:
        return jsonify({"valid": False, "error": error}), 422
    preview = render_template("modeler/_form_preview.html", schema=schema, fields=form_fields(schema))
    return jsonify({"valid": True, "title": schema.get("title", ""), "preview": preview})


def vendor(filename):
    if not filename.startswith(VENDOR_FILES) or ".." in filename:
        abort(404)
    root = Path(current_app.config.get("NODE_MODULES") or Path(current_app.root_path).parent / "node_modules")
    package = root / "bpmn-js"
    if not package.is_dir():
        current_app.logger.error("bpmn-js is not installed under %s: run `make setup` (npm ci)", root)
        abort(404)
    return send_from_directory(package, filename, max_age=3600)


@login_required
@json_errors
def case_bpmn(case_id):
    return current_app.response_class(diagrams.case_bpmn(current_user, case_id), mimetype="application/xml")


@login_required
@json_errors
def case_states(case_id):
    return jsonify(diagrams.case_states(current_user, case_id))
