"""(c) Whole disclosure cases through the HTTP API (Flask test client, bearer tokens).

register -> check_completeness -> handle (draft_reply, disclosed) -> confidentiality_review (cleared) ->
approve_reply (approve: generates the reply letter PDF) -> record_delivery.  The client is lean, as an
integrating system would be: every response carries the case's open tasks and version, so a case is six
POSTs and no GETs.  Each request runs in its own app context, as in production.
"""
from __future__ import annotations

import time

from app.extensions import db
from app.services import users
from tests.helpers import REGISTRATION

PROCESS = "disclosure_request"
STEPS = [
    ("officer", "check_completeness", {"needs_correction": False}),
    ("officer", "handle", {"handling_action": "draft_reply", "reply_type": "disclosed",
                           "reply_text": "所需信息见附件。"}),
    ("reviewer", "confidentiality_review", {"review_result": "cleared"}),
    ("head", "approve_reply", {"approval": "approve"}),
    ("officer", "record_delivery", {"delivered_by": "email", "delivered_on": "2026-03-20"}),
]


def tokens(app) -> dict:
    with app.app_context():
        headers = {name: {"Authorization": f"Bearer {users.create_token(name)}"}
                   for name in ("officer", "reviewer", "head")}
        db.session.commit()
    return headers


def _post(client, path, headers, body, status=200) -> dict:
    response = client.post(f"/api/v1{path}", headers=headers, json=body)
    if response.status_code != status:
        raise AssertionError(f"POST {path}: {response.status_code} {response.get_json()}")
    return response.get_json()


def one_case(client, headers) -> dict:
    case = _post(client, "/cases", headers["officer"], {"process": PROCESS, "data": dict(REGISTRATION)}, 201)
    for username, spec_name, data in STEPS:
        task = next(t for t in case["tasks"] if t["state"] == "ready" and t["spec_name"] == spec_name)
        case = _post(client, f"/tasks/{task['id']}/complete", headers[username],
                     {"data": data, "case_version": case["version"]})
    if case["status"] != "archived" or not any(d["kind"] == "reply" for d in case["documents"]):
        raise AssertionError(f"case {case['tracking_number']} ended {case['status']} without a reply letter")
    return case


def run(app, n_cases: int, warmup: int = 1) -> dict:
    """{"cases": n, "seconds": total wall time, "per_case": [seconds]}."""
    client = app.test_client()
    headers = tokens(app)
    for _ in range(warmup):
        one_case(client, headers)
    per_case = []
    started = time.perf_counter()
    for _ in range(n_cases):
        t0 = time.perf_counter()
        one_case(client, headers)
        per_case.append(time.perf_counter() - t0)
    return {"cases": n_cases, "seconds": time.perf_counter() - started, "per_case": per_case}
