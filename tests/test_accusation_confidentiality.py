"""Accusations (检举控告类): the reporter's identity is read only by the petition office that registered the
matter, never by the department handling it or being reported on (XF 30, 46) — in every view of the case.

Who reads it: the registering department (the petition office, ``xfofficer``) and auditors (they audit the
record and verify its hash chain). Everyone else who may see the case — the handling department's officer
and head, supervisors, administrators — gets it without the identifying fields, and searches by them do not
find it.
"""
import io
import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Case, User
from app.services import comments

from .helpers import Api, office_today
from .test_petition_lifecycle import PETITION
from .test_web import login

REPORTER = {"petitioner_name": "钱七检举人", "id_number": "110101197707071357", "contact_phone": "13912345678",
            "contact_address": "示范市和平路99号"}
IDENTITY = tuple(REPORTER.values())
# The identity and what the duplicate check derived from it (it leads to the same person's other petitions).
REDACTED = sorted([*REPORTER, "duplicate_of", "duplicates_dismissed", "is_duplicate"])
ACCUSATION = {**PETITION, **REPORTER, "category": "accusation", "received_on": office_today(),
              "subject": "检举政务公开办工作人员收受好处费", "content": "政务公开办某工作人员在办理业务时收取好处费。"}


def user(name: str) -> User:
    return db.session.execute(select(User).where(User.username == name)).scalar_one()


def shows_identity(text: str) -> list[str]:
    return [value for value in IDENTITY if value in text]


@pytest.fixture
def accusation(client):
    """An accusation against the disclosure office (GKB), accepted and handed to GKB to handle."""
    registrar = Api(client, "xfofficer")
    case = registrar.ok(registrar.post("/cases", {"process": "petition", "data": ACCUSATION}), 201)
    registrar.complete(case["id"], "intake_decision", {"intake_decision": "accept", "intake_decided_on": office_today(),
                                                       "handling_unit": "GKB", "handling_department": "政务公开办"})
    return registrar.case(case["id"])


def test_the_petition_office_reads_the_reporters_identity(client, accusation):
    registrar = Api(client, "xfofficer")
    case = registrar.case(accusation["id"])
    assert {k: case["data"][k] for k in REPORTER} == REPORTER and case["redacted"] == []
    history = json.dumps(registrar.ok(registrar.get(f"/cases/{accusation['id']}/history")), ensure_ascii=False)
    assert shows_identity(history) == list(IDENTITY)
    page = login(client, "xfofficer").get(f"/cases/{accusation['id']}").get_data(as_text=True)
    assert shows_identity(page) == list(IDENTITY)
    assert accusation["tracking_number"] in client.get("/cases?q=钱七检举人").get_data(as_text=True)


@pytest.mark.parametrize("username, task", [("officer", "handle_petition"), ("head", "approve_extension")])
def test_the_department_reported_on_never_sees_the_reporter_through_the_api(client, accusation, username, task):
    if username == "head":
        # The head of the department comes to the case when its officer asks for more time.
        Api(client, "officer").complete(accusation["id"], "handle_petition", {
            "handling_action": "request_extension", "extension_reason": "需要调取相关业务记录核实"})
    api = Api(client, username)
    case = api.case(accusation["id"])  # it may read the case: it works on it
    assert case["data"]["subject"] == ACCUSATION["subject"]
    assert case["redacted"] == REDACTED
    assert shows_identity(json.dumps(case, ensure_ascii=False)) == []
    history = api.ok(api.get(f"/cases/{accusation['id']}/history"))
    assert shows_identity(json.dumps(history, ensure_ascii=False)) == []
    assert history[0]["type"] == "case_started" and "subject" in history[0]["payload"]["data"]
    task = api.ok(api.get(f"/tasks/{api.open_task(accusation['id'], task)['id']}"))
    assert shows_identity(json.dumps(task, ensure_ascii=False)) == []
    diagram = client.get(f"/cases/{accusation['id']}/diagram.json", headers=api.headers)
    assert shows_identity(diagram.get_data(as_text=True)) == []


def test_the_handling_officer_finds_no_trace_in_the_pages_or_searches(client, accusation):
    officer = Api(client, "officer")
    handle = officer.open_task(accusation["id"], "handle_petition")
    login(client, "officer")
    case_page = client.get(f"/cases/{accusation['id']}").get_data(as_text=True)
    assert ACCUSATION["subject"] in case_page and shows_identity(case_page) == []
    task_page = client.get(f"/tasks/{handle['id']}").get_data(as_text=True)
    assert ACCUSATION["subject"] in task_page and shows_identity(task_page) == []
    inbox = client.get("/?scope=all").get_data(as_text=True)
    assert accusation["tracking_number"] in inbox and shows_identity(inbox) == []
    # Searching by the reporter's name or phone does not find the case (a hit would reveal who it is).
    for query in ("party=钱七", "q=钱七检举人", "q=13912345678"):
        assert accusation["tracking_number"] not in client.get(f"/?scope=all&{query}").get_data(as_text=True)
        response = officer.get(f"/tasks?scope=all&{query}")
        assert response.headers["X-Total-Count"] == "0", query
    assert accusation["tracking_number"] not in client.get("/cases?q=钱七检举人").get_data(as_text=True)
    # A search by what the matter is about still finds it (by its tracking number).
    assert officer.get(f"/tasks?scope=all&tracking={accusation['tracking_number']}").headers["X-Total-Count"] == "1"
    # The letters are addressed to the reporter: listed, but not readable by the department.
    (notice,) = [d for d in officer.case(accusation["id"])["documents"] if d["kind"] == "acceptance_notice"]
    assert officer.get(f"/documents/{notice['id']}").status_code == 403
    assert client.get(f"/documents/{notice['id']}").status_code == 403
    assert Api(client, "xfofficer").get(f"/documents/{notice['id']}").status_code == 200


def test_the_petition_office_finds_it_by_the_reporters_name(client, accusation):
    registrar = Api(client, "xfofficer")
    response = registrar.get("/tasks?scope=all&party=钱七")
    assert response.headers["X-Total-Count"] == "1"


def test_auditors_read_the_identity_supervisors_and_administrators_do_not(client, accusation):
    auditor = Api(client, "auditor").case(accusation["id"])
    assert auditor["data"]["petitioner_name"] == REPORTER["petitioner_name"] and auditor["redacted"] == []
    for username in ("supervisor", "admin"):
        case = Api(client, username).case(accusation["id"])
        assert case["redacted"] == REDACTED, username
        assert shows_identity(json.dumps(case, ensure_ascii=False)) == [], username


def test_the_handling_department_still_completes_its_task(client, accusation):
    officer = Api(client, "officer")
    officer.complete(accusation["id"], "handle_petition", {"handling_action": "reply", "outcome": "support",
                                                           "handling_opinion": "经调查，反映情况属实，已作处理。",
        "opinion_legal_basis": "《中华人民共和国环境噪声污染防治法》第三十条"})
    # Its submission did not touch the identity the office recorded.
    data = Api(client, "xfofficer").case(accusation["id"])["data"]
    assert {k: data[k] for k in REPORTER} == REPORTER


def test_a_petition_that_is_not_an_accusation_is_not_redacted(client):
    registrar = Api(client, "xfofficer")
    claim = registrar.ok(registrar.post("/cases", {"process": "petition", "data": {**ACCUSATION, "category": "claim"}}),
                         201)
    registrar.complete(claim["id"], "intake_decision", {"intake_decision": "accept", "intake_decided_on": office_today(),
                                                        "handling_unit": "GKB", "handling_department": "政务公开办"})
    case = Api(client, "officer").case(claim["id"])
    assert case["redacted"] == [] and {k: case["data"][k] for k in REPORTER} == REPORTER
    assert Api(client, "officer").get("/tasks?scope=all&party=钱七").headers["X-Total-Count"] == "1"


def _upload(api, case_id, name, content):
    response = api.client.post(f"/api/v1/cases/{case_id}/attachments", headers=api.headers,
                               data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")
    return api.ok(response, 201)


def test_files_the_petition_office_filed_stay_with_it_the_departments_own_files_do_not(client, accusation):
    registrar, officer, auditor = Api(client, "xfofficer"), Api(client, "officer"), Api(client, "auditor")
    letter = _upload(registrar, accusation["id"], "钱七检举信扫描件.pdf", b"%PDF-1.4\n% scanned letter\n")
    findings = _upload(officer, accusation["id"], "调查笔录.pdf", b"%PDF-1.4\n% interview notes\n")

    def listed(api):
        return {a["id"] for a in api.ok(api.get(f"/cases/{accusation['id']}/attachments"))}

    assert listed(registrar) == listed(auditor) == {letter["id"], findings["id"]}
    assert listed(officer) == {findings["id"]}
    assert officer.get(f"/attachments/{letter['id']}").status_code == 403
    assert officer.get(f"/attachments/{findings['id']}").status_code == 200
    assert auditor.get(f"/attachments/{letter['id']}").status_code == 200
    page = login(client, "officer").get(f"/cases/{accusation['id']}").get_data(as_text=True)
    assert "调查笔录.pdf" in page and "钱七检举信扫描件.pdf" not in page  # neither listed nor in the timeline
    history = json.dumps(officer.ok(officer.get(f"/cases/{accusation['id']}/history")), ensure_ascii=False)
    assert "钱七检举信扫描件" not in history and "调查笔录.pdf" in history
    assert "钱七检举信扫描件" in json.dumps(auditor.ok(auditor.get(f"/cases/{accusation['id']}/history")),
                                     ensure_ascii=False)


def test_what_the_petition_office_writes_in_comments_stays_with_it(client, accusation):
    officer = Api(client, "officer")
    comments.add(user("xfofficer"), accusation["id"], "检举人钱七要求电话回访，不要透露身份")
    comments.add(user("officer"), accusation["id"], "已开展调查，将按期答复")
    case = db.session.get(Case, accusation["id"])
    assert [c.body for c in comments.for_case(user("officer"), case)] == ["已开展调查，将按期答复"]
    assert len(comments.for_case(user("xfofficer"), case)) == 2
    page = login(client, "officer").get(f"/cases/{accusation['id']}").get_data(as_text=True)
    assert "钱七" not in page and "已开展调查" in page
    history = json.dumps(officer.ok(officer.get(f"/cases/{accusation['id']}/history")), ensure_ascii=False)
    assert "钱七" not in history and "不予显示" in history
