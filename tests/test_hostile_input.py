"""Hostile input never gives a 500 (issue 14 §3): on SQLite and PostgreSQL, every refusal is JSON on /api and a
Chinese page elsewhere, naming what was wrong."""
import json

import pytest

from .helpers import REGISTRATION, Api
from .test_supervision import ITEM
from .test_web import csrf, login

HUGE = "99999999999999999999999"


@pytest.fixture
def officer(client):
    return Api(client, "officer")


def refused_json(response, status=None):
    assert response.status_code < 500, response.get_data(as_text=True)
    if status:
        assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert isinstance(body, dict) and body["error"]
    return body


@pytest.mark.parametrize("path", [f"/cases/{HUGE}", f"/cases/{HUGE}/history", f"/documents/{HUGE}",
                                  f"/attachments/{HUGE}", f"/cases/{HUGE}/attachments", f"/tasks/{HUGE}",
                                  "/cases/²", f"/cases/{2**31}"])
def test_ids_beyond_the_database_range_are_simply_not_found(officer, path):
    refused_json(officer.get(path), 404)


@pytest.mark.parametrize("value", [HUGE, "²", "-1", "1e9"])
def test_a_saved_filter_id_that_cannot_exist_is_a_422(officer, value):
    body = refused_json(officer.get(f"/tasks?filter={value}"), 422)
    assert "filter" in body["fields"]


def test_huge_ids_in_browser_urls_answer_a_chinese_page(client):
    login(client, "officer")
    for path in (f"/cases/{HUGE}", f"/documents/{HUGE}", f"/inbox/filters/{HUGE}", f"/tasks/{HUGE}"):
        response = client.get(path)
        assert response.status_code == 404 and "不存在" in response.get_data(as_text=True), path


def test_page_numbers_in_any_script_are_refused_by_name(officer):
    body = refused_json(officer.get("/tasks?page=²&per_page=" + HUGE), 422)
    assert {"page", "per_page"} <= set(body["fields"])


def test_json_nested_a_thousand_deep_is_refused(officer):
    deep = "[" * 1000 + "]" * 1000
    body = refused_json(officer.client.post("/api/v1/cases", headers={**officer.headers, "Content-Type":
                                                                     "application/json"},
                                            data=f'{{"process": "disclosure_request", "data": {{"x": {deep}}}}}'),
                        422)
    assert "嵌套" in body["error"]


def test_a_claim_body_that_is_not_an_object_is_refused(officer):
    case = officer.register()
    task = officer.open_task(case["id"])
    refused_json(officer.post(f"/tasks/{task['id']}/claim", [1]), 422)
    refused_json(officer.post(f"/tasks/{task['id']}/claim", {"case_version": "x"}), 422)
    officer.ok(officer.post(f"/tasks/{task['id']}/claim"))  # no body at all is fine


def _raw_post(api, path, text):
    return api.client.post(f"/api/v1{path}", headers={**api.headers, "Content-Type": "application/json"},
                           data=text.encode("utf-8"))


def test_a_lone_surrogate_in_case_data_is_refused(officer):
    registration = json.dumps({"process": "disclosure_request", "data": REGISTRATION}, ensure_ascii=True)
    hostile = registration.replace('"\\u5f20\\u4e09"', '"\\ud800"')  # 张三 -> a lone surrogate
    assert hostile != registration
    body = refused_json(_raw_post(officer, "/cases", hostile), 422)
    assert "applicant_name" in body["fields"]


def test_nul_is_refused_in_case_and_task_data(officer):
    body = refused_json(officer.post("/cases", {"process": "disclosure_request",
                                                "data": {**REGISTRATION, "description": "清单\x00"}}), 422)
    assert "description" in body["fields"]
    case = officer.register()
    task = officer.open_task(case["id"])
    body = refused_json(officer.post(f"/tasks/{task['id']}/complete", {
        "data": {"needs_correction": False, "correction_items": "a\x00"}, "case_version": case["version"]}), 422)
    assert "correction_items" in body["fields"]


def test_nul_is_refused_in_searches_paths_and_headers_of_the_api(officer):
    refused_json(officer.get("/tasks?q=%E8%80%81%00"), 422)
    refused_json(officer.get("/tasks?party=%00"), 422)
    refused_json(officer.get("/tasks/abc%00def"), 422)


def test_nul_in_browser_forms_gets_a_chinese_page(app, client):
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "officer\x00", "password": "banjian-demo",
                                           "csrf_token": token})
    assert response.status_code == 400 and "不允许的控制字符" in response.get_data(as_text=True)
    login(client, "officer")
    for path in ("/?q=%00", "/cases?q=a%00"):
        response = client.get(path)
        assert response.status_code == 400 and "NUL" in response.get_data(as_text=True), path
    case = Api(app.test_client(), "officer").register()
    page = client.get(f"/cases/{case['id']}").get_data(as_text=True)
    response = client.post(f"/cases/{case['id']}/comments", data={"csrf_token": csrf(page), "body": "意见\x00"})
    assert response.status_code == 400 and "body" in response.get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    response = client.post("/filters", data={"csrf_token": csrf(page), "name": "我的\x00筛选", "scope": "inbox"})
    assert response.status_code == 400


def test_an_optional_form_field_left_out_takes_its_default(client):
    # co_departments is optional on supervision: leaving it out used to crash the engine (NameError).
    registrar = Api(client, "dcofficer")
    item = {k: v for k, v in ITEM.items() if k != "co_departments"}
    case = registrar.ok(registrar.post("/cases", {"process": "supervision", "data": item}), 201)
    assert case["data"]["co_departments"] == []
    reports = [t for t in case["tasks"] if t["state"] == "ready"]
    assert len(reports) == 1  # the lead department alone


def test_errors_are_chinese_and_405_names_the_allowed_methods(client, officer):
    response = officer.client.delete("/api/v1/cases/1", headers=officer.headers)
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert response.get_json() == {"error": "不支持该请求方法"}
    login(client, "officer")
    page = client.put("/cases")
    assert page.status_code == 405 and "GET" in page.headers["Allow"] and "不支持" in page.get_data(as_text=True)
