"""OpenAPI 3.1 description of /api/v1 (served at /api/v1/openapi.json)."""

_err = {"$ref": "#/components/responses/Error"}


def _op(summary, *, body=None, ok="200", ok_schema=None, params=(), errors=("401", "403", "404")):
    op = {"summary": summary, "parameters": list(params),
          "responses": {ok: {"description": "OK", "content": {"application/json": {"schema": ok_schema or {}}}}}}
    for code in errors:
        op["responses"][code] = _err
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def _path(name, desc):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}, "description": desc}


def _query(name, schema, desc):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": desc}


_date = {"type": "string", "format": "date"}
TASK_FILTERS = [
    _query("scope", {"enum": ["mine", "claimable", "inbox", "all"], "default": "mine"},
           "mine: assigned to me; claimable: unassigned in a lane I may work; inbox: both; "
           "all: every open task of the cases I may read"),
    _query("filter", {"type": "integer"}, "a saved filter (own, or shared with my department; 403 otherwise); "
                                          "other parameters given override it"),
    _query("process", {"type": "string"}, "process key, e.g. disclosure_request"),
    _query("task", {"type": "string"}, "task spec name or title"),
    _query("due", {"enum": ["overdue", "due_soon", "normal", "none"]},
           "overdue: due date passed; due_soon: due within 3 days; normal: later; none: no due date"),
    _query("party", {"type": "string", "maxLength": 100}, "applicant or petitioner name (substring)"),
    _query("tracking", {"type": "string", "maxLength": 100}, "tracking number (substring)"),
    _query("date_field", {"enum": ["received", "due"], "default": "received"},
           "which date date_from/date_to bound: the request's receipt or the task's due date"),
    _query("date_from", _date, "inclusive"), _query("date_to", _date, "inclusive"),
    _query("q", {"type": "string", "maxLength": 100},
           "full text over the case (tracking number and all text of its data): substring match, Chinese "
           "included; space-separated terms must all match (at most 5)"),
    _query("sort", {"enum": ["due_date", "created_at", "tracking_number", "task", "lane", "applicant",
                             "received_on", "process"], "default": "due_date"}, "empty values sort last"),
    _query("order", {"enum": ["asc", "desc"], "default": "asc"}, ""),
    _query("page", {"type": "integer", "minimum": 1, "default": 1}, ""),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, ""),
]

CASE = {"$ref": "#/components/schemas/Case"}
TASK = {"$ref": "#/components/schemas/Task"}


def _task_list():
    op = _op("The caller's open tasks, filtered, sorted and paginated (the inbox). Invalid parameters give 422 "
             "naming each bad field.", ok_schema={"type": "array", "items": TASK},
             errors=("401", "403", "404", "422"), params=TASK_FILTERS)
    op["responses"]["200"]["description"] = "One page of tasks"
    op["responses"]["200"]["headers"] = {
        "X-Total-Count": {"schema": {"type": "integer"}, "description": "the number of all matching tasks"},
        "X-Page": {"schema": {"type": "integer"}}, "X-Per-Page": {"schema": {"type": "integer"}},
        "Link": {"schema": {"type": "string"},
                 "description": 'the previous and next pages: <url>; rel="prev", <url>; rel="next"'},
    }
    return op


ATTACHMENT = {"$ref": "#/components/schemas/Attachment"}
COMMENT = {"$ref": "#/components/schemas/Comment"}
REASON = {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "minLength": 1}}}
PAGED_HEADERS = {
    "X-Total-Count": {"schema": {"type": "integer"}, "description": "the number of all matching items"},
    "X-Page": {"schema": {"type": "integer"}}, "X-Per-Page": {"schema": {"type": "integer"}},
    "Link": {"schema": {"type": "string"}, "description": 'the previous and next pages: <url>; rel="prev", <url>; rel="next"'},
}
CASE_FILTERS = [
    _query("process", {"type": "string"}, "process key"),
    _query("status", {"enum": ["active", "suspended", "incident", "terminated", "archived", "withdrawn",
                               "completed"]}, ""),
    _query("party", {"type": "string", "maxLength": 100}, "applicant or petitioner name (substring)"),
    _query("tracking", {"type": "string", "maxLength": 100}, "tracking number (substring)"),
    _query("q", {"type": "string", "maxLength": 100}, "full text, as for /tasks"),
    _query("date_from", _date, "received on or after (inclusive)"), _query("date_to", _date, "received on or before"),
    _query("sort", {"enum": ["created_at", "tracking_number", "process", "status", "received_on", "applicant"],
                    "default": "created_at"}, ""),
    _query("order", {"enum": ["asc", "desc"], "default": "desc"}, ""),
    _query("page", {"type": "integer", "minimum": 1, "default": 1}, ""),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, ""),
]


def _case_list():
    op = _op("The cases the caller may read, filtered, sorted and paginated. Invalid parameters give 422 naming "
             "each bad field.", ok_schema={"type": "array", "items": {"$ref": "#/components/schemas/CaseSummary"}},
             errors=("401", "422"), params=CASE_FILTERS)
    op["responses"]["200"]["headers"] = PAGED_HEADERS
    return op


def _action(summary, path_desc, body=REASON, ok_schema=CASE):
    return _op(summary, params=[_path("id", path_desc)], body=body, ok_schema=ok_schema,
               errors=("401", "403", "404", "409", "422"))

LEADER = {"type": "object", "properties": {"username": {"type": "string"}, "name": {"type": "string"},
                                        "attached_at": {"type": ["string", "null"], "format": "date-time"}}}

REMEDY = {"type": "object", "properties": {
    "id": {"type": "integer"},
    "kind": {"enum": ["reconsideration", "litigation_direct", "litigation_after_reconsideration"]},
    "filed_on": {"type": "string", "format": "date"}, "body": {"type": "string"},
    "outcome": {"enum": ["upheld", "corrected", "other", "pending"]},
    "decided_on": {"type": ["string", "null"], "format": "date"}, "documents": {"type": "string"},
    "kind_label": {"type": "string"}, "outcome_label": {"type": "string"}}}
_COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
ANNUAL_REPORT = {"type": "object", "required": ["year", "section3", "section4", "checks", "frozen"], "properties": {
    "year": {"type": "integer"},
    "section3": {"type": "object", "properties": {"rows": {
        "type": "object", "description": 'ROW ("1", "2", "3.1" … "3.6.3", "3.7", "4") → COLUMN (natural_person, '
                                         "commercial_enterprise, research_institution, public_interest_org, "
                                         "legal_service_org, other_org, total) → count",
        "additionalProperties": _COUNTS}}},
    "section4": {"type": "object", "description": "reconsideration, litigation_direct, "
                                                  "litigation_after_reconsideration → upheld, corrected, other, "
                                                  "pending, total", "additionalProperties": _COUNTS},
    "section6": {"type": "object", "properties": {"fees_paid_cases": {"type": "integer"},
                                                  "fees_collected_yuan": {"type": "integer"}}},
    "texts": {"type": "object", "properties": {k: {"type": "string"} for k in ("section1", "section2", "section5")}},
    "checks": {"type": "array", "items": {"type": "object", "properties": {
        "rule": {"type": "string"}, "ok": {"type": "boolean"},
        "cases": {"type": "array", "items": {"type": "string"}, "description": "tracking numbers"}}}},
    "frozen": {"type": "boolean"}, "frozen_at": {"type": ["string", "null"], "format": "date-time"},
    "sha256": {"type": ["string", "null"]},
    "differences": {"type": "array", "description": "numbers changed since publication (frozen years)",
                    "items": {"type": "object"}}}}
_YEAR = _path("year", "report year, e.g. 2026")

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Banjian (办件) API", "version": "1.0.0",
             "description": "Cases, tasks, history, documents and attachments. Authenticate with "
                            "`Authorization: Bearer <token>` (flask --app app create-token USER) or a browser "
                            "session plus an `X-CSRFToken` header on writes. Errors are `{\"error\": …}`; "
                            "invalid form data gives 422 with `fields`; a stale `case_version` gives 409. A form property "
                            "with `\"format\": \"attachment\"` takes the id of an attachment of the same case: "
                            "upload the file to /cases/{id}/attachments first."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}, {"session": []}],
    "paths": {
        "/processes": {"get": _op(
            "Every deployed process at its newest version, with its start form as JSON Schema (live choice "
            "lists filled in; null when the process has none) and whether the caller may register cases of it "
            "(may_start: the same rule as POST /cases)", errors=("401",),
            ok_schema={"type": "array", "items": {"$ref": "#/components/schemas/Process"}})},
        "/cases": {"get": _case_list(), "post": _op("Register a case", ok="201", ok_schema=CASE, errors=("401", "403", "404", "422"),
                               body={"type": "object", "required": ["process", "data"], "properties": {
                                   "process": {"type": "string", "example": "disclosure_request"},
                                   "data": {"type": "object"}}})},
        "/cases/{id}": {"get": _op("A case with its tasks and documents", ok_schema=CASE,
                                   params=[_path("id", "case id")])},
        "/cases/{id}/history": {"get": _op("The case's events, oldest first", params=[_path("id", "case id")],
                                           ok_schema={"type": "array", "items": {"$ref": "#/components/schemas/Event"}})},
        "/tasks": {"get": _task_list()},
        "/tasks/{id}": {"get": _op("A task with its form (JSON Schema) and the case version",
                                   params=[_path("id", "task id")], ok_schema=TASK)},
        "/tasks/{id}/preview": {"get": {
            "summary": "The letter the task decides on (BPMN property previewLetter), as it would be issued now: "
                       "marked 预览/草稿, without a document number; nothing is stored. 404 for a task without one "
                       "or no longer open; 422 when the case data cannot make the letter yet",
            "parameters": [_path("id", "task id")],
            "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}},
                          "401": _err, "403": _err, "404": _err, "422": _err}}},
        "/tasks/{id}/claim": {"post": _op("Claim a task", params=[_path("id", "task id")], ok_schema=TASK,
                                          errors=("401", "403", "404", "409"))},
        "/tasks/{id}/complete": {"post": _op(
            "Complete a task with form data", params=[_path("id", "task id")], ok_schema=CASE,
            errors=("401", "403", "404", "409", "422"),
            body={"type": "object", "required": ["data", "case_version"], "properties": {
                "data": {"type": "object"}, "case_version": {"type": "integer"}}})},
        "/documents/{id}": {"get": {"summary": "A generated document (PDF bytes)", "parameters": [_path("id", "document id")],
                                    "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}},
                                                  "401": _err, "403": _err, "404": _err,
                                                  "409": {**_err, "description": "The stored bytes differ from "
                                                          "the SHA-256 the case history recorded: not served"}}}},
        "/cases/{id}/attachments": {
            "get": _op("The case's attachments, oldest first", params=[_path("id", "case id")],
                       ok_schema={"type": "array", "items": ATTACHMENT}),
            "post": {**_op("Attach a file to the case (officers and heads who can see it). The type is judged by "
                           "the content: PDF, PNG, JPEG, TIFF, DOCX, XLSX, OFD or UTF-8 text; a refused file "
                           "(422: wrong type whatever its name, empty, too large) changes nothing; 413 when the "
                           "request exceeds the server's limit.",
                           ok="201", ok_schema=ATTACHMENT, params=[_path("id", "case id")],
                           errors=("401", "403", "404", "413", "422")),
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                         "type": "object", "required": ["file"],
                         "properties": {"file": {"type": "string", "format": "binary"}}}}}}},
        },
        "/attachments/{id}": {"get": {
            "summary": "An attachment's bytes (Content-Disposition: attachment; its stored mime type)",
            "parameters": [_path("id", "attachment id")],
            "responses": {"200": {"description": "The file as uploaded",
                                  "content": {"application/octet-stream": {"schema": {
                                      "type": "string", "format": "binary"}}}},
                          "401": _err, "403": _err, "404": _err,
                          "409": {**_err, "description": "The stored bytes differ from the SHA-256 the case "
                                  "history recorded: not served"}}}},
        "/cases/{id}/leaders": {
            "get": _op("The case's leaders (领导包案), in the order attached", params=[_path("id", "case id")],
                       ok_schema={"type": "array", "items": LEADER}),
            "post": _op("Attach a head to the case as its leader (administrators, or the head of the case's "
                        "department); written to the history. 409 when already attached, 422 when the user is "
                        "not an active head.", ok="201", ok_schema=LEADER, params=[_path("id", "case id")],
                        body={"type": "object", "required": ["username"],
                              "properties": {"username": {"type": "string"}}},
                        errors=("401", "403", "404", "409", "422")),
        },
        "/cases/{id}/comments": {
            "get": _op("The case's comments the caller may read, oldest first", params=[_path("id", "case id")],
                       ok_schema={"type": "array", "items": COMMENT}),
            "post": _op("Comment on the case (or one of its tasks); a comment is never edited: correct it with "
                        "corrects_id (your own comment). Auditors may not comment.", ok="201", ok_schema=COMMENT,
                        params=[_path("id", "case id")], errors=("401", "403", "404", "422"),
                        body={"type": "object", "required": ["body"], "properties": {
                            "body": {"type": "string", "minLength": 1, "maxLength": 2000},
                            "task_id": {"type": ["string", "null"]}, "corrects_id": {"type": ["integer", "null"]}}}),
        },
        "/cases/{id}/suspend": {"post": _action("Suspend the case (administrators; the reason goes to the history): "
                                                "no timer fires and no task is accepted until resumed", "case id")},
        "/cases/{id}/resume": {"post": _action("Resume a suspended case (administrators)", "case id")},
        "/cases/{id}/terminate": {"post": _action("Terminate the case (administrators): its open tasks are "
                                                  "cancelled", "case id")},
        "/cases/{id}/rewind": {"post": _action(
            "Re-open a completed task of the case (administrators): later work is discarded, the history keeps it",
            "case id", body={"type": "object", "required": ["task_id", "reason"], "properties": {
                "task_id": {"type": "string"}, "reason": {"type": "string", "minLength": 1}}})},
        "/tasks/{id}/release": {"post": _op("Give a claimed task back to the lane (its assignee)",
                                            params=[_path("id", "task id")], ok_schema=TASK,
                                            errors=("401", "403", "404", "409", "422"))},
        "/tasks/{id}/reassign": {"post": _action(
            "Hand an open task to another user who may work its lane (the head of the case's department, or an "
            "administrator), with a reason", "task id", ok_schema=TASK,
            body={"type": "object", "required": ["to"], "properties": {
                "to": {"type": "string"}, "reason": {"type": "string"}}})},
        "/led-cases": {"get": _op("The cases the caller leads (包案), newest first", errors=("401",),
                                  ok_schema={"type": "array", "items": {"type": "object", "properties": {
                                      "id": {"type": "integer"}, "tracking_number": {"type": "string"},
                                      "process": {"type": "string"}, "status": {"type": "string"}}}})},
        "/statistics": {"get": _op(
            "Department statistics for a period of office dates (Asia/Shanghai), per department and process, "
            "with totals per process and overall. Heads get their own department; auditors, supervisors and "
            "administrators every department; others 403. received: cases created in the period; completed: "
            "closed in it (withdrawn included, terminated counted apart); completion_rate = completed / "
            "received; on_time_rate = on_time / (on_time + late), judged by the clocks the process names in "
            "its BPMN property onTimeClocks (else all clocks); overdue_now: open cases with a clock past due "
            "today; average_days_to_close: calendar days. Rates are fractions (0.5 = 50 %), null when "
            "undefined.",
            errors=("401", "403", "422"),
            params=[_query("from", _date, "first day, inclusive (with `to`; default: this month)"),
                    _query("to", _date, "last day, inclusive"),
                    _query("preset", {"enum": ["month", "quarter", "year"]}, "instead of from/to")],
            ok_schema={"$ref": "#/components/schemas/Statistics"})},
        "/reports/annual/{year}": {"get": _op(
            "The annual report on government-information disclosure (国办公开办函〔2021〕30号) for a calendar year: "
            "section 三 counted by legal receipt date and closing year, section 四 from the remedies filed in the "
            "year (outcome as at 31 December), section 六 fees paid, the checks with the cases that break them. "
            "For a published (frozen) year the published numbers, with `differences` against the cases now. "
            "Heads, auditors and administrators.", params=[_YEAR], errors=("401", "403", "422"),
            ok_schema=ANNUAL_REPORT)},
        "/reports/annual/{year}/cases": {"get": _op(
            "The cases behind one number: `row` and `column` (section 三) or `remedy` and `outcome` (section 四)",
            params=[_YEAR, _query("row", {"type": "string"}, "e.g. 3.3.4"),
                    _query("column", {"type": "string"}, "e.g. natural_person (default total)"),
                    _query("remedy", {"type": "string"}, "reconsideration, litigation_direct, …"),
                    _query("outcome", {"type": "string"}, "upheld, corrected, other, pending, total")],
            errors=("401", "403", "422"),
            ok_schema={"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer"}, "tracking_number": {"type": "string"}, "status": {"type": "string"}}}})},
        "/reports/annual/{year}/freeze": {"post": _op(
            "Publish the year: its numbers and texts are stored with their SHA-256 (heads and administrators; "
            "409 for the current year, a year already published, or failing checks)", ok="201", params=[_YEAR],
            errors=("401", "403", "409", "422"))},
        "/reports/annual/{year}/texts": {"post": _op(
            "Save the office's sections 一, 二 and 五 (plain text; 409 once published)", params=[_YEAR],
            body={"type": "object", "properties": {k: {"type": "string"} for k in ("section1", "section2", "section5")}},
            errors=("401", "403", "409", "422"))},
        "/cases/{id}/remedies": {
            "get": _op("Reconsideration and litigation recorded on the case", params=[_path("id", "case id")],
                       ok_schema={"type": "array", "items": REMEDY}),
            "post": _op("Record a reconsideration or lawsuit on a closed disclosure request (officers, heads, "
                        "administrators; written to the history; the process is not reopened)", ok="201",
                        params=[_path("id", "case id")], ok_schema=REMEDY,
                        body={"type": "object", "required": ["kind", "filed_on", "body"], "properties": {
                            k: v for k, v in REMEDY["properties"].items() if k in (
                                "kind", "filed_on", "body", "outcome", "decided_on", "documents")}},
                        errors=("401", "403", "404", "409", "422"))},
        "/remedies/{id}": {"post": _op(
            "Change a remedy (e.g. record its decision); the history keeps the values before and after",
            params=[_path("id", "remedy id")], ok_schema=REMEDY, body={"type": "object"},
            errors=("401", "403", "404", "409", "422"))},
        "/reports/information-scores": {"get": _op(
            "Government-information submission (政务信息报送): each department that submitted in the period, with "
            "its points (from the office's scoring table: adopted in the bulletin, by the level above, with a "
            "leader's instruction; late urgent first reports count negative), adopted, submitted and late items, "
            "ranked by points, then adopted, then fewer late; equal figures share a rank. Items count in the month "
            "they were submitted. Heads, information editors, auditors, supervisors and administrators; others 403.",
            errors=("401", "403", "422"),
            params=[_query("year", {"type": "integer"}, "the year (required)"),
                    _query("month", {"type": "integer", "minimum": 1, "maximum": 12}, "one month of it (optional)")],
            ok_schema={"type": "object", "properties": {"departments": {"type": "array", "items": {
                "type": "object", "properties": {
                    "department": {"type": "string"}, "department_code": {"type": "string"},
                    **{k: {"type": "integer"} for k in ("points", "adopted", "submitted", "late", "rank")}}}}}})},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                            "session": {"type": "apiKey", "in": "cookie", "name": "session"}},
        "responses": {"Error": {"description": "Error", "content": {"application/json": {"schema": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "string"}, "fields": {"type": "object"}}}}}}},
        "schemas": {
            "CaseSummary": {"type": "object", "properties": {
                "id": {"type": "integer"}, "tracking_number": {"type": "string"}, "process": {"type": "string"},
                "status": {"type": "string"}, "version": {"type": "integer"},
                "data": {"type": "object", "description": "The case data as the caller may read it"},
                "created_at": {"type": "string", "format": "date-time"},
                "completed_at": {"type": ["string", "null"], "format": "date-time"}}},
            "Comment": {"type": "object", "properties": {
                "id": {"type": "integer"}, "case_id": {"type": "integer"}, "task_id": {"type": ["string", "null"]},
                "author": {"type": "string"}, "author_name": {"type": "string"}, "body": {"type": "string"},
                "corrects_id": {"type": ["integer", "null"]}, "created_at": {"type": "string", "format": "date-time"}}},
            "Process": {"type": "object", "required": ["key", "title", "version", "start_form", "may_start"],
                        "properties": {"key": {"type": "string"}, "title": {"type": "string"},
                                       "version": {"type": "integer"}, "start_form": {"type": ["object", "null"]},
                                       "may_start": {"type": "boolean"}}},
            "Statistics": {"type": "object", "properties": {
                "from": _date, "to": _date, "scope": {"type": "string"},
                "rows": {"type": "array", "items": {"$ref": "#/components/schemas/StatisticsRow"}},
                "by_process": {"type": "array", "items": {"$ref": "#/components/schemas/StatisticsRow"}},
                "total": {"$ref": "#/components/schemas/StatisticsRow"}}},
            "StatisticsRow": {"type": "object", "properties": {
                "department_code": {"type": ["string", "null"]}, "department_name": {"type": "string"},
                "process_key": {"type": "string"}, "process_name": {"type": "string"},
                **{k: {"type": "integer"} for k in ("received", "completed", "terminated", "on_time", "late",
                                                    "overdue_now")},
                **{k: {"type": ["number", "null"]} for k in ("completion_rate", "on_time_rate",
                                                             "average_days_to_close")}}},
            "Task": {"type": "object", "properties": {
                "id": {"type": "string"}, "case_id": {"type": "integer"}, "tracking_number": {"type": "string"},
                "name": {"type": "string"}, "spec_name": {"type": "string"}, "lane": {"type": ["string", "null"]},
                "state": {"enum": ["ready", "completed", "cancelled"]}, "assignee": {"type": ["string", "null"]},
                "due_date": {"type": ["string", "null"]}, "form": {"type": ["object", "null"]},
                "case_version": {"type": "integer"},
                "context": {"type": "object", "description": "What the process shows beside the task, for those who "
                            "may work it, e.g. `suggestions`: {title, help, field, items: [{case_id, "
                            "tracking_number, label, status, received_on, score, reasons}]}"}}},
            "Document": {"type": "object", "properties": {
                "id": {"type": "integer"}, "kind": {"type": "string"}, "title": {"type": "string"},
                "number": {"type": ["string", "null"]}, "sha256": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"}}},
            "Case": {"type": "object", "properties": {
                "id": {"type": "integer"}, "tracking_number": {"type": "string"}, "process": {"type": "string"},
                "status": {"type": "string"}, "version": {"type": "integer"},
                "data": {"type": "object", "description": "The case data as the caller may read it"},
                "redacted": {"type": "array", "items": {"type": "string"},
                             "description": "Confidential fields left out of `data` for this caller"},
                "tasks": {"type": "array", "items": TASK},
                "documents": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}},
                "deadlines": {"type": "array", "items": {"$ref": "#/components/schemas/Deadline"}}}},
            "Deadline": {"type": "object", "properties": {
                "name": {"type": "string"}, "title": {"type": "string"}, "due_date": {"type": "string", "format": "date"},
                "provisional": {"type": "boolean"}, "state": {"enum": ["running", "paused", "met", "overdue"]},
                "explanation": {"type": "array", "items": {"type": "string"}}}},
            "Attachment": {"type": "object", "properties": {
                "id": {"type": "integer"}, "case_id": {"type": "integer"}, "filename": {"type": "string"},
                "mime_type": {"type": "string"}, "size": {"type": "integer"}, "sha256": {"type": "string"},
                "task_id": {"type": ["string", "null"]}, "field": {"type": ["string", "null"]},
                "uploaded_by": {"type": "string"}, "uploaded_at": {"type": "string", "format": "date-time"}}},
            "Event": {"type": "object", "properties": {
                "seq": {"type": "integer"}, "type": {"type": "string"}, "at": {"type": "string"},
                "actor": {"type": "string"}, "task_id": {"type": ["string", "null"]}, "summary": {"type": "string"},
                "payload": {"type": "object"}, "prev_hash": {"type": "string"}, "hash": {"type": "string"}}},
        },
    },
}
