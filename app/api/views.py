"""JSON API: bearer token or the browser session (then with a CSRF header)."""
import io

from flask import g, jsonify, request, send_file, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from ..disclosure import remedies
from ..ids import parse_id
from ..reports import annual
from ..services import attachments, cases, clocks, filters, leaders, letters, processes, reading, statistics, users
from ..services.errors import Forbidden, Invalid, ServiceError
from .openapi import SPEC
from .serializers import case_json, event_json, task_json


class Unauthorized(ServiceError):
    status = 401


def error_response(exc: ServiceError):
    body = {"error": exc.message}
    if exc.fields:
        body["fields"] = exc.fields
    return jsonify(body), exc.status


def authenticate():
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = users.user_for_token(header[7:].strip())
        if user is None:
            return error_response(Unauthorized("令牌无效或已停用"))
        g.api_user = user
        return None
    if current_user.is_authenticated:
        # A cookie travels with cross-site requests; require the CSRF token for writes.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            try:
                validate_csrf(request.headers.get("X-CSRFToken"))
            except (ValidationError, CSRFError):
                return error_response(Forbidden("缺少或无效的 CSRF 令牌（X-CSRFToken）"))
        g.api_user = current_user._get_current_object()
        return None
    return error_response(Unauthorized("需要登录或提供 Bearer 令牌"))


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("请求体必须是 JSON 对象")
    return body


def openapi():
    return jsonify(SPEC)


def list_processes():
    return jsonify(processes.catalogue(g.api_user))


def create_case():
    body = _json_body()
    data = body.get("data", {})
    if not isinstance(body.get("process"), str) or not isinstance(data, dict):
        raise Invalid("需要 {\"process\": 流程标识, \"data\": {…}}")
    case = cases.start_case(g.api_user, body["process"], data)
    return jsonify(_case(case)), 201


def _case(case):
    return case_json(case, cases.case_tasks(case), reading.case_documents(case), clocks.deadlines(case),
                     data=reading.visible_data(g.api_user, case), redacted=reading.hidden_keys(g.api_user, case))


def get_case(case_id):
    return jsonify(_case(cases.get_case(g.api_user, case_id)))


def case_history(case_id):
    case = cases.get_case(g.api_user, case_id)
    return jsonify([event_json(e) for e in reading.visible_events(g.api_user, case)])


def list_tasks():
    args = request.args.to_dict()
    if args.get("filter"):
        # A saved filter (own, or shared with the caller's department); explicit arguments override it.
        filter_id = parse_id(args.pop("filter"))
        if filter_id is None:
            raise Invalid("filter 应为已保存筛选的编号", {"filter": "应为整数"})
        args = {**filters.params_of(g.api_user, filter_id).to_args(), **args}
    f = filters.TaskFilter.from_args(args, scope="mine")
    result = filters.search(g.api_user, f)
    response = jsonify([task_json(t) for t in result.items])
    response.headers["X-Total-Count"] = str(result.total)
    response.headers["X-Page"], response.headers["X-Per-Page"] = str(result.page), str(result.per_page)
    links = []
    for rel, page in (("prev", result.page - 1 if result.has_prev else None),
                      ("next", result.page + 1 if result.has_next else None)):
        if page:
            links.append(f'<{url_for("api.list_tasks", **f.to_args(), page=page)}>; rel="{rel}"')
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


def get_task(task_id):
    row, schema = reading.get_task(g.api_user, task_id)
    body = task_json(row)
    body.update({"form": schema, "case_version": row.case.version,
                 "instructions": reading.task_instructions(row),
                 "context": reading.task_context(g.api_user, row)})
    return jsonify(body)


def _optional_body() -> dict:
    """A JSON object, or nothing at all (an empty body); anything else is refused."""
    if not request.get_data(cache=True).strip():
        return {}
    return _json_body()


def preview_task(task_id):
    title, pdf = letters.preview(g.api_user, task_id)
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=f"{title}（预览）.pdf")
    response.headers["Cache-Control"] = "no-store"
    return response


def claim_task(task_id):
    version = _optional_body().get("case_version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise Invalid("case_version 应为整数", {"case_version": "应为整数"})
    row = cases.claim_task(g.api_user, task_id, version)
    return jsonify(task_json(row))


def complete_task(task_id):
    body = _json_body()
    data = body.get("data", {})
    if not isinstance(data, dict):
        raise Invalid("data 必须是 JSON 对象")
    version = body.get("case_version")
    if not isinstance(version, int):
        raise Invalid("需要整数 case_version（任务所属案件的当前版本）", {"case_version": "必填"})
    # (attachment ids in the data must be attachments of this case: checked there)
    case = attachments.complete_task(g.api_user, task_id, data, version)
    return jsonify(_case(case))


def get_document(document_id):
    doc = reading.get_document(g.api_user, document_id)
    return send_file(io.BytesIO(doc.content), mimetype=doc.mime_type, download_name=doc.filename)


def attachment_json(a) -> dict:
    return {"id": a.id, "case_id": a.case_id, "filename": a.filename, "mime_type": a.mime_type, "size": a.size,
            "sha256": a.sha256, "task_id": a.task_id, "field": a.field,
            "uploaded_by": a.uploaded_by.username, "uploaded_at": a.uploaded_at.isoformat()}


def upload_attachment(case_id):
    file = request.files.get("file")
    if file is None or not file.filename:
        raise Invalid("需要 multipart/form-data 的文件字段 file", {"file": "必填"})
    attachment = attachments.upload(g.api_user, case_id, file.filename, file.stream)
    return jsonify(attachment_json(attachment)), 201


def list_attachments(case_id):
    case = cases.get_case(g.api_user, case_id)
    return jsonify([attachment_json(a) for a in attachments.for_case(case, g.api_user)])


def get_attachment(attachment_id):
    from ..attachments.views import send
    return send(attachments.get(g.api_user, attachment_id))


def department_statistics():
    statistics.department_scope(g.api_user)  # 403 before any 422 about the dates
    date_from, date_to = statistics.parse_period(request.args.get("from"), request.args.get("to"),
                                                 request.args.get("preset"))
    return jsonify(statistics.department_statistics(g.api_user, date_from, date_to).as_dict())


def leader_json(row) -> dict:
    return {"username": row.user.username, "name": row.user.display_name,
            "attached_at": row.attached_at.isoformat() if row.attached_at else None}


def list_leaders(case_id):
    case = cases.get_case(g.api_user, case_id)
    return jsonify([leader_json(r) for r in leaders.leaders_of(g.api_user, case)])


def attach_leader(case_id):
    username = _json_body().get("username")
    if not isinstance(username, str):
        raise Invalid("需要 {\"username\": 负责人的用户名}", {"username": "必填"})
    return jsonify(leader_json(leaders.attach(g.api_user, case_id, username))), 201


def led_cases():
    return jsonify([{"id": c.id, "tracking_number": c.tracking_number, "process": c.process_key,
                     "status": c.status} for c in leaders.led_cases(g.api_user)])


def annual_report(year):
    annual.require_reader(g.api_user)  # 403 before any 422 about the year
    return jsonify(annual.annual_report(g.api_user, annual.parse_year(year)).as_dict())


def annual_report_cases(year):
    """The cases behind one number: ``?row=&column=`` (section 三) or ``?remedy=&outcome=`` (section 四)."""
    annual.require_reader(g.api_user)
    year = annual.parse_year(year)
    if request.args.get("remedy"):
        found = annual.remedy_cases(g.api_user, year, request.args["remedy"], request.args.get("outcome", "total"))
    else:
        found = annual.cell_cases(g.api_user, year, request.args.get("row", ""), request.args.get("column", "total"))
    return jsonify([{"id": c.id, "tracking_number": c.tracking_number, "status": c.status} for c in found])


def freeze_annual_report(year):
    annual.require_editor(g.api_user)
    row = annual.freeze(g.api_user, annual.parse_year(year))
    return jsonify({"year": row.year, "sha256": row.sha256, "frozen_at": row.frozen_at.isoformat()}), 201


def save_annual_report_texts(year):
    annual.require_editor(g.api_user)
    return jsonify(annual.save_texts(g.api_user, annual.parse_year(year), _json_body()))


def list_remedies(case_id):
    case = cases.get_case(g.api_user, case_id)
    return jsonify([remedies.as_dict(r) for r in remedies.remedies_of(g.api_user, case)])


def add_remedy(case_id):
    return jsonify(remedies.as_dict(remedies.add(g.api_user, case_id, _json_body()))), 201


def update_remedy(remedy_id):
    return jsonify(remedies.as_dict(remedies.update(g.api_user, remedy_id, _json_body())))


def information_scores():
    """``GET /reports/information-scores?year=…[&month=…]``: the departments ranked by information points."""
    from ..information import scores
    scores.require_reader(g.api_user)
    year, month = scores.period(request.args.get("year"), request.args.get("month"))
    return jsonify({"departments": [{"department": s.name, "department_code": s.department, "points": s.points,
                                     "adopted": s.adopted, "submitted": s.submitted, "late": s.late, "rank": s.rank}
                                    for s in scores.ranking(year, month)]})
