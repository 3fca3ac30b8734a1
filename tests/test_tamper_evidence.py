"""Tamper evidence an auditor can rely on (issue 14 §2).  Someone with write access to the database — but not
to the history key, which lives outside it — edits, deletes, swaps or re-chains history rows, replaces a
letter's or an attachment's bytes, or edits the current case data: every one of the seven is detected, on the
case's own verification and by ``verify-history``, and a replaced file is never served."""
import hashlib
import io
import json

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models import Case
from app.services import history, integrity

from .helpers import Api, office_today
from .test_web import csrf, login

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def officer(client):
    return Api(client, "officer")


@pytest.fixture
def case(officer):
    """A request with a correction notice (a letter) and an uploaded attachment."""
    case = officer.register(received_on=office_today())  # a correction only within the reply period
    officer.complete(case["id"], "check_completeness", {
        "needs_correction": True, "correction_items": "请明确所需信息的年份。", "correction_deadline": "2030-12-31"})
    response = officer.client.post(f"/api/v1/cases/{case['id']}/attachments", headers=officer.headers,
                                   data={"file": (io.BytesIO(PDF), "证明材料.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return officer.case(case["id"])


def problems(case_id):
    report = integrity.check_case(db.session.get(Case, case_id))
    return [(p.seq, p.message) for p in report.problems]


def sql(statement, **params):
    db.session.execute(text(statement), params)
    db.session.commit()


def test_an_untouched_case_verifies_with_counts(case):
    report = integrity.check_case(db.session.get(Case, case["id"]))
    assert report.ok, report.problems
    assert report.events >= 5 and report.documents == 2 and report.attachments == 1 and report.data_sealed  # the 回执 and the 补正告知书


def test_1_edited_row(case):
    sql("UPDATE case_event SET summary = '篡改' WHERE case_id = :c AND seq = 2", c=case["id"])
    assert problems(case["id"]) == [(2, "记录内容与哈希不符（被修改）")]


def test_2_deleted_middle_row_is_that_one_row(case):
    sql("DELETE FROM case_event WHERE case_id = :c AND seq = 3", c=case["id"])
    assert problems(case["id"]) == [(3, "缺少第 3 条记录（被删除）")]


def test_3_swapped_rows(case):
    c = case["id"]
    sql("UPDATE case_event SET seq = -1 WHERE case_id = :c AND seq = 2", c=c)
    sql("UPDATE case_event SET seq = 2 WHERE case_id = :c AND seq = 3", c=c)
    sql("UPDATE case_event SET seq = 3 WHERE case_id = :c AND seq = -1", c=c)
    found = problems(c)
    assert {seq for seq, _ in found} >= {2, 3}


def test_4_edit_re_chained_with_the_public_algorithm(case):
    """The attacker edits row 2 and recomputes every hash and the case's head the way the code computes them
    — but without the key."""
    c = case["id"]
    sql("UPDATE case_event SET summary = '篡改' WHERE case_id = :c AND seq = 2", c=c)
    prev = history.GENESIS
    for event in history.events(c):
        event.prev_hash = prev
        event.hash = prev = hashlib.sha256(history._event_body(event)).hexdigest()
        db.session.execute(text("UPDATE case_event SET prev_hash = :p, hash = :h WHERE id = :i"),
                           {"p": event.prev_hash, "h": event.hash, "i": event.id})
    db.session.execute(text("UPDATE case_file SET history_head = :h WHERE id = :c"), {"h": prev, "c": c})
    db.session.commit()
    found = problems(c)
    assert (2, "哈希不是用密钥计算的（记录被改写后按公开算法重新计算）") in found
    assert len([p for p in found if p[0] > 0]) == len(history.events(c))  # every re-chained row is named


def test_5_replaced_pdf_is_detected_and_never_served(case, officer):
    document = case["documents"][0]
    forged = b"%PDF-1.4 forged letter"
    digest = hashlib.sha256(forged).hexdigest()
    # Both the bytes and the document row's own hash are replaced: only the chain still knows the original.
    db.session.execute(text("UPDATE document SET content = :b, sha256 = :h WHERE id = :i"),
                       {"b": forged, "h": digest, "i": document["id"]})
    db.session.commit()
    assert any("文书" in m and "文件被替换" in m for _, m in problems(case["id"]))
    response = officer.get(f"/documents/{document['id']}")
    assert response.status_code == 409 and "疑似被篡改" in response.get_json()["error"]


def test_6_replaced_attachment_is_detected_and_never_served(case, officer):
    attachment = officer.ok(officer.get(f"/cases/{case['id']}/attachments"))[0]
    db.session.execute(text("UPDATE attachment SET content = :b WHERE id = :i"), {"b": PNG, "i": attachment["id"]})
    db.session.commit()
    assert any("附件" in m and "文件被替换" in m for _, m in problems(case["id"]))
    assert officer.get(f"/attachments/{attachment['id']}").status_code == 409


def test_7_edited_case_data(case):
    c = case["id"]
    data = dict(case["data"], applicant_name="李四")
    value = "CAST(:d AS JSONB)" if db.engine.dialect.name == "postgresql" else ":d"
    db.session.execute(text(f"UPDATE case_file SET data = {value} WHERE id = :c"), {"d": json.dumps(data), "c": c})
    db.session.commit()
    assert problems(c) == [(0, "案件当前数据与办理记录的密钥封印不符（数据被直接修改）")]


def test_the_auditor_verifies_one_case_from_its_page_and_the_audit_page_shows_when(app, client, case):
    auditor = login(client, "auditor")
    page = auditor.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "尚未单独校验" in page
    report = auditor.post(f"/audit/cases/{case['id']}/verify", data={"csrf_token": csrf(page)})
    body = report.get_data(as_text=True)
    assert report.status_code == 200 and "完整" in body and "文书" in body and "1 件" in body
    assert "最近校验" in auditor.get(f"/cases/{case['id']}").get_data(as_text=True)
    sql("UPDATE case_event SET summary = '篡改' WHERE case_id = :c AND seq = 2", c=case["id"])
    audit = auditor.get("/audit/").get_data(as_text=True)
    assert "记录内容与哈希不符" in audit and case["tracking_number"] in audit and "1 处问题" in audit
    officer = login(app.test_client(), "officer")
    page = officer.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "校验办理记录" not in page
    assert officer.post(f"/audit/cases/{case['id']}/verify", data={"csrf_token": csrf(page)}).status_code == 403
