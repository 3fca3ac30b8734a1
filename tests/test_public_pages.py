"""The public pages (no login, no JavaScript) and the safety of an internet-facing form: CSRF, the signed form
token with a minimum fill time, rate limits answering 429, no hint whether a number exists, PUBLIC_ONLY."""
import io
import re
import time

import pytest

from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Attachment, Case

from .conftest import TEST_CONFIG, IsolatedClient
from .public_helpers import DISCLOSURE, PETITION, file_online
from .test_web import csrf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_tokens(html: str) -> dict:
    return {"csrf_token": csrf(html),
            "form_token": re.search(r'name="form_token" value="([^"]+)"', html).group(1)}


def open_form(client, kind="disclosure"):
    response = client.get(f"/public/apply/{kind}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def submit(client, kind, data, html, files=None):
    payload = {**data, **form_tokens(html)}
    if files:
        payload["attachments"] = files
    return client.post(f"/public/apply/{kind}", data=payload, content_type="multipart/form-data")


def test_the_forms_work_without_javascript_and_tie_every_label_to_its_input(client):
    for path in ("/public/", "/public/apply/disclosure", "/public/apply/petition", "/public/status"):
        html = client.get(path).get_data(as_text=True)
        assert "<script" not in html, path
        inputs = set(re.findall(r'<(?:input|select|textarea) id="([^"]+)"', html))
        labels = set(re.findall(r'<label for="([^"]+)"', html))
        assert inputs <= labels, (path, inputs - labels)
        assert inputs or path == "/public/"
        assert '<html lang="zh-CN">' in html and 'name="viewport"' in html


def test_a_form_sent_back_faster_than_a_person_can_fill_it_is_refused_and_keeps_what_was_typed(client, app):
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 30
    response = submit(client, "disclosure", DISCLOSURE, open_form(client))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "提交过快" in html
    assert "2025年度本市老旧小区改造项目清单" in html and db.session.execute(select(Case.id)).first() is None


def test_a_forged_or_foreign_form_token_is_refused(client, app):
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 0
    html = open_form(client)
    forged = client.post("/public/apply/disclosure", data={**DISCLOSURE, "csrf_token": csrf(html),
                                                           "form_token": "made-up"})
    assert forged.status_code == 422 and "表单来源无法确认" in forged.get_data(as_text=True)
    petition_token = form_tokens(open_form(client, "petition"))["form_token"]
    foreign = client.post("/public/apply/disclosure", data={**DISCLOSURE, "csrf_token": csrf(html),
                                                            "form_token": petition_token})
    assert "表单来源无法确认" in foreign.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(client, app):
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 0
    html = open_form(client)
    response = client.post("/public/apply/disclosure", data={**DISCLOSURE, "form_token": form_tokens(html)["form_token"]})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_filing_in_the_browser_shows_the_receipt_and_the_query_code_once(client, app):
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 1
    html = open_form(client)
    time.sleep(1.1)
    response = submit(client, "disclosure", DISCLOSURE, html, files=[(io.BytesIO(PDF), "身份证明.pdf")])
    assert response.status_code == 302 and response.headers["Location"].endswith("/public/receipt")
    receipt = client.get("/public/receipt").get_data(as_text=True)
    number = re.search(r'id="tracking-number">([^<]+)<', receipt).group(1)
    code = re.search(r'id="query-code">([^<]+)<', receipt).group(1)
    assert number.startswith("YSQ-") and len(code) == 19 and "查询码只显示这一次" in receipt
    again = client.get("/public/receipt").get_data(as_text=True)
    assert code not in again and "回执已显示过" in again
    pdf = re.search(r'href="(/public/receipt/[^"]+)"', receipt).group(1)
    assert client.get(pdf).mimetype == "application/pdf"

    case = db.session.execute(select(Case).where(Case.tracking_number == number)).scalar_one()
    (attachment,) = db.session.execute(select(Attachment).where(Attachment.case_id == case.id)).scalars()
    assert attachment.mime_type == "application/pdf" and attachment.uploaded_by.display_name == "网上申请人"

    page = client.get("/public/status").get_data(as_text=True)
    status = client.post("/public/status", data={"tracking_number": number.lower(), "query_code": code,
                                                 "csrf_token": csrf(page)})
    text = status.get_data(as_text=True)
    assert status.status_code == 200 and "正在审查申请内容是否明确、完整" in text and "答复期限" in text
    assert status.headers["Cache-Control"] == "no-store"


def test_wrong_input_is_shown_beside_each_field_in_plain_chinese_and_an_executable_is_refused(client, app):
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 0
    bad = {**PETITION, "id_number": "110105194912310021", "contact_phone": "电话"}
    response = submit(client, "petition", bad, open_form(client, "petition"),
                      files=[(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100), "材料.pdf")])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="f_id_number"[^>]*aria-describedby="[^"]*err_id_number', html)
    assert 'id="err_id_number">身份证件号码校验位不正确' in html
    assert 'id="err_contact_phone">联系电话应为11位手机号码' in html
    assert "小区旁工地夜间施工噪声扰民" in html  # nothing typed is lost
    fixed = {**PETITION}
    response = submit(client, "petition", fixed, open_form(client, "petition"),
                      files=[(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100), "材料.pdf")])
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="err_attachments">不支持的文件类型' in html
    assert db.session.execute(select(Case.id)).first() is None


def test_two_hundred_lookups_with_wrong_codes_get_404s_then_429s_and_never_a_hint(client):
    filed = file_online(client, "disclosure-requests", DISCLOSURE)
    numbers = [filed["tracking_number"], "YSQ-2026-999999"]
    answers = []
    for i in range(200):
        response = client.get(f"/api/public/v1/cases/{numbers[i % 2]}", query_string={"query_code": f"WRONG{i:04d}"})
        answers.append((response.status_code, response.get_data(as_text=True)))
    statuses = [status for status, _ in answers]
    first_refusal = statuses.index(429)
    assert first_refusal == 30  # PUBLIC_LOOKUP_LIMIT: 30 per minute
    assert set(statuses[:first_refusal]) == {404} and set(statuses[first_refusal:]) == {429}
    # The same body whether the number exists or not, before and after the limit.
    assert len({body for status, body in answers if status == 404}) == 1
    assert len({body for status, body in answers if status == 429}) == 1
    # The budget is per client: the pages share it, so the browser door is closed too.
    token = csrf(client.get("/public/status").get_data(as_text=True))
    page = client.post("/public/status", data={"tracking_number": numbers[0], "query_code": "x", "csrf_token": token})
    assert page.status_code == 429 and "请求过于频繁" in page.get_data(as_text=True)
    other_client = client.get(f"/api/public/v1/cases/{numbers[0]}", query_string={"query_code": filed["query_code"]},
                              environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_client.status_code == 200


def test_filings_beyond_the_limit_are_refused_with_429(client, app):
    app.config["PUBLIC_FILING_LIMIT"] = "3 per hour"
    for _ in range(3):
        file_online(client, "petitions", PETITION)
    refused = client.post("/api/public/v1/disclosure-requests", json=DISCLOSURE)
    assert refused.status_code == 429 and refused.get_json() == {"error": "请求过于频繁，请稍后再试"}


def test_public_only_serves_the_public_side_alone(app):
    public = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "PUBLIC_ONLY": True})
    public.test_client_class = IsolatedClient
    client = public.test_client()
    try:
        assert client.get("/").status_code == 302
        assert client.get("/public/").status_code == 200
        for path in ("/login", "/inbox", "/cases/1", "/admin/calendar", "/modeler"):
            response = client.get(path)
            assert response.status_code == 404 and "公众服务" in response.get_data(as_text=True), path
        assert client.get("/api/v1/openapi.json").status_code == 404
        assert client.get("/api/public/v1/openapi.json").status_code == 200
        assert file_online(client, "petitions", PETITION)["tracking_number"].startswith("XF-")
    finally:
        with public.app_context():
            db.engine.dispose()


REDIS_URL = "redis://127.0.0.1:6379/12"  # database 12 belongs to these tests


def test_with_redis_configured_the_counters_live_in_redis_shared_by_every_process(app):
    redis = pytest.importorskip("redis")
    store = redis.Redis.from_url(REDIS_URL)
    try:
        store.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    store.flushdb()
    served = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "RATELIMIT_STORAGE_URI": REDIS_URL, "PUBLIC_LOOKUP_LIMIT": "5 per minute"})
    served.test_client_class = IsolatedClient
    client = served.test_client()
    try:
        statuses = [client.get("/api/public/v1/cases/YSQ-2026-000001", query_string={"query_code": "x"}).status_code
                    for _ in range(6)]
        assert statuses == [404] * 5 + [429]
        assert any(b"public-lookup" in key for key in store.keys("*"))  # another process would count on from here
        store.flushdb()
        assert client.get("/api/public/v1/cases/YSQ-2026-000001", query_string={"query_code": "x"}).status_code == 404
    finally:
        store.flushdb()
        with served.app_context():
            db.engine.dispose()


def test_the_officer_sees_an_online_filing_on_the_case_page_as_filed_by_the_applicant_online(client):
    from .test_web import login
    filed = file_online(client, "disclosure-requests", DISCLOSURE)
    case = db.session.execute(select(Case).where(Case.tracking_number == filed["tracking_number"])).scalar_one()
    login(client, "officer")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert filed["tracking_number"] in page and "网上申请人" in page and "网上政府信息公开申请回执" in page
