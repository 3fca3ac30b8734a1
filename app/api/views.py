"""JSON API: bearer token or the browser session (then with a CSRF header)."""
import io

from flask import g, jsonify, request, send_file, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from ..disclosure import remedies
from ..ids import parse_id
from ..reports import annual
from ..services import (attachments, case_search, cases, clocks, comments, filters, leaders, letters, operations,
                        processes, reading, statistics, users)
from ..services.errors import Forbidden, Invalid, NotFound, ServiceError
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
    return _paged([task_json(t) for t in result.items], result.total, result.page, result.per_page,
                  "api.list_tasks", f.to_args())


def _paged(items: list, total: int, page: int, per_page: int, endpoint: str, args: dict):
    """A page of a list, with X-Total-Count, X-Page, X-Per-Page and the prev/next Link header."""
    response = jsonify(items)
    response.headers["X-Total-Count"] = str(total)
    response.headers["X-Page"], response.headers["X-Per-Page"] = str(page), str(per_page)
    links = []
    for rel, target in (("prev", page - 1 if page > 1 else None),
                        ("next", page + 1 if page * per_page < total else None)):
        if target:
            links.append(f'<{url_for(endpoint, **args, page=target)}>; rel="{rel}"')
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


def list_cases():
    f = case_search.CaseFilter.from_args(request.args)
    rows, total = case_search.search(g.api_user, f)
    items = [{"id": c.id, "tracking_number": c.tracking_number, "process": c.process_key, "status": c.status,
              "version": c.version, "data": reading.visible_data(g.api_user, c),
              "created_at": c.created_at.isoformat(),
              "completed_at": c.completed_at.isoformat() if c.completed_at else None} for c in rows]
    return _paged(items, total, f.page, f.per_page, "api.list_cases", f.to_args())


def comment_json(c) -> dict:
    return {"id": c.id, "case_id": c.case_id, "task_id": c.task_id, "author": c.author.username,
            "author_name": c.author.display_name, "body": c.body, "corrects_id": c.corrects_id,
            "created_at": c.created_at.isoformat()}


def list_comments(case_id):
    case = cases.get_case(g.api_user, case_id)
    return jsonify([comment_json(c) for c in comments.for_case(g.api_user, case)])


def add_comment(case_id):
    body = _json_body()
    text, task_id, corrects = body.get("body"), body.get("task_id"), body.get("corrects_id")
    if not isinstance(text, str):
        raise Invalid("需要 {\"body\": 评论内容}", {"body": "必填"})
    if task_id is not None and not isinstance(task_id, str):
        raise Invalid("task_id 应为任务编号", {"task_id": "应为字符串"})
    if corrects is not None and parse_id(corrects) is None:
        raise Invalid("corrects_id 应为评论编号", {"corrects_id": "应为整数"})
    comment = comments.add(g.api_user, case_id, text, task_id, parse_id(corrects) if corrects is not None else None)
    return jsonify(comment_json(comment)), 201


def _reason() -> str:
    reason = _json_body().get("reason")
    if not isinstance(reason, str):
        raise Invalid("需要 {\"reason\": 理由}", {"reason": "必填"})
    return reason


CASE_ACTIONS = {"suspend": operations.suspend, "resume": operations.resume, "terminate": operations.terminate}


def case_action(case_id, action):
    """Suspend, resume or terminate: the same service functions (and rules) as the case page."""
    reason = _reason()
    CASE_ACTIONS[action](g.api_user, case_id, reason)
    return jsonify(_case(cases.get_case(g.api_user, case_id)))


def rewind_case(case_id):
    """Re-open a completed task of the case ("redo from here"): {"task_id", "reason"}."""
    body = _json_body()
    task_id, reason = body.get("task_id"), body.get("reason")
    if not isinstance(task_id, str) or not isinstance(reason, str):
        raise Invalid("需要 {\"task_id\": 已办理任务的编号, \"reason\": 理由}",
                      {k: "必填" for k, v in (("task_id", task_id), ("reason", reason)) if not isinstance(v, str)})
    cases.get_case(g.api_user, case_id)  # 404 for a case the caller may not see
    if not any(t.id == task_id for t in cases.case_tasks(cases.get_case(g.api_user, case_id))):
        raise NotFound("该案件没有这个任务")
    operations.rewind(g.api_user, task_id, reason)
    return jsonify(_case(cases.get_case(g.api_user, case_id)))


def release_task(task_id):
    _optional_body()
    return jsonify(task_json(cases.release_task(g.api_user, task_id)))


def reassign_task(task_id):
    body = _json_body()
    to, reason = body.get("to"), body.get("reason", "")
    if not isinstance(to, str) or not isinstance(reason, str):
        raise Invalid("需要 {\"to\": 用户名, \"reason\": 理由}", {"to": "必填"})
    return jsonify(task_json(operations.reassign(g.api_user, task_id, to, reason)))


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
