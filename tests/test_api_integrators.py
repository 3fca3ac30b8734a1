"""The API for integrators (issue 14 §6): search cases, comments, release, reassign, suspend/resume/terminate
and rewind — the same service functions, and so the same rules, as the browser."""
import pytest

from app.extensions import db
from app.services import users

from .helpers import Api


@pytest.fixture
def apis(client):
    users.create_user("outsider", "outsider-pass", ["officer"], "DCS")
    db.session.commit()
    return {n: Api(client, n) for n in ("officer", "officer2", "head", "admin", "auditor", "outsider")}


def test_cases_are_searched_with_the_inbox_filters_and_paged(apis):
    officer = apis["officer"]
    for name in ("张三", "李四", "张三丰"):
        officer.register(applicant_name=name)
    page = officer.get("/cases?party=张三&per_page=1&sort=applicant&order=asc")
    assert page.status_code == 200 and page.headers["X-Total-Count"] == "2"
    assert [c["data"]["applicant_name"] for c in page.get_json()] == ["张三"]
    assert 'rel="next"' in page.headers["Link"] and "page=2" in page.headers["Link"]
    second = officer.get("/cases?party=张三&per_page=1&sort=applicant&order=asc&page=2")
    assert [c["data"]["applicant_name"] for c in second.get_json()] == ["张三丰"]
    assert 'rel="prev"' in second.headers["Link"]
    assert officer.get("/cases?q=老旧小区&status=active").headers["X-Total-Count"] == "3"
    assert apis["outsider"].get("/cases").headers["X-Total-Count"] == "0"  # only cases one may read
    bad = officer.get("/cases?status=lost&per_page=1000&date_from=2026-13-01")
    assert bad.status_code == 422 and {"status", "per_page", "date_from"} <= set(bad.get_json()["fields"])


def test_comments_through_the_api(apis):
    officer = apis["officer"]
    case = officer.register()
    made = officer.ok(officer.post(f"/cases/{case['id']}/comments", {"body": "请先核实申请人身份"}), 201)
    fixed = officer.ok(officer.post(f"/cases/{case['id']}/comments",
                                    {"body": "更正：已核实", "corrects_id": made["id"]}), 201)
    listed = officer.ok(officer.get(f"/cases/{case['id']}/comments"))
    assert [c["body"] for c in listed] == ["请先核实申请人身份", "更正：已核实"] and fixed["corrects_id"] == made["id"]
    assert apis["auditor"].post(f"/cases/{case['id']}/comments", {"body": "审计"}).status_code == 403
    assert apis["outsider"].get(f"/cases/{case['id']}/comments").status_code == 404
    assert officer.post(f"/cases/{case['id']}/comments", {"body": "  "}).status_code == 422


def test_release_and_reassign(apis):
    officer, officer2, head = apis["officer"], apis["officer2"], apis["head"]
    case = officer.register()
    task = officer.open_task(case["id"])
    officer.ok(officer.post(f"/tasks/{task['id']}/claim"))
    assert officer.ok(officer.post(f"/tasks/{task['id']}/release"))["assignee"] is None
    officer.ok(officer.post(f"/tasks/{task['id']}/claim"))
    assert officer.post(f"/tasks/{task['id']}/reassign", {"to": "officer2", "reason": "休假"}).status_code == 403
    moved = head.ok(head.post(f"/tasks/{task['id']}/reassign", {"to": "officer2", "reason": "休假"}))
    assert moved["assignee"] == "officer2"
    refused = head.post(f"/tasks/{task['id']}/reassign", {"to": "auditor", "reason": "x"})
    assert refused.status_code == 422 and "to" in refused.get_json()["fields"]
    history = officer2.ok(officer2.get(f"/cases/{case['id']}/history"))
    assert any(e["type"] == "task_reassigned" and "休假" in e["summary"] for e in history)


def test_suspend_resume_terminate_and_rewind_with_reasons(apis):
    officer, admin = apis["officer"], apis["admin"]
    case = officer.register()
    assert officer.post(f"/cases/{case['id']}/suspend", {"reason": "等待上级意见"}).status_code == 403
    assert admin.post(f"/cases/{case['id']}/suspend", {}).status_code == 422  # a reason is required
    assert admin.ok(admin.post(f"/cases/{case['id']}/suspend", {"reason": "等待上级意见"}))["status"] == "suspended"
    assert admin.ok(admin.post(f"/cases/{case['id']}/resume", {"reason": "已有意见"}))["status"] == "active"
    first = officer.open_task(case["id"])
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    rewound = admin.ok(admin.post(f"/cases/{case['id']}/rewind", {"task_id": first["id"], "reason": "登记有误"}))
    assert [t["spec_name"] for t in rewound["tasks"] if t["state"] == "ready"] == ["check_completeness"]
    ended = admin.ok(admin.post(f"/cases/{case['id']}/terminate", {"reason": "申请人撤回"}))
    assert ended["status"] == "terminated"
    types = [e["type"] for e in officer.ok(officer.get(f"/cases/{case['id']}/history"))]
    assert {"case_suspended", "case_resumed", "case_rewound", "case_terminated"} <= set(types)


# -- the access matrix: every new endpoint, every kind of caller -------------------------------------------

NEW_ENDPOINTS = [
    ("GET", "/processes", None), ("GET", "/cases", None), ("GET", "/cases/{case}/comments", None),
    ("POST", "/cases/{case}/comments", {"body": "意见"}),
    ("POST", "/cases/{case}/suspend", {"reason": "理由"}), ("POST", "/cases/{case}/resume", {"reason": "理由"}),
    ("POST", "/cases/{case}/terminate", {"reason": "理由"}),
    ("POST", "/cases/{case}/rewind", {"task_id": "{done}", "reason": "理由"}),
    ("POST", "/tasks/{task}/release", None), ("POST", "/tasks/{task}/reassign", {"to": "officer2", "reason": "理由"}),
]
# Who may do it (others: 403, or 404 when they may not even see the case); None = nobody's business to refuse.
ALLOWED = {
    "/processes": {"officer", "officer2", "head", "admin", "auditor", "outsider"},
    "/cases": {"officer", "officer2", "head", "admin", "auditor", "outsider"},
    "GET /cases/{case}/comments": {"officer", "officer2", "head", "admin", "auditor"},
    "POST /cases/{case}/comments": {"officer", "officer2", "head", "admin"},
    "/cases/{case}/suspend": {"admin"}, "/cases/{case}/resume": set(), "/cases/{case}/terminate": {"admin"},
    "/cases/{case}/rewind": {"admin"}, "/tasks/{task}/release": {"officer"}, "/tasks/{task}/reassign": {"head", "admin"},
}


@pytest.mark.parametrize("method,path,body", NEW_ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in NEW_ENDPOINTS])
def test_access_matrix_of_the_new_endpoints(apis, method, path, body):
    allowed = ALLOWED.get(f"{method} {path}", ALLOWED.get(path))
    for name, api in apis.items():
        officer = apis["officer"]
        case = officer.register()
        done = officer.open_task(case["id"])
        officer.complete(case["id"], "check_completeness", {"needs_correction": False})
        task = officer.open_task(case["id"])
        officer.ok(officer.post(f"/tasks/{task['id']}/claim"))
        fill = lambda text: text.replace("{case}", str(case["id"])).replace("{task}", task["id"]).replace(  # noqa: E731
            "{done}", done["id"])
        url = fill(path)
        payload = {k: fill(v) for k, v in body.items()} if body else None
        response = api.get(url) if method == "GET" else api.post(url, payload)
        if name in allowed:
            assert response.status_code in (200, 201), (name, url, response.get_json())
        elif name == "outsider" and "{case}" in path or (name == "outsider" and "{task}" in path):
            assert response.status_code in (403, 404), (name, url, response.status_code)
        else:
            assert response.status_code in (403, 409), (name, url, response.status_code, response.get_json())
