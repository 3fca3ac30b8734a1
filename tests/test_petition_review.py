"""Review (复查) and re-review (复核) of a petition through the JSON API (XF 35–36): a request within 30 days of
the written answer becomes a linked case of the body one level up (上级机关), answered within 30 days with its
letter; a late request is refused; after a re-review the same matter is not accepted again (XF 36.3)."""
import datetime
import json
from pathlib import Path

import pytest

from app.petition import codes
from app.services import processes

from .helpers import Api, office_today
from .test_petition_lifecycle import accept, deadline, letter, register, reply
from .test_web import login


@pytest.fixture
def office(client):
    return {"registrar": Api(client, "xfofficer"), "handler": Api(client, "officer"), "head": Api(client, "head"),
            "upper": Api(client, "reviewer_up"), "top": Api(client, "reviewer_top")}


def days_ago(n: int) -> str:
    return (datetime.date.fromisoformat(office_today()) - datetime.timedelta(days=n)).isoformat()


def issued_days_ago(case_id: int, kind: str, n: int) -> None:
    """Time passes: the case's letter of ``kind`` was issued ``n`` days ago (its stored bytes stay as they are)."""
    from app.extensions import db
    from app.models import Document
    from sqlalchemy import select
    doc = db.session.execute(select(Document).where(Document.case_id == case_id, Document.kind == kind)).scalar_one()
    doc.created_at = doc.created_at - datetime.timedelta(days=n)
    db.session.commit()


def answered_petition(office, issued_ago: int = 0, **evaluation) -> dict:
    """A petition answered with a handling opinion (not supported) ``issued_ago`` days ago, and evaluated."""
    case_id = accept(office)
    reply(office, case_id, "not_support")
    if issued_ago:
        issued_days_ago(case_id, "handling_opinion", issued_ago)
    office["registrar"].complete(case_id, "record_satisfaction", {"satisfaction": "dissatisfied",
                                                                  "evaluated_on": office_today(), **evaluation})
    return office["registrar"].case(case_id)


# The petitioner of PETITION asks in person (XF 35–36: a review is the petitioner's own request).
REQUESTER = {"requester_name": "李四", "requester_id_number": "110101198505051234"}


def request_review(api, review_of, kind="review", status=201, **overrides):
    data = {"review_kind": kind, "review_of": review_of, "requested_on": office_today(),
            "request_reasons": "施工噪声仍然严重影响休息，处理意见认定事实不清。", **REQUESTER, **overrides}
    return api.ok(api.post("/cases", {"process": "petition_review", "data": data}), status)


def answer(api, case_id, decision="uphold"):
    api.complete(case_id, "answer_review", {"answer_action": "answer", "review_decision": decision,
                                            "review_opinion": "经复查，原处理意见认定事实清楚，适用依据正确。"})
    return api.case(case_id)


def test_a_review_requested_in_time_is_answered_by_the_body_one_level_up_with_a_review_opinion(office, tmp_path):
    petition = answered_petition(office)
    upper = office["upper"]
    review = request_review(upper, petition["tracking_number"])
    assert review["tracking_number"].startswith("XFFC-")
    case = upper.case(review["id"])
    # Linked to the petition, and carrying its petitioner and matter.
    assert case["data"]["review_of"] == case["data"]["petition_number"] == petition["tracking_number"]
    assert case["data"]["petitioner_name"] == "李四" and case["data"]["subject"] == petition["data"]["subject"]
    # Answered within 30 calendar days of the request (XF 35).
    answer_clock = deadline(case, "answer")
    expected_due = (datetime.date.fromisoformat(office_today()) + datetime.timedelta(days=30)).isoformat()
    assert answer_clock["due_date"] == expected_due and answer_clock["state"] == "running"
    task = upper.open_task(review["id"], "answer_review")
    assert task["lane"] == "复查"
    # The body one level up answers it, not the petition office that registered the petition.
    assert office["registrar"].post(f"/tasks/{task['id']}/claim").status_code == 403

    case = answer(upper, review["id"])
    assert case["status"] == "completed"
    assert deadline(case, "answer")["state"] != "running"
    doc, text = letter(upper, review["id"], "review_opinion", tmp_path)
    assert "信访事项复查意见书" in text and "李四" in text and doc["number"] in text and "信复查〔" in doc["number"]
    assert petition["tracking_number"] in text and review["tracking_number"] in text
    assert "《信访工作条例》第三十五条" in text and "维持原处理意见" in text and "请求复核" in text
    # Every step is in its own case's history; the petition itself is untouched.
    events = [e["type"] for e in upper.ok(upper.get(f"/cases/{review['id']}/history"))]
    assert events[0] == "case_started" and "task_completed" in events
    assert office["registrar"].case(petition["id"])["version"] == petition["version"]


def test_a_re_review_concludes_the_matter_and_a_new_petition_on_it_is_not_accepted(office, tmp_path):
    petition = answered_petition(office)
    upper, top, registrar = office["upper"], office["top"], office["registrar"]
    review = request_review(upper, petition["tracking_number"])
    # A re-review needs the review's answer first.
    body = request_review(top, review["tracking_number"], kind="re_review", status=422)
    assert "尚未作出书面答复" in body["fields"]["review_of"]
    answer(upper, review["id"])

    # A re-review names the review, not the petition; and the same answer is reviewed only once.
    body = request_review(top, petition["tracking_number"], kind="re_review", status=422)
    assert "review_of" in body["fields"]
    body = request_review(upper, petition["tracking_number"], status=422)
    assert "已经请求过复查" in body["fields"]["review_of"]

    # The body that answered the review does not re-review it (XF 36: the body one level above).
    body = request_review(upper, review["tracking_number"], kind="re_review", status=422)
    assert "示范省人民政府" in body["fields"]["review_kind"]
    re_review = request_review(top, review["tracking_number"], kind="re_review")
    assert top.case(re_review["id"])["data"]["petition_number"] == petition["tracking_number"]
    case = answer(top, re_review["id"])
    assert case["status"] == "completed"
    doc, text = letter(top, re_review["id"], "re_review_opinion", tmp_path)
    assert "信访事项复核意见书" in text and "李四" in text and doc["number"] in text and "信复核〔" in doc["number"]
    assert review["tracking_number"] in text and petition["tracking_number"] in text
    assert "《信访工作条例》第三十六条" in text and "终结意见" in text and "不再受理" in text

    # The same matter again: only "not accepted, already concluded after re-review" (XF 36.3).
    again = register(registrar, received_on=office_today(), content="工地夜间施工噪声问题，再次反映。")
    link = {"duplicate_of": petition["tracking_number"], "intake_decided_on": office_today()}
    refusals = ({"intake_decision": "accept", "handling_unit": "GKB", "handling_department": "政务公开办"},
                {"intake_decision": "not_accept", "not_accept_ground": "repeat_in_progress"},
                {"intake_decision": "not_accept", "not_accept_ground": "outside_remit", "competent_body": "某局"})
    for refused in refusals:
        body = registrar.complete(again["id"], "intake_decision", {**refused, **link}, status=422)
        assert "复核终结" in body["fields"]["intake_decision"] and "第三十六条第三款" in body["fields"]["intake_decision"]
    registrar.complete(again["id"], "intake_decision",
                       {"intake_decision": "not_accept", "not_accept_ground": "concluded", **link})
    case = registrar.case(again["id"])
    assert case["status"] == "completed" and case["data"]["is_duplicate"] is True
    _doc, text = letter(registrar, again["id"], "not_accept_notice", tmp_path)
    assert "已经复核终结" in text and "第三十六条第三款" in text


def test_a_review_requested_more_than_30_days_after_the_answer_is_refused(office):
    upper = office["upper"]
    late = answered_petition(office, issued_ago=35, reply_received_on=days_ago(31))
    body = request_review(upper, late["tracking_number"], status=422)
    assert "30日内" in body["fields"]["requested_on"] and "第三十五条" in body["fields"]["requested_on"]
    assert upper.ok(upper.get("/tasks?scope=claimable&process=petition_review")) == []

    # The thirtieth day is still in time.
    last_day = answered_petition(office, issued_ago=35, reply_received_on=days_ago(30))
    review = request_review(upper, last_day["tracking_number"])
    assert upper.case(review["id"])["data"]["request_due_date"] >= office_today()


def test_a_review_must_name_an_answered_petition(office):
    upper = office["upper"]
    pending = register(office["registrar"])  # not even decided on
    body = request_review(upper, pending["tracking_number"], status=422)
    assert "尚未作出书面答复" in body["fields"]["review_of"]
    body = request_review(upper, "XF-2026-999999", status=422)
    assert "没有编号为 XF-2026-999999" in body["fields"]["review_of"]
    # Only the body one level up records the request.
    petition = answered_petition(office)
    assert office["registrar"].post("/cases", {"process": "petition_review", "data": {
        "review_kind": "review", "review_of": petition["tracking_number"], "requested_on": office_today(),
        "request_reasons": "不服"}}).status_code == 403


def test_the_review_process_is_deployed_with_its_forms_and_its_choices_match_the_codes(app):
    version = processes.latest("petition_review")
    assert set(version.forms) == {"petition_review_request.json", "petition_review_answer.json",
                                  "petition_review_hearing.json"}
    assert processes.definition(version).tracking_prefix == "XFFC"
    forms = Path(app.config["BPMN_DIR"]) / "forms"
    answer_form = json.loads((forms / "petition_review_answer.json").read_text(encoding="utf-8"))
    assert [(o["const"], o["title"]) for o in answer_form["properties"]["review_decision"]["oneOf"]] == \
        codes.choices(codes.REVIEW_DECISIONS)
    request_form = json.loads((forms / "petition_review_request.json").read_text(encoding="utf-8"))
    assert [o["const"] for o in request_form["properties"]["review_kind"]["oneOf"]] == list(codes.REVIEW_KINDS)


def test_the_reporter_of_an_accusation_stays_hidden_in_its_review(office, client):
    registrar = office["registrar"]
    case = register(registrar, category="accusation")
    registrar.complete(case["id"], "intake_decision", {"intake_decision": "accept", "intake_decided_on": "2026-03-10",
                                                      "handling_unit": "GKB", "handling_department": "政务公开办"})
    reply(office, case["id"], "explain")
    petition = registrar.case(case["id"])
    upper = office["upper"]
    # The identity is copied by the server, never typed in with the request.
    body = request_review(upper, petition["tracking_number"], status=422, petitioner_name="别人")
    assert "petitioner_name" in body["fields"]
    review = request_review(upper, petition["tracking_number"])
    # The body that received the request knows who asked; an administrator reading the case does not.
    assert upper.case(review["id"])["data"]["petitioner_name"] == "李四"
    seen = Api(client, "admin").case(review["id"])
    assert "petitioner_name" not in seen["data"] and "id_number" not in seen["data"]
    assert "petitioner_name" in seen["redacted"]


def test_the_body_one_level_up_registers_requests_in_the_browser(app, client):
    page = login(client, "reviewer_up").get("/cases/new/petition_review")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "复查（不服信访处理意见）" in text and 'name="review_of"' in text
    assert 'name="petitioner_name"' not in text  # copied from the petition by the server
    assert login(app.test_client(), "xfofficer").get("/cases/new/petition_review").status_code == 403


def test_a_request_cannot_predate_the_answer_it_contests(office):
    petition = answered_petition(office, issued_ago=3, reply_received_on=days_ago(3))
    body = request_review(office["upper"], petition["tracking_number"], status=422, requested_on=days_ago(4))
    assert "不能早于答复日期" in body["fields"]["requested_on"]
