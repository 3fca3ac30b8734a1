"""Whole petition (信访) lifecycles through the JSON API: every intake decision, every handling outcome, one
extension; each letter read back with pdftotext; deadlines counted in calendar days (XF 22, 34)."""
import datetime
import json
from pathlib import Path

import pytest

from app.config import DEFAULT_AGENCY
from app.petition import codes, letters
from app.services import processes

from .helpers import Api, pdf_text
from .test_web import login

FORMS = Path(__file__).resolve().parent.parent / "bpmn" / "forms"

PETITION = {
    "petitioner_name": "李四",
    "id_number": "110101198505051234",
    "contact_phone": "13900000000",
    "contact_address": "示范市和平路12号",
    "channel": "letter",
    "received_on": "2026-03-02",
    "category": "claim",
    "subject": "小区旁工地夜间施工噪声扰民",
    "content": "工地连续两周在夜间22时后施工，请求责令停止夜间施工。",
}
# Accepted on 2026-03-10: 60 calendar days end on 2026-05-09 (counting working days over the May Day
# holiday would give a much later date), and 30 more on 2026-06-08.
ACCEPTED_ON, HANDLING_DUE, EXTENDED_DUE = "2026-03-10", "2026-05-09", "2026-06-08"


@pytest.fixture
def office(client):
    """The petition office registers and decides intake; the handling department's officer and head."""
    return {"registrar": Api(client, "xfofficer"), "handler": Api(client, "officer"), "head": Api(client, "head")}


def register(api, status=201, **overrides):
    return api.ok(api.post("/cases", {"process": "petition", "data": {**PETITION, **overrides}}), status)


def letter(api, case_id, kind, tmp_path):
    """The one letter of ``kind`` on the case, and its text as pdftotext reads it."""
    docs = [d for d in api.case(case_id)["documents"] if d["kind"] == kind]
    assert len(docs) == 1, docs
    response = api.get(f"/documents/{docs[0]['id']}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return docs[0], pdf_text(response.data, tmp_path)


def deadline(case, name):
    (found,) = [d for d in case["deadlines"] if d["name"] == name]
    return found


def accept(office, tmp_path=None):
    registrar = office["registrar"]
    case = register(registrar)
    registrar.complete(case["id"], "intake_decision", {"intake_decision": "accept", "intake_decided_on": ACCEPTED_ON,
                                                      "handling_unit": "GKB", "handling_department": "政务公开办"})
    return case["id"]


LEGAL_BASIS = "《中华人民共和国噪声污染防治法》第四十三条"


def reply(office, case_id, outcome, opinion="经调查核实，该工地已取得夜间施工许可，施工时段符合规定。"):
    office["handler"].complete(case_id, "handle_petition", {"handling_action": "reply", "outcome": outcome,
                                                            "handling_opinion": opinion,
                                                            "opinion_legal_basis": LEGAL_BASIS})


def close_with_evaluation(office, case_id):
    registrar = office["registrar"]
    registrar.complete(case_id, "record_satisfaction", {"satisfaction": "basically_satisfied",
                                                        "evaluated_on": "2026-05-08"})
    case = registrar.case(case_id)
    assert case["status"] == "completed"
    assert not [t for t in case["tasks"] if t["state"] == "ready"]
    return case


# -- registration ---------------------------------------------------------------------------------------------

def test_registration_starts_a_15_calendar_day_intake_clock(office):
    case = register(office["registrar"])
    assert case["tracking_number"].startswith("XF-")
    intake = deadline(office["registrar"].case(case["id"]), "intake")
    assert intake["title"] == "信访事项登记处理期限"
    assert intake["due_date"] == "2026-03-17"  # 15 working days would end on 2026-03-23
    assert any("自然日" in line for line in intake["explanation"])
    assert office["registrar"].open_task(case["id"], "intake_decision")["lane"] == "信访登记"


def test_a_visit_records_the_number_of_visitors_and_more_than_five_is_flagged(office, client):
    registrar = office["registrar"]
    body = register(registrar, status=422, channel="visit")
    assert "visitors_count" in body["fields"]
    small = register(registrar, channel="visit", visitors_count=3)
    large = register(registrar, channel="visit", visitors_count=8)
    assert registrar.case(small["id"])["data"]["visitors_over_limit"] is False
    assert registrar.case(large["id"])["data"]["visitors_over_limit"] is True
    assert registrar.case(register(registrar)["id"])["data"]["visitors_over_limit"] is False  # a letter
    # The flag is shown with the case data on the case page.
    page = login(client, "xfofficer").get(f"/cases/{large['id']}").get_data(as_text=True)
    assert "走访人数超过5人" in page and "是，应推选代表" in page


def test_the_petitioner_may_not_set_the_visitor_flag(office):
    body = register(office["registrar"], status=422, channel="visit", visitors_count=8, visitors_over_limit=False)
    assert "visitors_over_limit" in body["fields"]


# -- intake decisions -----------------------------------------------------------------------------------------

def test_accepted_petition_gets_an_acceptance_notice_and_a_60_calendar_day_handling_clock(office, tmp_path):
    case_id = accept(office)
    doc, text = letter(office["registrar"], case_id, "acceptance_notice", tmp_path)
    assert "信访事项受理告知书" in text and "李四" in text and doc["number"] in text
    assert "信受〔" in doc["number"]
    assert "《信访工作条例》第二十二条" in text and "第三十四条" in text and "60日内办结" in text
    case = office["handler"].case(case_id)
    assert deadline(case, "intake")["state"] == "met"  # decided on day 8 of 15
    handling = deadline(case, "handling")
    assert handling["title"] == "信访事项办理期限" and handling["due_date"] == HANDLING_DUE
    task = office["handler"].open_task(case_id, "handle_petition")
    assert task["lane"] == "信访办理"


INTAKE_NOTICES = [
    ({"intake_decision": "forward", "handling_department": "示范市住房和城乡建设局"}, "forward_notice",
     ["信访事项转送告知书", "转送示范市住房和城乡建设局", "第二十二条"]),
    ({"intake_decision": "assign", "handling_department": "示范区人民政府"}, "assign_notice",
     ["信访事项交办告知书", "交办示范区人民政府", "反馈办理结果", "第二十二条"]),
    ({"intake_decision": "redirect", "redirect_route": "litigation"}, "redirect_notice",
     ["导入法定途径告知书", "诉讼", "向人民法院提起诉讼", "第三十一条第（一）项"]),
    # XF 31: arbitration is item (二), administrative procedures item (四) — not (一).
    ({"intake_decision": "redirect", "redirect_route": "arbitration"}, "redirect_notice",
     ["仲裁", "申请仲裁", "第三十一条第（二）项"]),
    ({"intake_decision": "redirect", "redirect_route": "reconsideration"}, "redirect_notice",
     ["行政复议", "申请行政复议", "第三十一条第（四）项"]),
    ({"intake_decision": "redirect", "redirect_route": "administrative_ruling"}, "redirect_notice",
     ["行政裁决", "申请行政裁决", "第三十一条第（四）项"]),
    # XF 23: the petitioner is told which body to turn to.
    ({"intake_decision": "not_accept", "not_accept_ground": "outside_remit", "competent_body": "示范市市场监督管理局"},
     "not_accept_notice", ["信访事项不予受理告知书", "不属于本机关", "第二十二条", "决定不予受理",
                           "请您向示范市市场监督管理局提出"]),
    ({"intake_decision": "not_accept", "not_accept_ground": "concluded"}, "not_accept_notice",
     ["已经复核终结", "第三十六条第三款"]),
]


@pytest.mark.parametrize("decision, kind, phrases", INTAKE_NOTICES,
                         ids=[f"{d['intake_decision']}-{k}-{i}" for i, (d, k, _) in enumerate(INTAKE_NOTICES)])
def test_every_other_intake_decision_ends_the_case_with_its_notice(office, tmp_path, decision, kind, phrases):
    registrar = office["registrar"]
    case = register(registrar)
    registrar.complete(case["id"], "intake_decision", {**decision, "intake_decided_on": "2026-03-12"})
    doc, text = letter(registrar, case["id"], kind, tmp_path)
    assert "李四" in text and doc["number"] in text and "小区旁工地夜间施工噪声扰民" in text
    assert "《信访工作条例》" in text
    for phrase in phrases:
        assert phrase in text, phrase
    case = registrar.case(case["id"])
    assert case["status"] == "completed"
    assert [d["name"] for d in case["deadlines"]] == ["intake"]  # no handling clock was started
    # A forwarded or assigned matter also goes to the receiving body with its own letter (XF 22).
    extra = {"forward_notice": ["forward_letter"], "assign_notice": ["assign_letter"]}.get(kind, [])
    assert [d["kind"] for d in case["documents"]] == [kind] + extra


@pytest.mark.parametrize("decision, missing", [
    ({"intake_decision": "forward"}, "handling_department"),
    ({"intake_decision": "assign"}, "handling_department"),
    ({"intake_decision": "redirect"}, "redirect_route"),
    ({"intake_decision": "not_accept"}, "not_accept_ground"),
    ({"intake_decision": "not_accept", "not_accept_ground": "outside_remit"}, "competent_body"),
])
def test_an_intake_decision_without_what_its_notice_must_say_is_refused(office, decision, missing):
    registrar = office["registrar"]
    case = register(registrar)
    body = registrar.complete(case["id"], "intake_decision", {**decision, "intake_decided_on": "2026-03-12"},
                              status=422)
    assert missing in body["fields"]
    assert registrar.open_task(case["id"], "intake_decision")


def test_an_intake_decision_dated_before_receipt_is_refused(office):
    registrar = office["registrar"]
    case = register(registrar)
    body = registrar.complete(case["id"], "intake_decision", {"intake_decision": "accept", "handling_unit": "GKB",
                                                              "intake_decided_on": "2026-03-01"}, status=422)
    assert "早于" in body["error"]
    assert registrar.case(case["id"])["documents"] == []


# -- handling and the handling opinion ------------------------------------------------------------------------

@pytest.mark.parametrize("outcome, phrase", [
    ("support", "予以支持"), ("explain", "解释说明"), ("not_support", "不予支持")])
def test_handling_opinion_for_each_outcome_then_satisfaction_closes_the_case(office, tmp_path, outcome, phrase):
    case_id = accept(office)
    reply(office, case_id, outcome)
    doc, text = letter(office["handler"], case_id, "handling_opinion", tmp_path)
    assert "信访处理意见书" in text and "李四" in text and doc["number"] in text and "信处〔" in doc["number"]
    assert f"处理意见：{phrase}" in text
    # XF 31(六) and 32 (XF 33 is mediation); the request, facts and reasons quoted; the substantive basis.
    assert "《信访工作条例》第三十一条第（六）项、第三十二条" in text and "第三十三条" not in text
    assert "请求责令停止夜间施工" in text and LEGAL_BASIS in text
    assert "30日内" in text and "复查" in text and "第三十五条" in text  # the way to a review
    assert "已取得夜间施工许可" in text
    case = office["handler"].case(case_id)
    assert deadline(case, "handling")["state"] in ("met", "overdue")  # stopped; met or not depends on today
    assert office["registrar"].open_task(case_id, "record_satisfaction")["lane"] == "信访登记"
    case = close_with_evaluation(office, case_id)
    assert case["data"]["outcome"] == outcome and case["data"]["satisfaction"] == "basically_satisfied"


def test_an_overdue_petition_is_listed_under_the_statutory_name_of_its_clock(office, client):
    case_id = accept(office)  # accepted in March: 60 days have long passed
    if deadline(office["handler"].case(case_id), "handling")["state"] != "overdue":
        pytest.skip("the machine's date is before the handling due date")
    page = login(client, "admin").get("/overdue").get_data(as_text=True)
    assert "信访事项办理期限" in page and HANDLING_DUE in page


def test_a_reply_needs_an_outcome_and_the_facts_and_reasons(office):
    case_id = accept(office)
    body = office["handler"].complete(case_id, "handle_petition", {"handling_action": "reply"}, status=422)
    assert {"outcome", "handling_opinion", "opinion_legal_basis"} <= set(body["fields"])


def test_only_the_handling_department_works_the_handling_task(office):
    case_id = accept(office)
    task = office["registrar"].open_task(case_id, "handle_petition")
    version = office["registrar"].case(case_id)["version"]
    response = office["registrar"].post(f"/tasks/{task['id']}/complete", {
        "data": {"handling_action": "reply", "outcome": "support", "handling_opinion": "x"}, "case_version": version})
    assert response.status_code == 403


# -- extension ------------------------------------------------------------------------------------------------

def test_extension_approved_by_the_head_adds_30_days_with_a_notice_and_a_second_is_refused(office, tmp_path):
    handler, head = office["handler"], office["head"]
    case_id = accept(office)
    handler.complete(case_id, "handle_petition", {"handling_action": "request_extension",
                                                  "extension_reason": "涉及多个部门，需要联合现场核查"})
    assert head.open_task(case_id, "approve_extension")["lane"] == "负责人"
    head.complete(case_id, "approve_extension", {"extension_decision": "approve", "extension_days": 30})
    case = handler.case(case_id)
    assert case["data"]["extension_used"] is True
    handling = deadline(case, "handling")
    assert handling["due_date"] == EXTENDED_DUE
    assert any("延长30日" in line for line in handling["explanation"])
    doc, text = letter(handler, case_id, "extension_notice", tmp_path)
    assert "信访事项延期办理告知书" in text and "李四" in text and doc["number"] in text
    assert "需要联合现场核查" in text and "第三十四条" in text and "延长30日" in text
    assert "2026年6月8日" in text

    second = handler.complete(case_id, "handle_petition", {"handling_action": "request_extension",
                                                           "extension_reason": "仍需时间"}, status=422)
    assert "不得再次延期" in second["fields"]["extension_used"]
    reply(office, case_id, "support")
    letter(handler, case_id, "handling_opinion", tmp_path)
    close_with_evaluation(office, case_id)


def test_extension_refused_by_the_head_returns_to_handling_without_a_notice(office):
    handler, head = office["handler"], office["head"]
    case_id = accept(office)
    handler.complete(case_id, "handle_petition", {"handling_action": "request_extension", "extension_reason": "工作量大"})
    head.complete(case_id, "approve_extension", {"extension_decision": "reject", "extension_comment": "请按期办结"})
    case = handler.case(case_id)
    assert not [d for d in case["documents"] if d["kind"] == "extension_notice"]
    assert deadline(case, "handling")["due_date"] == HANDLING_DUE
    assert not case["data"].get("extension_used")
    assert handler.open_task(case_id, "handle_petition")


# -- the forms offer exactly the codes the letters know -------------------------------------------------------

@pytest.mark.parametrize("form, field, table", [
    ("petition_registration.json", "channel", codes.CHANNELS),
    ("petition_registration.json", "category", codes.CATEGORIES),
    ("petition_intake.json", "intake_decision", codes.INTAKE_DECISIONS),
    ("petition_intake.json", "redirect_route", codes.REDIRECT_ROUTES),
    ("petition_intake.json", "not_accept_ground", codes.NOT_ACCEPT_GROUNDS),
    ("petition_handle.json", "outcome", codes.OUTCOMES),
    ("petition_satisfaction.json", "satisfaction", codes.SATISFACTION),
])
def test_form_choices_match_the_petition_codes(form, field, table):
    schema = json.loads((FORMS / form).read_text(encoding="utf-8"))
    assert [(o["const"], o["title"]) for o in schema["properties"][field]["oneOf"]] == codes.choices(table)


def test_the_bundled_petition_process_is_deployed_with_its_own_forms(app):
    version = processes.latest("petition")
    # The review process (petition_review, tests/test_petition_review.py) brings its own forms.
    assert set(version.forms) == {path.name for path in FORMS.glob("petition_*.json")
                                  if not path.name.startswith("petition_review_")}
    assert processes.definition(version).tracking_prefix == "XF"


def test_an_intake_notice_that_does_not_match_the_decision_is_not_written():
    data = {**PETITION, "intake_decision": "accept", "intake_decided_on": ACCEPTED_ON, "handling_department": "某局"}
    with pytest.raises(letters.LetterDataError, match="forward"):
        letters.build_letter_context("forward_notice", case_data=data, tracking_number="XF-2026-000001",
                                     document_number="示政办信转〔2026〕1号", issued_on=datetime.date(2026, 3, 10),
                                     agency=DEFAULT_AGENCY)
