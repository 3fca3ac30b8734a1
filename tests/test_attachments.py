"""Attachments: scanned applications, evidence, the information given to the applicant.

Kept beside the case (never in the engine state), checked by content (not by
name) and size, with their SHA-256 and uploader, listed in the history; an
upload that is refused, or fails, leaves nothing behind.
"""
import hashlib
import io
import re
import struct
import zipfile
import zlib

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.letters.render import html_to_pdf
from app.models import Attachment, Case, CaseEvent, Incident, User
from app.services import attachments, engine_runner, users
from app.services.errors import EngineFailure, Invalid

from .helpers import Api
from .test_web import csrf, login, register_via_form

# -- files made here, byte by byte ------------------------------------------------


def png_bytes(width=2, height=2) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def scanned_application_pdf() -> bytes:
    return html_to_pdf("<p>政府信息公开申请表（扫描件）</p><p>申请人：张三</p>")


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def office_zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def content_types(main: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/x.xml" ContentType="application/{main}"/></Types>')


DOCX = office_zip({"[Content_Types].xml": content_types(
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"), "word/document.xml": "<w/>"})
XLSX = office_zip({"[Content_Types].xml": content_types(
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"), "xl/workbook.xml": "<x/>"})
DOCM = office_zip({"[Content_Types].xml": content_types(
    "vnd.ms-word.document.macroEnabled.main+xml"), "word/document.xml": "<w/>"})
OFD = office_zip({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<d/>"})
PLAIN_ZIP = office_zip({"readme.txt": "hello"})


# -- the office ------------------------------------------------------------------

@pytest.fixture
def office(client):
    users.create_user("outsider", "outsider-pass", ["officer"], "DCS", display_name="督查室干部")
    db.session.commit()
    return {name: Api(client, name) for name in ("officer", "officer2", "head", "auditor", "outsider", "reviewer")}


@pytest.fixture
def case(office):
    return office["officer"].register()


def send(api, case_id, content: bytes, filename: str):
    return api.client.post(f"/api/v1/cases/{case_id}/attachments", headers=api.headers,
                           data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


def snapshot(case_id):
    """What an upload would change: rows, history, the case version."""
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Attachment)),
            db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)),
            db.session.get(Case, case_id).version)


def user(username) -> User:
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


# -- the rules ---------------------------------------------------------------------

def test_a_scanned_pdf_and_a_png_are_kept_and_come_back_byte_for_byte(office, case):
    officer = office["officer"]
    pdf, png = scanned_application_pdf(), png_bytes()
    stored_pdf = officer.ok(send(officer, case["id"], pdf, "申请表扫描件.pdf"), 201)
    stored_png = officer.ok(send(officer, case["id"], png, "现场照片.png"), 201)
    assert stored_pdf["mime_type"] == "application/pdf" and stored_png["mime_type"] == "image/png"
    assert stored_pdf["filename"] == "申请表扫描件.pdf" and stored_pdf["uploaded_by"] == "officer"
    assert stored_pdf["sha256"] == hashlib.sha256(pdf).hexdigest() and stored_pdf["size"] == len(pdf)

    for stored, original in ((stored_pdf, pdf), (stored_png, png)):
        download = officer.get(f"/attachments/{stored['id']}")
        assert download.status_code == 200 and download.data == original
        assert hashlib.sha256(download.data).hexdigest() == stored["sha256"]
        assert download.headers["Content-Type"].startswith(stored["mime_type"])
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert download.headers["X-Content-Type-Options"] == "nosniff"

    listed = officer.ok(officer.get(f"/cases/{case['id']}/attachments"))
    assert [a["id"] for a in listed] == [stored_pdf["id"], stored_png["id"]]
    events = [e for e in officer.ok(officer.get(f"/cases/{case['id']}/history")) if e["type"] == "attachment_added"]
    assert [e["payload"]["filename"] for e in events] == ["申请表扫描件.pdf", "现场照片.png"]
    assert events[0]["payload"]["sha256"] == stored_pdf["sha256"] and events[0]["payload"]["size"] == len(pdf)
    assert officer.case(case["id"])["version"] == case["version"] + 2


@pytest.mark.parametrize("content, kind", [(ELF, "ELF"), (EXE, "EXE"), (PLAIN_ZIP, "ZIP"), (DOCM, "宏"),
                                           (b"<html><script>alert(1)</script></html>", "网页"),
                                           ("申请书".encode("gbk"), "二进制")])
def test_a_file_of_another_type_disguised_by_its_name_is_refused_and_changes_nothing(office, case, content, kind):
    before = snapshot(case["id"])
    response = send(office["officer"], case["id"], content, "scan.pdf")
    assert response.status_code == 422
    message = response.get_json()["error"]
    assert "不支持的文件类型" in message and kind in message and "scan.pdf" in message
    assert snapshot(case["id"]) == before


def test_a_file_over_the_limit_is_refused_and_changes_nothing(app, office, case):
    app.config["MAX_ATTACHMENT_BYTES"] = 1000
    before = snapshot(case["id"])
    response = send(office["officer"], case["id"], b"x" * 1001, "长文本.txt")
    assert response.status_code == 422 and "过大" in response.get_json()["error"]
    assert snapshot(case["id"]) == before
    assert send(office["officer"], case["id"], b"x" * 1000, "刚好.txt").status_code == 201


def test_an_empty_file_is_refused(office, case):
    before = snapshot(case["id"])
    assert send(office["officer"], case["id"], b"", "空.pdf").status_code == 422
    assert snapshot(case["id"]) == before


def test_a_request_over_the_servers_limit_is_refused_before_it_is_read(app, office, case):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    before = snapshot(case["id"])
    response = send(office["officer"], case["id"], b"x" * 5000, "big.txt")
    assert response.status_code == 413 and "过大" in response.get_json()["error"]
    assert snapshot(case["id"]) == before


def test_a_database_failure_while_storing_leaves_nothing_half_written(app, office, case, monkeypatch):
    officer = user("officer")
    before = snapshot(case["id"])

    def broken_commit():
        db.session.flush()  # the row and the event were written in the transaction ...
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))  # ... which then fails
    monkeypatch.setattr(attachments, "_commit", broken_commit)
    with pytest.raises(OperationalError):
        attachments.upload(officer, case["id"], "证据.pdf", scanned_application_pdf())
    assert snapshot(case["id"]) == before

    monkeypatch.undo()

    def broken_history(*_args, **_kwargs):
        raise RuntimeError("history unavailable")
    monkeypatch.setattr(attachments.history, "record", broken_history)
    with pytest.raises(RuntimeError):
        attachments.upload(officer, case["id"], "证据.pdf", scanned_application_pdf())
    assert snapshot(case["id"]) == before


def test_auditor_cannot_upload_but_can_download(office, case):
    stored = office["officer"].ok(send(office["officer"], case["id"], png_bytes(), "照片.png"), 201)
    before = snapshot(case["id"])
    refused = send(office["auditor"], case["id"], png_bytes(), "照片.png")
    assert refused.status_code == 403 and "审计" in refused.get_json()["error"]
    assert snapshot(case["id"]) == before
    assert office["auditor"].get(f"/attachments/{stored['id']}").data == png_bytes()
    assert len(office["auditor"].ok(office["auditor"].get(f"/cases/{case['id']}/attachments"))) == 1


def test_an_officer_of_another_department_can_neither_download_nor_list_nor_upload(office, case):
    stored = office["officer"].ok(send(office["officer"], case["id"], png_bytes(), "照片.png"), 201)
    outsider = office["outsider"]
    assert outsider.get(f"/attachments/{stored['id']}").status_code == 404  # same as a missing id (issue 14 §5)
    assert outsider.get(f"/cases/{case['id']}/attachments").status_code == 404  # same as a missing id (issue 14 §5)
    assert send(outsider, case["id"], png_bytes(), "照片.png").status_code == 404  # same as a missing id (issue 14 §5)
    assert office["officer2"].get(f"/attachments/{stored['id']}").status_code == 200  # same department
    assert office["head"].ok(send(office["head"], case["id"], png_bytes(), "批示.png"), 201)


def test_file_names_keep_chinese_but_lose_folders_and_control_characters(office, case):
    officer = office["officer"]
    stored = officer.ok(send(officer, case["id"], scanned_application_pdf(), "../../etc/申请书.pdf"), 201)
    assert stored["filename"] == "申请书.pdf"
    assert attachments.sanitize_filename("..\\..\\Windows\\证据\x00\u202egpj.pdf") == "证据gpj.pdf"
    assert attachments.sanitize_filename("../..") == "附件"
    assert attachments.sanitize_filename('a<b>:"c".txt') == "a_b___c_.txt"
    download = officer.get(f"/attachments/{stored['id']}")
    assert "/" not in download.headers["Content-Disposition"].replace("filename*=UTF-8''", "")


def test_the_stored_name_never_claims_another_type_than_the_content(office, case):
    stored = office["officer"].ok(send(office["officer"], case["id"], png_bytes(), "scan.pdf"), 201)
    assert stored["mime_type"] == "image/png" and stored["filename"] == "scan.pdf.png"


@pytest.mark.parametrize("content, mime", [
    (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (OFD, "application/ofd"),
    (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    ("申请人补正说明：所需信息为2025年度清单。\n".encode("utf-8"), "text/plain; charset=utf-8"),
])
def test_the_accepted_types_are_recognised_by_their_content(content, mime):
    assert attachments.detect_type(content)[0] == mime


# -- in the browser ------------------------------------------------------------------

def test_the_case_page_lists_attachments_and_offers_the_upload_form_to_officers_only(client, app):
    login(client, "officer")
    case_url = register_via_form(client)
    page = client.get(case_url).get_data(as_text=True)
    assert "暂无附件" in page and 'enctype="multipart/form-data"' in page
    case_id = int(case_url.rsplit("/", 1)[1])
    response = client.post(f"/cases/{case_id}/attachments", data={
        "csrf_token": csrf(page), "file": (io.BytesIO(scanned_application_pdf()), "申请表.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].startswith(case_url)
    page = client.get(case_url).get_data(as_text=True)
    assert "已上传附件：申请表.pdf" in page and "申请表.pdf" in page and "王登记" in page
    assert "上传附件" in page  # in the history too
    link = re.search(r'href="(/attachments/\d+)"', page).group(1)
    assert client.get(link).data.startswith(b"%PDF-")

    refused = client.post(f"/cases/{case_id}/attachments", data={
        "csrf_token": csrf(page), "file": (io.BytesIO(ELF), "scan.pdf")}, content_type="multipart/form-data",
        follow_redirects=True)
    assert "不支持的文件类型" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1

    no_token = client.post(f"/cases/{case_id}/attachments", data={"file": (io.BytesIO(png_bytes()), "p.png")},
                           content_type="multipart/form-data")
    assert no_token.status_code == 400

    auditor = login(app.test_client(), "auditor")
    auditor_page = auditor.get(case_url).get_data(as_text=True)
    assert "申请表.pdf" in auditor_page and 'name="file"' not in auditor_page
    assert auditor.get(link).status_code == 200


def _handle_task_form(client):
    """Log in, register, pass the completeness check; return the case url, the handle task url and its form."""
    login(client, "officer")
    case_url = register_via_form(client)
    check_url = re.search(r'href="(/tasks/[0-9a-f-]+)"', client.get(case_url).get_data(as_text=True)).group(1)
    form = client.get(check_url).get_data(as_text=True)
    version = re.search(r'name="case_version" value="(\d+)"', form).group(1)
    assert client.post(check_url, data={"csrf_token": csrf(form), "case_version": version,
                                        "needs_correction": "false"}).status_code == 302
    handle_url = re.search(r'href="(/tasks/[0-9a-f-]+)">检索并拟办答复',
                           client.get(case_url).get_data(as_text=True)).group(1)
    return case_url, handle_url, client.get(handle_url).get_data(as_text=True)


def _form_post(form, **fields):
    return {"csrf_token": csrf(form), "case_version": re.search(r'name="case_version" value="(\d+)"', form).group(1),
            **fields}


def test_a_task_form_with_a_file_field_stores_the_attachment_id_in_the_case_data(client):
    case_url, handle_url, form = _handle_task_form(client)
    assert 'type="file" name="reply_attachments" multiple' in form and 'enctype="multipart/form-data"' in form
    pdf = scanned_application_pdf()
    response = client.post(handle_url, data=_form_post(
        form, handling_action="draft_reply", reply_type="disclosed",
        reply_attachments=[(io.BytesIO(pdf), "提供的信息.pdf"), (io.BytesIO(png_bytes()), "附图.png")]),
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    case = db.session.get(Case, int(case_url.rsplit("/", 1)[1]))
    stored = attachments.for_case(case, db.session.get(User, case.created_by_id))
    assert case.data["reply_attachments"] == [a.id for a in stored]
    assert [a.filename for a in stored] == ["提供的信息.pdf", "附图.png"]
    assert all(a.field == "reply_attachments" and a.task_id for a in stored) and stored[0].content == pdf
    page = client.get(case_url).get_data(as_text=True)
    assert "提供的信息.pdf" in page and f"附件 #{stored[0].id}" in page  # the case data names them too


def test_a_refused_completion_takes_its_uploads_with_it(client, app):
    case_url, handle_url, form = _handle_task_form(client)
    case_id = int(case_url.rsplit("/", 1)[1])
    before = snapshot(case_id)
    # the form is incomplete: no answer type
    response = client.post(handle_url, data=_form_post(
        form, handling_action="draft_reply", reply_attachments=(io.BytesIO(png_bytes()), "附图.png")),
        content_type="multipart/form-data")
    assert response.status_code == 422 and "请填写“答复类型”" in response.get_data(as_text=True)
    assert snapshot(case_id) == before
    # a disguised file: the field says why
    response = client.post(handle_url, data=_form_post(
        form, handling_action="draft_reply", reply_type="disclosed", reply_attachments=(io.BytesIO(EXE), "信息.pdf")),
        content_type="multipart/form-data")
    assert response.status_code == 422 and 'id="err_reply_attachments"' in response.get_data(as_text=True)
    assert snapshot(case_id) == before
    # someone else changed the case meanwhile
    other = login(app.test_client(), "officer2")
    other_form = other.get(handle_url).get_data(as_text=True)
    other.post(f"/cases/{case_id}/attachments", data={"csrf_token": csrf(other_form),
               "file": (io.BytesIO(png_bytes()), "别人的.png")}, content_type="multipart/form-data")
    before = snapshot(case_id)
    response = client.post(handle_url, data=_form_post(
        form, handling_action="draft_reply", reply_type="disclosed", reply_attachments=(io.BytesIO(png_bytes()), "a.png")),
        content_type="multipart/form-data")
    assert response.status_code == 409 and snapshot(case_id) == before


def test_a_form_may_only_refer_to_attachments_of_its_own_case(office):
    officer = office["officer"]
    first, second = officer.register(), officer.register()
    foreign = officer.ok(send(officer, first["id"], png_bytes(), "别案.png"), 201)
    own = officer.ok(send(officer, second["id"], png_bytes(), "本案.png"), 201)
    officer.complete(second["id"], "check_completeness", {"needs_correction": False})
    refused = officer.complete(second["id"], "handle", {"handling_action": "draft_reply", "reply_type": "disclosed",
                                                        "reply_attachments": [foreign["id"]]}, status=422)
    assert "reply_attachments" in refused["fields"]
    done = officer.complete(second["id"], "handle", {"handling_action": "draft_reply", "reply_type": "disclosed",
                                                     "reply_attachments": [own["id"]]})
    assert done["data"]["reply_attachments"] == [own["id"]]


def test_files_of_a_step_that_fails_in_the_engine_are_kept_for_the_incidents_retry(client, monkeypatch):
    case_url, handle_url, form = _handle_task_form(client)
    case_id = int(case_url.rsplit("/", 1)[1])

    def failing_engine(*_args, **_kwargs):
        raise EngineFailure("流程执行出错：信函服务不可用")
    monkeypatch.setattr(engine_runner, "run", failing_engine)
    officer = user("officer")
    task_id = handle_url.rsplit("/", 1)[1]
    version = db.session.get(Case, case_id).version
    with pytest.raises(EngineFailure) as failed:
        attachments.complete_task(officer, task_id, {"handling_action": "draft_reply", "reply_type": "disclosed"},
                                  version, {"reply_attachments": [("信息.pdf", scanned_application_pdf())]})
    if getattr(failed.value, "incident", None) is None:
        pytest.skip("no incident is opened for a failed step in this build")
    incident = db.session.get(Incident, failed.value.incident.id)
    kept = incident.retry["data"]["reply_attachments"]
    stored = db.session.get(Attachment, kept[0])
    assert stored is not None and stored.case_id == case_id and stored.content.startswith(b"%PDF-")


def test_uploads_are_refused_on_a_case_that_does_not_exist(office):
    assert send(office["officer"], 999999, png_bytes(), "x.png").status_code == 404
    with pytest.raises(Invalid):
        attachments.check("x.bin", b"\x00\x01\x02")
