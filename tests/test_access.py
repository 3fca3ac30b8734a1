"""Who may see and do what — enforced by the services, seen through the API."""
import pytest

from app.extensions import db
from app.services import users

from .helpers import Api, office_today


@pytest.fixture
def apis(client):
    users.create_user("outsider", "outsider-pass", ["officer"], "DCS", display_name="督查室干部")
    db.session.commit()
    return {name: Api(client, name) for name in
            ("officer", "officer2", "reviewer", "head", "auditor", "supervisor", "outsider")}


@pytest.fixture
def case(apis):
    return apis["officer"].register()


def test_auditor_reads_every_case_but_changes_nothing(apis, case):
    auditor = apis["auditor"]
    assert auditor.get(f"/cases/{case['id']}").status_code == 200
    assert auditor.get(f"/cases/{case['id']}/history").status_code == 200
    task = apis["officer"].open_task(case["id"])
    assert auditor.post(f"/tasks/{task['id']}/claim").status_code == 403
    response = auditor.post(f"/tasks/{task['id']}/complete", {"data": {"needs_correction": False},
                                                             "case_version": case["version"]})
    assert response.status_code == 403
    assert auditor.post("/cases", {"process": "disclosure_request", "data": {}}).status_code == 403


def test_officer_of_another_department_sees_nothing_of_the_case(apis, case):
    outsider = apis["outsider"]
    assert outsider.get(f"/cases/{case['id']}").status_code == 404  # same as a missing id (issue 14 §5)
    assert outsider.get(f"/cases/{case['id']}/history").status_code == 404  # same as a missing id (issue 14 §5)
    task = apis["officer"].open_task(case["id"])
    assert outsider.get(f"/tasks/{task['id']}").status_code == 404  # same as a missing id (issue 14 §5)
    assert outsider.ok(outsider.get("/tasks?scope=claimable")) == []


def test_confidentiality_reviewer_works_only_the_review_step(apis, case):
    officer, reviewer = apis["officer"], apis["reviewer"]
    handle_task = officer.open_task(case["id"])
    assert reviewer.post(f"/tasks/{handle_task['id']}/claim").status_code == 403
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"})
    # The reviewer's department is not the case's, yet the review task admits them.
    claimable = reviewer.ok(reviewer.get("/tasks?scope=claimable"))
    assert [t["spec_name"] for t in claimable] == ["confidentiality_review"]
    assert reviewer.get(f"/cases/{case['id']}").status_code == 200
    reviewer.complete(case["id"], "confidentiality_review", {"review_result": "cleared"})


def test_head_cannot_do_the_handlers_work(apis, case):
    task = apis["officer"].open_task(case["id"])
    response = apis["head"].post(f"/tasks/{task['id']}/complete",
                                 {"data": {"needs_correction": False}, "case_version": case["version"]})
    assert response.status_code == 403
    assert "不能办理" in response.get_json()["error"]


def test_claimed_task_leaves_the_others_claimable_list_and_they_cannot_complete_it(apis, case):
    officer, officer2 = apis["officer"], apis["officer2"]
    task = officer.open_task(case["id"])
    assert task["id"] in [t["id"] for t in officer2.ok(officer2.get("/tasks?scope=claimable"))]
    officer.ok(officer.post(f"/tasks/{task['id']}/claim"))
    assert [t["id"] for t in officer.ok(officer.get("/tasks?scope=mine"))] == [task["id"]]
    assert task["id"] not in [t["id"] for t in officer2.ok(officer2.get("/tasks?scope=claimable"))]
    version = officer.case(case["id"])["version"]
    response = officer2.post(f"/tasks/{task['id']}/complete", {"data": {"needs_correction": False},
                                                              "case_version": version})
    assert response.status_code == 409 and "认领" in response.get_json()["error"]


def test_documents_are_readable_only_by_those_who_may_see_the_case(apis):
    officer = apis["officer"]
    case = officer.register(received_on=office_today())
    officer.complete(case["id"], "check_completeness", {
        "needs_correction": True, "correction_items": "请补充", "correction_deadline": "2030-12-31"})
    doc = officer.case(case["id"])["documents"][0]
    assert officer.get(f"/documents/{doc['id']}").status_code == 200
    assert apis["auditor"].get(f"/documents/{doc['id']}").status_code == 200
    assert apis["outsider"].get(f"/documents/{doc['id']}").status_code == 404  # same as a missing id (issue 14 §5)


def test_api_refuses_missing_or_unknown_tokens(client):
    assert client.get("/api/v1/tasks").status_code == 401
    response = client.get("/api/v1/tasks", headers={"Authorization": "Bearer bj_not-a-token"})
    assert response.status_code == 401 and "error" in response.get_json()


def test_session_writes_to_the_api_need_the_csrf_header(client):
    page = client.get("/login")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"username": "officer", "password": "banjian-demo", "csrf_token": token})
    assert client.get("/api/v1/tasks").status_code == 200  # reads are fine with the cookie
    body = {"process": "disclosure_request", "data": {}}
    assert client.post("/api/v1/cases", json=body).status_code == 403
    response = client.post("/api/v1/cases", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 422  # past CSRF; now the registration data is checked


def test_html_forms_without_csrf_token_are_refused(client):
    response = client.post("/login", data={"username": "officer", "password": "banjian-demo"})
    assert response.status_code == 400
