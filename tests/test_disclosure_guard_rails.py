"""Disclosure requests: the law's guard rails (issue 9 §1–4, §6), through /api/v1, letters read with pdftotext.

Each reproduction of the issue is a test here: what the law forbids is refused with a 422 naming the field,
and every letter the law asks for is produced, saying only what happened.
"""
import copy
import importlib.util
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Case, CaseClock, CaseEvent, Notification, User
from app.services import calendar, statistics, timers

from .helpers import Api, office_today, pdf_text
from .test_worker import age_timers


@pytest.fixture
def office(client):
    return {name: Api(client, name) for name in ("officer", "reviewer", "head", "auditor")}


def today() -> date:
    return date.fromisoformat(office_today())


def working_days(start: date, n: int) -> date:
    return calendar.current().add_working_days(start, n)


def cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def letter(api, case_id, kind, tmp_path) -> str:
    docs = [d for d in api.case(case_id)["documents"] if d["kind"] == kind]
    assert len(docs) == 1, [d["kind"] for d in api.case(case_id)["documents"]]
    return pdf_text(api.get(f"/documents/{docs[0]['id']}").data, tmp_path)


def kinds(api, case_id) -> list[str]:
    return [d["kind"] for d in api.case(case_id)["documents"]]


def deadline(api, case_id, name):
    return next((d for d in api.case(case_id)["deadlines"] if d["name"] == name), None)


def ask_correction(officer, case_id, deadline_on: date | None = None, status=200):
    return officer.complete(case_id, "check_completeness", {
        "needs_correction": True, "correction_items": "请明确所需信息的年份和区域。",
        "correction_deadline": (deadline_on or working_days(today(), 10)).isoformat()}, status=status)


def let_correction_deadline_pass(case_id, days_ago=3) -> date:
    """Time passes: the correction deadline now lies ``days_ago`` days back, and its timer is due."""
    past = today() - timedelta(days=days_ago)
    set_case_data(case_id, correction_deadline=past.isoformat())
    age_timers(case_id, {"correction_expired"})
    assert timers.run_once() == 1
    return past


def set_case_data(case_id, **values):
    """Change case data as the engine holds it (every task's data) and as the case row shows it."""
    case = db.session.get(Case, case_id)
    state = copy.deepcopy(case.engine_state)

    def walk(node):
        if isinstance(node, dict):
            for key in values.keys() & node.keys():
                node[key] = values[key]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(state)
    case.engine_state = state
    case.data = {**case.data, **values}
    db.session.commit()


def start_reply_clock_on(case_id, received_on: str):
    """Time passes: the reply clock now counts from ``received_on`` (its due date may lie in the past)."""
    row = db.session.execute(select(CaseClock).where(CaseClock.case_id == case_id,
                                                     CaseClock.name == "reply")).scalar_one()
    entries = copy.deepcopy(row.entries)
    entries[0]["on"] = received_on
    row.entries = entries
    db.session.commit()


def to_handling(officer, **registration):
    case_id = officer.register(received_on=office_today(), **registration)["id"]
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    return case_id


def approve(office, case_id):
    office["reviewer"].complete(case_id, "confidentiality_review", {"review_result": "cleared"})
    office["head"].complete(case_id, "approve_reply", {"approval": "approve"})


# -- 1. correction (GIO 30) ------------------------------------------------------------------------------------

def test_a_past_correction_deadline_is_refused_naming_the_field_and_nothing_is_issued(office):
    officer = office["officer"]
    case_id = officer.register(received_on=office_today())["id"]
    body = ask_correction(officer, case_id, today() - timedelta(days=1), status=422)
    assert "correction_deadline" in body["fields"] and "第三十条" in body["fields"]["correction_deadline"]
    assert kinds(officer, case_id) == ["registration_receipt"] and officer.case(case_id)["status"] == "active"
    assert officer.open_task(case_id, "check_completeness")


def test_a_correction_deadline_must_leave_ten_working_days_after_the_notice(office, tmp_path):
    officer = office["officer"]
    case_id = officer.register(received_on=office_today())["id"]
    earliest = working_days(today(), 10)
    body = ask_correction(officer, case_id, earliest - timedelta(days=1), status=422)
    assert cn(earliest) in body["fields"]["correction_deadline"]
    ask_correction(officer, case_id, earliest)
    text = letter(officer, case_id, "correction_notice", tmp_path)
    assert "第三十条" in text and f"请您于{cn(earliest)}前向本机关提交补正后的申请" in text


def test_not_corrected_is_refused_while_the_correction_deadline_runs(office):
    officer = office["officer"]
    case_id = officer.register(received_on=office_today())["id"]
    ask_correction(officer, case_id)
    body = officer.complete(case_id, "receive_correction", {"correction_result": "not_corrected"}, status=422)
    assert "尚未届满" in body["fields"]["correction_result"]
    assert officer.case(case_id)["status"] == "active" and kinds(officer, case_id) == ["registration_receipt", "correction_notice"]


def test_the_correction_deadline_passing_asks_a_person_and_only_then_the_request_is_deemed_abandoned(
        office, tmp_path):
    officer = office["officer"]
    case_id = officer.register(received_on=office_today())["id"]
    ask_correction(officer, case_id)
    past = let_correction_deadline_pass(case_id)
    # The timer never ends the case: a person of the registration lane confirms.
    case = officer.case(case_id)
    assert case["status"] == "active" and kinds(officer, case_id) == ["registration_receipt", "correction_notice"]
    task = officer.open_task(case_id, "confirm_correction_lapse")
    assert task["lane"] == "登记"
    body = officer.complete(case_id, "confirm_correction_lapse", {"correction_result": "not_corrected"}, status=422)
    assert "lapse_check" in body["fields"]
    officer.complete(case_id, "confirm_correction_lapse", {"correction_result": "not_corrected",
                                                           "lapse_check": "已查询收发室、邮箱和网上申请平台，均未收到"})
    case = officer.case(case_id)
    assert case["status"] == "withdrawn" and kinds(officer, case_id) == ["registration_receipt", "correction_notice", "withdrawal_notice"]
    text = letter(officer, case_id, "withdrawal_notice", tmp_path)
    assert "视为放弃申请告知书" in text and "第三十条" in text
    assert f"补正期限至{cn(past)}" in text and "视为放弃" in text
    assert "六十日内向" in text and "申请行政复议" in text and "六个月内" in text  # the remedy clause


def test_a_correction_posted_before_the_deadline_counts_and_a_late_one_needs_a_good_reason(office, tmp_path):
    officer = office["officer"]
    case_id = officer.register(received_on=office_today())["id"]
    ask_correction(officer, case_id)
    past = let_correction_deadline_pass(case_id)
    late = {"correction_result": "corrected", "corrected_on": office_today(),
            "correction_content": "2025年度城东区的清单"}
    body = officer.complete(case_id, "confirm_correction_lapse", late, status=422)
    assert "正当理由" in body["fields"]["correction_result"]
    officer.complete(case_id, "confirm_correction_lapse",
                     {**late, "correction_posted_on": (past - timedelta(days=1)).isoformat()})
    case = officer.case(case_id)
    assert case["status"] == "active" and officer.open_task(case_id, "handle")
    reply = deadline(officer, case_id, "reply")
    assert reply["state"] == "running" and reply["due_date"] == working_days(today(), 20).isoformat()


def test_a_late_correction_with_a_good_reason_is_registered_and_restarts_the_reply_clock(office):
    officer = office["officer"]
    case_id = officer.register(received_on=office_today())["id"]
    ask_correction(officer, case_id)
    let_correction_deadline_pass(case_id)
    body = officer.complete(case_id, "confirm_correction_lapse", {
        "correction_result": "good_reason", "corrected_on": office_today(), "correction_content": "城东区"}, status=422)
    assert "good_reason_text" in body["fields"]
    officer.complete(case_id, "confirm_correction_lapse", {
        "correction_result": "good_reason", "corrected_on": office_today(), "correction_content": "城东区",
        "good_reason_text": "申请人住院治疗，有医院证明"})
    assert officer.open_task(case_id, "handle")
    assert deadline(officer, case_id, "reply")["due_date"] == working_days(today(), 20).isoformat()


def test_the_original_application_is_kept_and_the_reply_quotes_it_with_the_correction(office, tmp_path):
    officer = office["officer"]
    case_id = officer.register(received_on=office_today())["id"]
    original = officer.case(case_id)["data"]["description"]
    ask_correction(officer, case_id)
    officer.complete(case_id, "receive_correction", {"correction_result": "corrected", "corrected_on": office_today(),
                                                     "correction_content": "2025年度城东区老旧小区改造项目清单"})
    data = officer.case(case_id)["data"]
    assert data["description"] == original and data["correction_content"] == "2025年度城东区老旧小区改造项目清单"
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"})
    approve(office, case_id)
    text = letter(officer, case_id, "reply", tmp_path)
    assert f"申请获取“{original}”" in text
    assert f"经补正，本机关于{cn(today())}收到您补正后的申请，补正内容为“2025年度城东区老旧小区改造项目清单”" in text


def test_a_late_correction_notice_is_allowed_but_marked_late(office):
    officer = office["officer"]
    received = today() - timedelta(days=16)  # more than 7 working days, less than 20
    case_id = officer.register(received_on=received.isoformat())["id"]
    ask_correction(officer, case_id)
    case = officer.case(case_id)
    assert case["data"]["correction_notice_late"] is True
    assert deadline(officer, case_id, "correction")["state"] == "overdue"  # counted late in the statistics
    late = db.session.execute(select(CaseEvent).where(CaseEvent.case_id == case_id,
                                                      CaseEvent.type == "correction_notice_late")).scalar_one()
    assert "晚于法定期限" in late.summary


def test_a_correction_notice_after_the_reply_deadline_is_refused(office):
    officer = office["officer"]
    case_id = officer.register(received_on="2026-03-02")["id"]
    body = ask_correction(officer, case_id, status=422)
    assert "应当依法作出答复" in body["fields"]["needs_correction"]


def test_still_unclear_is_refused_when_no_correction_was_ever_asked(office):
    officer = office["officer"]
    case_id = to_handling(officer)
    body = officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "still_unclear"},
                            status=422)
    assert "补正" in body["fields"]["reply_type"]


# -- 2. extension (GIO 33.2) -----------------------------------------------------------------------------------

def test_the_extension_notice_states_the_original_and_the_new_due_date(office, tmp_path):
    officer, head = office["officer"], office["head"]
    received = today() - timedelta(days=7)
    case_id = officer.register(received_on=received.isoformat())["id"]
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    original = working_days(received, 20)
    officer.complete(case_id, "handle", {"handling_action": "request_extension", "extension_reason": "需汇总核实"})
    head.complete(case_id, "approve_extension", {"extension_decision": "approve"})
    extended = working_days(original, 20)
    text = letter(officer, case_id, "extension_notice", tmp_path)
    assert f"原答复期限至{cn(original)}届满" in text
    assert f"本机关将于{cn(extended)}前作出答复" in text
    assert deadline(officer, case_id, "reply")["due_date"] == extended.isoformat()


def test_an_extension_after_the_reply_due_date_is_refused(office):
    officer, head = office["officer"], office["head"]
    case_id = to_handling(officer)
    officer.complete(case_id, "handle", {"handling_action": "request_extension", "extension_reason": "需汇总"})
    start_reply_clock_on(case_id, "2026-03-02")  # the head decides after the original due date
    body = head.complete(case_id, "approve_extension", {"extension_decision": "approve"}, status=422)
    assert "不能再延期" in body["fields"]["extension_decision"] and "第三十三条第二款" in body["fields"]["extension_decision"]
    assert deadline(officer, case_id, "reply")["state"] == "overdue"  # the clock does not turn back
    assert "extension_notice" not in kinds(officer, case_id)
    # Nor can the handler ask for one once the clock has run out.
    head.complete(case_id, "approve_extension", {"extension_decision": "reject"})
    body = officer.complete(case_id, "handle", {"handling_action": "request_extension", "extension_reason": "x"},
                            status=422)
    assert "不能再延期" in body["fields"]["handling_action"]


def test_a_promised_date_stands_when_the_computed_date_moves_later():
    # DOMAIN 2.3: the extension notice promised a date; a later calendar publication that moves the computed
    # date past it does not move the officers' due date.
    from workflows.clocks import Extend, Promise, compute, disclosure_reply
    cal = calendar_for_test()
    clock = disclosure_reply(date(2026, 11, 25)).add(Extend(date(2026, 12, 1), "需汇总"))
    computed = compute(clock, cal, date(2026, 12, 1)).due_date
    promised = computed - timedelta(days=3)
    result = compute(clock.add(Promise(date(2026, 12, 1), promised, "延期答复告知书")), cal, date(2026, 12, 1))
    assert result.due_date == promised
    assert any("承诺" in line and cn(promised) in line for line in result.explanation)
    # An earlier computed date is kept: a promise is an upper bound.
    later = compute(clock.add(Promise(date(2026, 12, 1), computed + timedelta(days=5))), cal, date(2026, 12, 1))
    assert later.due_date == computed


def calendar_for_test():
    from workflows.calendar import WorkCalendar, seed_days
    return WorkCalendar({d.date: d for d in seed_days([2026])}, published_years={2026})


def test_an_approved_extension_records_its_notified_date_as_a_promise(office):
    officer, head = office["officer"], office["head"]
    case_id = to_handling(officer)
    officer.complete(case_id, "handle", {"handling_action": "request_extension", "extension_reason": "需汇总"})
    head.complete(case_id, "approve_extension", {"extension_decision": "approve"})
    row = db.session.execute(select(CaseClock).where(CaseClock.case_id == case_id,
                                                     CaseClock.name == "reply")).scalar_one()
    promise = row.entries[-1]
    assert promise["type"] == "promise" and promise["until"] == officer.case(case_id)["data"]["extended_due_date"]


# -- 3. third parties (GIO 32, 33.3) ---------------------------------------------------------------------------

def consult(officer, case_id, kind="organisation"):
    officer.complete(case_id, "handle", {
        "handling_action": "consult_third_party", "third_party_name": "示范建设有限公司", "third_party_kind": kind,
        "consultation_matter": "改造项目合同金额"})


def test_the_third_party_answer_has_its_own_clock_and_the_letter_prints_the_answer_date(office, tmp_path):
    officer = office["officer"]
    case_id = to_handling(officer)
    consult(officer, case_id)
    answer_by = working_days(today(), 15)
    tp = deadline(officer, case_id, "third_party")
    assert tp["due_date"] == answer_by.isoformat() and tp["state"] == "running"
    assert any("发出征求意见书" in line for line in tp["explanation"])
    assert any("15个工作日" in line for line in tp["explanation"])
    assert deadline(officer, case_id, "reply")["state"] == "paused"
    text = letter(officer, case_id, "third_party_consultation", tmp_path)
    assert f"（即{cn(answer_by)}前）" in text and "可能涉及贵单位的商业秘密" in text and "您" not in text


def test_a_person_consulted_is_addressed_as_you(office, tmp_path):
    officer = office["officer"]
    case_id = to_handling(officer)
    consult(officer, case_id, kind="person")
    assert "可能涉及您的商业秘密" in letter(officer, case_id, "third_party_consultation", tmp_path)


def test_the_handler_is_reminded_before_the_third_party_deadline(office):
    officer = office["officer"]
    case_id = to_handling(officer)
    consult(officer, case_id)
    age_timers(case_id, {"remind_tp"})
    assert timers.run_once() == 1
    handler = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
    messages = [n.message for n in db.session.execute(
        select(Notification).where(Notification.user_id == handler.id)).scalars()]
    due = working_days(today(), 15).isoformat()
    assert any(f"第三方意见期限将于{due}届满" in m for m in messages)
    assert officer.open_task(case_id, "record_third_party_answer")  # still waiting for the answer


def test_third_party_silence_is_not_recorded_early_and_its_timer_hands_the_decision_to_the_handler(office):
    officer = office["officer"]
    case_id = to_handling(officer)
    consult(officer, case_id)
    body = officer.complete(case_id, "record_third_party_answer", {
        "third_party_answer": "no_answer", "third_party_answered_on": office_today()}, status=422)
    assert "尚未届满" in body["fields"]["third_party_answer"]
    age_timers(case_id, {"tp_expired"})
    assert timers.run_once() == 1
    case = officer.case(case_id)
    assert officer.open_task(case_id, "handle")
    assert case["data"]["third_party_answer"] == "no_answer"
    assert deadline(officer, case_id, "reply")["state"] == "running"
    handler = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
    messages = [n.message for n in db.session.execute(
        select(Notification).where(Notification.user_id == handler.id)).scalars()]
    assert any("第三方逾期" in m and "第三十二条" in m for m in messages)


def test_disclosing_over_a_third_party_refusal_needs_reasons_and_a_notice_before_approval(office, tmp_path):
    officer = office["officer"]
    case_id = to_handling(officer)
    consult(officer, case_id)
    officer.complete(case_id, "record_third_party_answer", {
        "third_party_answer": "refuse", "third_party_answered_on": office_today(), "third_party_opinion": "涉及商业秘密"})
    body = officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"},
                            status=422)
    assert "第三十二条" in body["fields"]["public_interest_reasons"]
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "disclosed",
                                         "public_interest_reasons": "该项目使用财政资金，合同金额关系公共利益"})
    # The notice to the third party exists before the head approves anything.
    assert kinds(officer, case_id) == ["registration_receipt", "third_party_consultation", "disclosure_decision_notice"]
    assert office["head"].case(case_id)["tasks"]  # reachable
    text = letter(officer, case_id, "disclosure_decision_notice", tmp_path)
    assert "决定公开告知书" in text and "第三十二条" in text and "示范建设有限公司：" in text
    assert "该项目使用财政资金，合同金额关系公共利益" in text and "改造项目合同金额" in text
    assert "贵单位可以自收到本告知书之日起六十日内" in text  # the third party's remedy
    approve(office, case_id)
    assert "reply" in kinds(officer, case_id)


# -- 4. GIO 35, 36(五), 36(七), reasons ---------------------------------------------------------------------------

def test_abusive_is_refused_unless_the_applicant_was_first_asked_for_reasons(office, tmp_path):
    officer = office["officer"]
    case_id = to_handling(officer)
    body = officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "abusive"},
                            status=422)
    assert "第三十五条" in body["fields"]["reply_type"]
    answer_by = today() + timedelta(days=10)
    officer.complete(case_id, "handle", {"handling_action": "request_reasons", "reasons_deadline": answer_by.isoformat(),
                                         "reasons_request_text": "近一个月提出申请120件"})
    text = letter(officer, case_id, "reasons_request", tmp_path)
    assert "说明理由通知书" in text and "第三十五条" in text and f"请您于{cn(answer_by)}前以书面形式向本机关说明理由" in text
    body = officer.complete(case_id, "record_reasons", {"reasons_result": "none"}, status=422)
    assert "尚未届满" in body["fields"]["reasons_result"]
    officer.complete(case_id, "record_reasons", {"reasons_result": "unreasonable", "reasons_received_on": office_today(),
                                                 "reasons_statement": "研究需要", "reasons_assessment": "与所申请信息无关"})
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "abusive"})
    approve(office, case_id)
    text = letter(officer, case_id, "reply", tmp_path)
    assert "本机关已要求您说明理由" in text and "不予处理" in text


def test_reasonable_reasons_that_need_more_time_set_a_later_deadline_with_a_notice(office, tmp_path):
    officer = office["officer"]
    case_id = to_handling(officer)
    officer.complete(case_id, "handle", {"handling_action": "request_reasons",
                                         "reasons_deadline": (today() + timedelta(days=10)).isoformat(),
                                         "reasons_request_text": "一次申请300项信息"})
    too_soon = working_days(today(), 5)
    data = {"reasons_result": "reasonable_later", "reasons_received_on": office_today(), "reasons_statement": "课题研究"}
    body = officer.complete(case_id, "record_reasons", {**data, "later_reply_due_date": too_soon.isoformat()}, status=422)
    assert "later_reply_due_date" in body["fields"]
    later = working_days(today(), 40)
    officer.complete(case_id, "record_reasons", {**data, "later_reply_due_date": later.isoformat()})
    reply = deadline(officer, case_id, "reply")
    assert reply["due_date"] == later.isoformat() and any("第三十五条" in line for line in reply["explanation"])
    text = letter(officer, case_id, "later_deadline_notice", tmp_path)
    assert "第三十五条" in text and f"将于{cn(later)}前作出答复" in text
    assert officer.open_task(case_id, "handle")


def test_not_this_agency_requires_the_reason_and_the_agency_only_when_known(office, tmp_path):
    officer = office["officer"]
    case_id = to_handling(officer)
    body = officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "not_this_agency"},
                            status=422)
    assert "not_this_agency_reason" in body["fields"] and "responsible_agency" not in body["fields"]
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "not_this_agency",
                                         "not_this_agency_reason": "该信息由区级部门制作并保存"})
    approve(office, case_id)
    text = letter(officer, case_id, "reply", tmp_path)
    assert "不属于本机关负责公开，理由是：该信息由区级部门制作并保存" in text


def test_each_withholding_reason_needs_case_specific_reasons_and_the_principal_one_must_be_chosen(office, tmp_path):
    officer = office["officer"]
    case_id = to_handling(officer)
    reasons = ["prohibited_by_law", "process_information"]
    body = officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "withheld",
                                                "withholding_reasons": reasons, "principal_reason": "state_secret"},
                            status=422)
    assert {"reason_detail_prohibited_by_law", "reason_detail_process_information", "prohibited_by_law_name",
            "principal_reason"} <= set(body["fields"])
    officer.complete(case_id, "handle", {
        "handling_action": "draft_reply", "reply_type": "withheld", "withholding_reasons": reasons,
        "reason_detail_prohibited_by_law": "所申请的为未成年人犯罪记录。",
        "reason_detail_process_information": "所申请的会议纪要为讨论过程中形成的记录，尚未形成决定。",
        "prohibited_by_law_name": "《中华人民共和国未成年人保护法》第一百零三条"})
    data = officer.case(case_id)["data"]
    assert data["principal_reason"] == "prohibited_by_law"  # the first chosen, by default
    assert data["withholding_reason_details"]["process_information"].startswith("所申请的会议纪要")
    approve(office, case_id)
    text = letter(officer, case_id, "reply", tmp_path)
    assert "禁止公开该信息的规定为《中华人民共和国未成年人保护法》第一百零三条" in text
    assert "所申请的为未成年人犯罪记录" in text and "尚未形成决定" in text
    assert text.index("法律、行政法规禁止公开") < text.index("未成年人犯罪记录") < text.index("讨论记录、过程稿")


def test_administrative_inquiry_is_a_reply_type_not_a_withholding_reason(office, tmp_path):
    officer = office["officer"]
    case_id = to_handling(officer)
    body = officer.complete(case_id, "handle", {
        "handling_action": "draft_reply", "reply_type": "withheld", "withholding_reasons": ["administrative_inquiry"],
        "reason_detail_administrative_inquiry": "x"}, status=422)
    assert "withholding_reasons" in body["fields"]
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "special_law",
                                         "reply_text": "请依照《不动产登记暂行条例》向不动产登记机构申请查询。"})
    approve(office, case_id)
    text = letter(officer, case_id, "reply", tmp_path)
    assert "第三十六条第（七）项" in text and "应当先向行政复议机关申请行政复议" in text  # 复议前置


def _migration():
    path = Path(__file__).resolve().parent.parent / "app/migrations/versions/0010_disclosure_guard_rails.py"
    spec = importlib.util.spec_from_file_location("migration_0010", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("before, after", [
    ({"reply_type": "withheld", "withholding_reasons": ["administrative_inquiry"]}, {"reply_type": "special_law"}),
    ({"reply_type": "withheld", "withholding_reasons": ["state_secret", "administrative_inquiry"]},
     {"reply_type": "withheld", "withholding_reasons": ["state_secret"]}),
    ({"reply_type": "withheld", "withholding_reasons": ["state_secret", "administrative_inquiry"],
      "principal_reason": "administrative_inquiry"},
     {"reply_type": "special_law", "withholding_reasons": ["state_secret"]}),
    ({"reply_type": "withheld", "withholding_reasons": ["state_secret"]},
     {"reply_type": "withheld", "withholding_reasons": ["state_secret"]}),
])
def test_the_migration_moves_administrative_inquiry_cases_to_special_law(before, after):
    data = dict(before)
    assert _migration().retire_administrative_inquiry(data) is (before != after)
    assert data == after


def test_the_migration_rewrites_stored_cases_and_their_engine_state(app, office):
    from flask_migrate import stamp, upgrade
    officer = office["officer"]
    case_id = to_handling(officer)
    done_id = to_handling(officer)
    case = db.session.get(Case, case_id)
    legacy = {"reply_type": "withheld", "withholding_reasons": ["administrative_inquiry"]}
    case.data = {**case.data, **legacy}
    state = copy.deepcopy(case.engine_state)
    state.setdefault("data", {}).update(legacy)
    case.engine_state = state
    db.session.commit()
    directory = app.extensions["migrate"].directory
    # Run revision 0010 (data only) again over the stored cases, as an upgrade from 0009 would.
    stamp(directory=directory, revision="0009")
    upgrade(directory=directory, revision="0010")
    stamp(directory=directory, revision="head")
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert case.data["reply_type"] == "special_law" and "withholding_reasons" not in case.data
    assert case.engine_state["data"]["reply_type"] == "special_law"
    # Cases that needed no correction keep no correction period.
    assert not db.session.execute(select(CaseClock).where(CaseClock.case_id == done_id,
                                                          CaseClock.name == "correction")).first()


# -- 6. statistics follow the counting rules -------------------------------------------------------------------

def auditor_figures(date_from, date_to):
    auditor = db.session.execute(select(User).where(User.username == "auditor")).scalar_one()
    report = statistics.department_statistics(auditor, date_from, date_to)
    return next(r.figures for r in report.by_process if r.process_key == "disclosure_request")


def test_a_request_needing_no_correction_is_judged_on_the_reply_clock_alone(office):
    officer = office["officer"]
    received = today() - timedelta(days=14)  # the 7-working-day correction period has run out
    case_id = officer.register(received_on=received.isoformat())["id"]
    assert deadline(officer, case_id, "correction")["state"] == "overdue"
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    assert deadline(officer, case_id, "correction") is None  # a period it never needed
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"})
    approve(office, case_id)
    officer.complete(case_id, "record_delivery", {"delivered_by": "email", "delivered_on": office_today()})
    figures = auditor_figures(received, today())
    assert (figures.on_time, figures.late) == (1, 0)


def test_received_counts_and_durations_run_from_the_legal_receipt_date(office):
    officer = office["officer"]
    received = today() - timedelta(days=40)  # registered today, received by post long before
    case_id = officer.register(received_on=received.isoformat())["id"]
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "not_exist"})
    approve(office, case_id)
    officer.complete(case_id, "record_delivery", {"delivered_by": "email", "delivered_on": office_today()})
    on_receipt = auditor_figures(received, received)
    assert on_receipt.received == 1
    this_day = auditor_figures(today(), today())
    assert this_day.received == 0 and this_day.completed == 1
    assert this_day.average_days == 40


# -- the same rules in the browser -----------------------------------------------------------------------------

def test_the_browser_form_shows_the_refusal_beside_the_field_and_keeps_the_input(client, office):
    import re
    from .test_web import csrf, login
    case_id = office["officer"].register(received_on=office_today())["id"]
    task = office["officer"].open_task(case_id, "check_completeness")
    login(client, "officer")
    form = client.get(f"/tasks/{task['id']}").get_data(as_text=True)
    version = re.search(r'name="case_version" value="(\d+)"', form).group(1)
    past = (today() - timedelta(days=1)).isoformat()
    response = client.post(f"/tasks/{task['id']}", data={
        "csrf_token": csrf(form), "case_version": version, "needs_correction": "true",
        "correction_items": "请明确年份", "correction_deadline": past})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "补正期限应当合理" in body and f'value="{past}"' in body and "请明确年份" in body


def test_a_calendar_publication_does_not_move_the_date_promised_in_the_extension_notice(office):
    from app.services import clocks
    officer, head = office["officer"], office["head"]
    case_id = to_handling(officer)
    officer.complete(case_id, "handle", {"handling_action": "request_extension", "extension_reason": "需汇总"})
    head.complete(case_id, "approve_extension", {"extension_decision": "approve"})
    promised = date.fromisoformat(officer.case(case_id)["data"]["extended_due_date"])
    # The year's notice turns the last five working days before the promised date into holidays.
    days, day = [], promised
    while len(days) < 5:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    notice = "\n".join(f"{d},holiday,春节" for d in sorted(days))
    years = calendar.import_year(promised.year, notice, admin)
    clocks.recompute(years, admin, f"{promised.year}年节假日安排已公布")
    db.session.commit()
    reply = deadline(officer, case_id, "reply")
    assert reply["due_date"] == promised.isoformat()  # the commitment stands
    assert any("到期日以承诺日期为准" in line for line in reply["explanation"])  # and the case page says so


def test_the_reply_clock_runs_until_the_reply_is_delivered(office):
    # DOMAIN 3: on time means the reply was delivered within the reply clock, not merely drafted.
    officer = office["officer"]
    case_id = to_handling(officer)
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "not_exist"})
    approve(office, case_id)
    assert deadline(officer, case_id, "reply")["state"] == "running"  # the letter exists, not yet delivered
    officer.complete(case_id, "record_delivery", {"delivered_by": "email", "delivered_on": office_today()})
    reply = deadline(officer, case_id, "reply")
    assert reply["state"] == "met" and any(f"{cn(today())}办结" in line for line in reply["explanation"])


def test_not_corrected_after_the_deadline_also_needs_the_check_recorded(office):
    # The worker may not have fired yet when the registrar records the lapse: the same confirmation is asked.
    officer = office["officer"]
    case_id = officer.register(received_on=office_today())["id"]
    ask_correction(officer, case_id)
    set_case_data(case_id, correction_deadline=(today() - timedelta(days=1)).isoformat())
    body = officer.complete(case_id, "receive_correction", {"correction_result": "not_corrected"}, status=422)
    assert "lapse_check" in body["fields"]
    officer.complete(case_id, "receive_correction", {"correction_result": "not_corrected", "lapse_check": "均未收到"})
    assert officer.case(case_id)["status"] == "withdrawn"
