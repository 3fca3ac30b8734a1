"""The API's published contract: OpenAPI document and JSON errors."""
from .helpers import Api

STABLE_PATHS = {"/cases", "/cases/{id}", "/cases/{id}/history", "/tasks", "/tasks/{id}", "/tasks/{id}/claim",
                "/tasks/{id}/complete", "/documents/{id}", "/cases/{id}/attachments", "/attachments/{id}",
                "/statistics", "/cases/{id}/leaders", "/led-cases", "/processes", "/tasks/{id}/preview",
                "/reports/annual/{year}", "/reports/annual/{year}/cases", "/reports/annual/{year}/freeze",
                "/reports/annual/{year}/texts", "/cases/{id}/remedies", "/remedies/{id}",
                "/cases/{id}/comments", "/cases/{id}/suspend", "/cases/{id}/resume", "/cases/{id}/terminate",
                "/cases/{id}/rewind", "/tasks/{id}/release", "/tasks/{id}/reassign", "/reports/information-scores"}


def test_openapi_document_lists_the_stable_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == STABLE_PATHS
    complete = spec["paths"]["/tasks/{id}/complete"]["post"]
    assert {"409", "422"} <= set(complete["responses"])


def test_errors_are_json_with_a_message(client):
    api = Api(client, "officer")
    missing = api.get("/cases/999999")
    assert missing.status_code == 404 and missing.get_json() == {"error": "案件不存在"}
    unknown_route = api.get("/nothing-here")
    assert unknown_route.status_code == 404 and "error" in unknown_route.get_json()
    bad_body = api.post("/cases", json=None)
    assert bad_body.status_code == 422 and "JSON" in bad_body.get_json()["error"]
    unknown_process = api.post("/cases", {"process": "no_such_process", "data": {}})
    assert unknown_process.status_code == 404 and "尚未部署" in unknown_process.get_json()["error"]


def test_invalid_registration_names_every_bad_field(client):
    api = Api(client, "officer")
    response = api.post("/cases", {"process": "disclosure_request",
                                   "data": {"applicant_name": "张三", "channel": "pigeon"}})
    body = response.get_json()
    assert response.status_code == 422
    assert {"channel", "applicant_type", "received_on", "description"} <= set(body["fields"])


def test_completing_without_case_version_is_refused(client):
    api = Api(client, "officer")
    case = api.register()
    task = api.open_task(case["id"])
    response = api.post(f"/tasks/{task['id']}/complete", {"data": {"needs_correction": False}})
    assert response.status_code == 422 and "case_version" in response.get_json()["fields"]


def test_task_detail_carries_its_form_schema_and_the_case_version(client):
    api = Api(client, "officer")
    case = api.register()
    task = api.ok(api.get(f"/tasks/{api.open_task(case['id'])['id']}"))
    assert task["form"]["properties"]["needs_correction"]["type"] == "boolean"
    assert task["case_version"] == case["version"] and task["lane"] == "登记"
