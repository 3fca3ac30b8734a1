"""OpenAPI 3.1 description of the public API /api/public/v1 (served at /api/public/v1/openapi.json)."""

_error = {"type": "object", "required": ["error"],
          "properties": {"error": {"type": "string"},
                         "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}


def _errors(*codes):
    words = {"404": "Wrong query code or unknown tracking number: the same answer for both",
             "422": "Invalid input: `error` and `fields` {name: message} in Chinese",
             "429": "Too many requests from this address (rate limit)"}
    return {code: {"description": words[code], "content": {"application/json": {"schema": _error}}}
            for code in codes}


_text = {"type": "string"}
_choice = lambda *values: {"type": "string", "enum": list(values)}  # noqa: E731
FILED = {"type": "object", "required": ["tracking_number", "query_code", "received_on", "receipt_document_url"],
         "properties": {
             "tracking_number": _text,
             "query_code": {"type": "string", "description": "secret; shown once, stored only as a hash"},
             "received_on": {"type": "string", "format": "date",
                             "description": "legal receipt date (GIO 31: a rest-day filing is received the next "
                                            "working day)"},
             "receipt_document_url": {"type": "string",
                                      "description": "the receipt (回执) PDF; the link works for 24 hours"}}}
DISCLOSURE = {"type": "object", "additionalProperties": False,
              "required": ["applicant_type", "applicant_name", "contact_phone", "description", "requested_form",
                           "delivery_method"],
              "properties": {
                  "applicant_type": _choice("natural_person", "commercial_enterprise", "research_institution",
                                            "public_interest_org", "legal_service_org", "other_org"),
                  "applicant_name": _text,
                  "id_type": {**_choice("resident_id", "passport", "other"),
                              "description": "natural persons; a resident ID is checked per GB 11643"},
                  "id_number": _text,
                  "org_credit_code": {"type": "string", "description": "organisations; checked per GB 32100"},
                  "contact_phone": _text, "contact_email": {"type": "string", "format": "email"},
                  "contact_address": _text, "description": _text, "document_refs": _text,
                  "requested_form": _choice("paper", "electronic"),
                  "delivery_method": _choice("post", "email", "collect", "online")}}
PETITION = {"type": "object", "additionalProperties": False,
            "required": ["petitioner_name", "id_number", "contact_phone", "category", "subject", "content"],
            "properties": {
                "petitioner_name": _text, "id_number": {"type": "string", "description": "checked per GB 11643"},
                "contact_phone": _text, "contact_address": _text,
                "category": _choice("suggestion", "accusation", "claim"), "subject": _text,
                "content": {"type": "string", "description": "request, facts and reasons (XF 18)"}}}
STATUS = {"type": "object", "properties": {
    "tracking_number": _text, "process": _text, "process_name": _text,
    "stage": {"type": "string", "description": "the stage in plain words"},
    "status": _text, "received_on": {"type": ["string", "null"], "format": "date"},
    "deadlines": {"type": "array", "items": {"type": "object", "properties": {
        "name": _text, "due_date": {"type": "string", "format": "date"}, "provisional": {"type": "boolean"},
        "state": _choice("running", "paused", "met", "overdue"),
        "explanation": {"type": "array", "items": _text,
                        "description": "the legal basis, then how the date was computed, step by step"}}}},
    "documents": {"type": "array", "items": {"type": "object", "properties": {
        "title": _text, "issued_on": {"type": "string", "format": "date"},
        "url": {"type": "string", "description": "GET with the query code (query_code or X-Query-Code)"},
        "delivered_online": {"type": "boolean"}}}},
    "may_evaluate": {"type": "boolean"}, "may_request_review": {"type": "boolean"}}}
_code_params = [
    {"name": "tracking_number", "in": "path", "required": True, "schema": _text},
    {"name": "query_code", "in": "query", "required": False, "schema": _text,
     "description": "the query code (or send it in the X-Query-Code header)"},
    {"name": "X-Query-Code", "in": "header", "required": False, "schema": _text}]


def _filing(summary, schema):
    return {"post": {"summary": summary, "security": [],
                     "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
                     "responses": {"201": {"description": "Filed", "content": {"application/json": {"schema": FILED}}},
                                   **_errors("422", "429")}}}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Banjian (办件) public API", "version": "1.0.0",
             "description": "For members of the public and integrators; no login. File a disclosure request or a "
                            "petition (channel `online`), then follow it with the tracking number and the secret "
                            "query code. Rate-limited per client address (429). Errors are `{\"error\": …}`."},
    "paths": {
        "/api/public/v1/disclosure-requests": _filing("File a government-information disclosure request (GIO 29)",
                                                      DISCLOSURE),
        "/api/public/v1/petitions": _filing("File a petition (XF 17–18)", PETITION),
        "/api/public/v1/cases/{tracking_number}": {"get": {
            "summary": "The public status of a case: stage, received date, statutory deadlines, letters",
            "parameters": _code_params,
            "responses": {"200": {"description": "Status", "content": {"application/json": {"schema": STATUS}}},
                          **_errors("404", "429")}}},
        "/api/public/v1/cases/{tracking_number}/documents/{document_id}": {"get": {
            "summary": "A letter addressed to the applicant (PDF); the first download is recorded as delivery",
            "parameters": [*_code_params, {"name": "document_id", "in": "path", "required": True,
                                           "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}},
                          **_errors("404", "429")}}},
        "/api/public/v1/receipts/{token}": {"get": {
            "summary": "The receipt issued at filing (the link returned as receipt_document_url)",
            "parameters": [{"name": "token", "in": "path", "required": True, "schema": _text}],
            "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}},
                          **_errors("404", "429")}}},
    },
}
