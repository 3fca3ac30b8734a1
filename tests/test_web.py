"""The server-rendered UI through real HTTP (Flask test client), CSRF on."""
import re

from .helpers import REGISTRATION


def csrf(page_html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page_html).group(1)


def login(client, username):
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": "banjian-demo", "csrf_token": token})
    assert response.status_code == 302
    return client


def register_via_form(client) -> str:
    page = client.get("/cases/new/disclosure_request").get_data(as_text=True)
    response = client.post("/cases/new/disclosure_request", data={**REGISTRATION, "csrf_token": csrf(page)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_wrong_password_is_refused_with_a_message(client):
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "officer", "password": "nope", "csrf_token": token})
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still not logged in


def test_login_does_not_redirect_off_site(client):
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=https://evil.example/", data={
        "username": "officer", "password": "banjian-demo", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_officer_registers_a_request_and_completes_the_first_task_in_the_browser_forms(client):
    login(client, "officer")
    case_url = register_via_form(client)
    case_page = client.get(case_url).get_data(as_text=True)
    assert "YSQ-" in case_page and "审查申请是否完整" in case_page and "张三" in case_page
    inbox = client.get("/").get_data(as_text=True)
    task_url = re.search(r'href="(/tasks/[0-9a-f-]+)">审查申请是否完整', inbox).group(1)
    form = client.get(task_url).get_data(as_text=True)
    assert "内容明确，直接办理" in form
    assert "2025年度本市老旧小区改造项目清单" in form  # the case data the task needs is beside the form
    version = re.search(r'name="case_version" value="(\d+)"', form).group(1)
    response = client.post(task_url, data={"csrf_token": csrf(form), "case_version": version,
                                           "needs_correction": "false"})
    assert response.status_code == 302
    assert "检索并拟办答复" in client.get(case_url).get_data(as_text=True)


def test_missing_field_is_marked_and_entered_values_are_kept(client):
    login(client, "officer")
    page = client.get("/cases/new/disclosure_request").get_data(as_text=True)
    data = {**REGISTRATION, "description": "", "applicant_name": "李四", "csrf_token": csrf(page)}
    response = client.post("/cases/new/disclosure_request", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请填写“所需政府信息的名称、文号或描述”" in body
    assert 'value="李四"' in body


def test_a_stale_form_says_someone_else_changed_the_case(client, app):
    login(client, "officer")
    case_url = register_via_form(client)
    task_url = re.search(r'href="(/tasks/[0-9a-f-]+)"', client.get(case_url).get_data(as_text=True)).group(1)
    form = client.get(task_url).get_data(as_text=True)
    token, version = csrf(form), re.search(r'name="case_version" value="(\d+)"', form).group(1)
    # The registrar's first task is claimed for them on registration: the case changes under this form from
    # their own second browser tab.
    other = login(app.test_client(), "officer")
    other_form = other.get(task_url).get_data(as_text=True)
    other.post(task_url, data={"csrf_token": csrf(other_form), "case_version": version, "needs_correction": "false"})
    response = client.post(task_url, data={"csrf_token": token, "case_version": version, "needs_correction": "true",
                                           "correction_items": "x", "correction_deadline": "2030-12-31"},
                           follow_redirects=True)
    assert "已被他人修改" in response.get_data(as_text=True)


def test_auditor_sees_the_task_but_no_form(client, app):
    officer = login(app.test_client(), "officer")
    case_url = register_via_form(officer)
    task_url = re.search(r'href="(/tasks/[0-9a-f-]+)"', officer.get(case_url).get_data(as_text=True)).group(1)
    login(client, "auditor")
    page = client.get(task_url).get_data(as_text=True)
    assert "不能办理" in page and 'name="case_version"' not in page
    assert client.get(case_url).status_code == 200


def test_user_text_is_escaped_in_pages(client):
    login(client, "officer")
    page = client.get("/cases/new/disclosure_request").get_data(as_text=True)
    data = {**REGISTRATION, "applicant_name": "<script>alert(1)</script>", "csrf_token": csrf(page)}
    case_url = client.post("/cases/new/disclosure_request", data=data).headers["Location"]
    body = client.get(case_url).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
