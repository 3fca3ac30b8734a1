"""Whole disclosure-request lifecycles through the JSON API, letters read back with pdftotext."""
import pytest

from .helpers import Api, office_today, pdf_text


@pytest.fixture
def office(client):
    """The demo office: registrar/handler, confidentiality reviewer, head."""
    return {
        "officer": Api(client, "officer"),
        "reviewer": Api(client, "reviewer"),
        "head": Api(client, "head"),
    }


def reply_letter(api, case, tmp_path):
    docs = [d for d in case["documents"] if d["kind"] == "reply"]
    assert len(docs) == 1
    response = api.get(f"/documents/{docs[0]['id']}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return docs[0], pdf_text(response.data, tmp_path)


def run_to_reply(office, handling: dict) -> dict:
    officer, reviewer, head = office["officer"], office["reviewer"], office["head"]
    case = officer.register()
    assert case["tracking_number"].startswith("YSQ-")
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", {"handling_action": "draft_reply", **handling})
    reviewer.complete(case["id"], "confidentiality_review", {"review_result": "cleared"})
    head.complete(case["id"], "approve_reply", {"approval": "approve"})
    return officer.case(case["id"])


def deliver_and_archive(office, case_id):
    office["officer"].complete(case_id, "record_delivery", {"delivered_by": "email", "delivered_on": "2026-03-20"})
    case = office["officer"].case(case_id)
    assert case["status"] == "archived"
    assert all(t["state"] != "ready" for t in case["tasks"])
    return case


def test_disclosed_request_ends_with_reply_letter_and_archived_case(office, tmp_path):
    case = run_to_reply(office, {"reply_type": "disclosed", "reply_text": "所需信息见附件。"})
    doc, text = reply_letter(office["officer"], case, tmp_path)
    assert "张三" in text
    assert doc["number"] in text.replace(" ", "")
    assert "第三十六条第（二）项" in text
    assert "六十日内" in text and "六个月内" in text
    deliver_and_archive(office, case["id"])


def test_partial_disclosure_cites_article_37_and_requires_reconsideration_first(office, tmp_path):
    case = run_to_reply(office, {"reply_type": "partial", "withholding_reasons": ["third_party_rights"],
                                 "reason_detail_third_party_rights": "名单中含有居民的姓名和住址。",
                                 "reply_text": "涉及个人隐私的部分已作区分处理。"})
    _, text = reply_letter(office["officer"], case, tmp_path)
    assert "第三十七条" in text and "第十五条" in text
    assert "先" in text and "行政复议" in text and "第二十三条" in text
    deliver_and_archive(office, case["id"])


def test_withheld_with_two_reasons_cites_both_articles(office, tmp_path):
    case = run_to_reply(office, {"reply_type": "withheld",
                                 "withholding_reasons": ["process_information", "internal_affairs"],
                                 "reason_detail_process_information": "所申请的会议记录尚在讨论中。",
                                 "reason_detail_internal_affairs": "所申请的排班表属于后勤管理。",
                                 "principal_reason": "process_information"})
    _, text = reply_letter(office["officer"], case, tmp_path)
    assert "第三十六条第（三）项" in text
    assert "第十六条第二款" in text and "第十六条第一款" in text
    assert "第二十三条" in text  # reconsideration before suit for refusals since 2024
    assert case["data"]["withholding_reasons"] == ["process_information", "internal_affairs"]
    deliver_and_archive(office, case["id"])


def test_withheld_without_a_reason_is_refused_naming_the_field(office):
    officer = office["officer"]
    case = officer.register()
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    body = officer.complete(case["id"], "handle", {"handling_action": "draft_reply", "reply_type": "withheld"},
                            status=422)
    assert "withholding_reasons" in body["fields"]
    assert officer.open_task(case["id"], "handle")  # nothing was lost: the task is still open


def test_not_exist_reply_cites_article_36_4(office, tmp_path):
    case = run_to_reply(office, {"reply_type": "not_exist", "reply_text": "经检索，本机关未制作或获取该信息。"})
    _, text = reply_letter(office["officer"], case, tmp_path)
    assert "第三十六条第（四）项" in text
    assert "第二十三条" not in text  # not a refusal to disclose: suit is open directly
    deliver_and_archive(office, case["id"])


def test_not_this_agency_reply_names_the_responsible_agency(office, tmp_path):
    case = run_to_reply(office, {"reply_type": "not_this_agency", "responsible_agency": "示范市住房和城乡建设局",
                                 "not_this_agency_reason": "该信息由住房和城乡建设部门制作并保存",
                                 "responsible_agency_contact": "010-87654321"})
    _, text = reply_letter(office["officer"], case, tmp_path)
    assert "第三十六条第（五）项" in text
    assert "示范市住房和城乡建设局" in text and "010-87654321" in text


def test_correction_notice_then_corrected_request_is_answered(office, tmp_path):
    officer = office["officer"]
    case = officer.register(received_on=office_today())  # a correction is asked before the reply is due
    officer.complete(case["id"], "check_completeness", {
        "needs_correction": True, "correction_items": "请明确所需信息的年份和区域。", "correction_deadline": "2030-12-31"})
    case = officer.case(case["id"])
    notice = [d for d in case["documents"] if d["kind"] == "correction_notice"]
    assert len(notice) == 1
    text = pdf_text(officer.get(f"/documents/{notice[0]['id']}").data, tmp_path)
    assert "请明确所需信息的年份和区域" in text and "第三十条" in text and "张三" in text
    assert notice[0]["number"] in text

    corrected_on = office_today()
    officer.complete(case["id"], "receive_correction", {"correction_result": "corrected", "corrected_on": corrected_on,
                                                        "correction_content": "2025年度城东区老旧小区改造项目清单"})
    officer.complete(case["id"], "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"})
    office["reviewer"].complete(case["id"], "confidentiality_review", {"review_result": "cleared"})
    office["head"].complete(case["id"], "approve_reply", {"approval": "approve"})
    case = officer.case(case["id"])
    _, text = reply_letter(officer, case, tmp_path)
    y, m, d = (int(x) for x in corrected_on.split("-"))
    assert f"{y}年{m}月{d}日" in text and "城东区" in text  # the recital names the corrected application


def test_request_not_corrected_in_time_is_deemed_withdrawn(office):
    # Only after the deadline, and only when a person confirms it (issue 9 §1; see test_disclosure_guard_rails).
    from .test_disclosure_guard_rails import let_correction_deadline_pass
    officer = office["officer"]
    case = officer.register(received_on=office_today())
    officer.complete(case["id"], "check_completeness", {
        "needs_correction": True, "correction_items": "请说明所需信息的名称。", "correction_deadline": "2030-12-31"})
    let_correction_deadline_pass(case["id"])
    officer.complete(case["id"], "confirm_correction_lapse", {"correction_result": "not_corrected",
                                                              "lapse_check": "各收件渠道均未收到"})
    case = officer.case(case["id"])
    assert case["status"] == "withdrawn"
    assert not [t for t in case["tasks"] if t["state"] == "ready"]


def test_extension_approved_by_head_produces_notice_and_only_one_is_allowed(office, tmp_path):
    officer, head = office["officer"], office["head"]
    case = officer.register(received_on=office_today())  # an extension is decided before the reply is due
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", {"handling_action": "request_extension",
                                            "extension_reason": "所需信息分散在多个部门，需要汇总核实。"})
    head.complete(case["id"], "approve_extension", {"extension_decision": "approve"})
    case = officer.case(case["id"])
    notices = [d for d in case["documents"] if d["kind"] == "extension_notice"]
    assert len(notices) == 1
    text = pdf_text(officer.get(f"/documents/{notices[0]['id']}").data, tmp_path)
    assert "需要汇总核实" in text and "二十个工作日" in text.replace("20个工作日", "二十个工作日")
    assert case["data"]["extension_used"] is True

    second = officer.complete(case["id"], "handle", {"handling_action": "request_extension",
                                                     "extension_reason": "仍需时间。"}, status=422)
    assert "不得再次延期" in second["fields"]["extension_used"]
    officer.complete(case["id"], "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"})


def test_extension_rejected_returns_to_handling_without_a_notice(office):
    officer, head = office["officer"], office["head"]
    case = officer.register(received_on=office_today())
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", {"handling_action": "request_extension", "extension_reason": "工作量大"})
    head.complete(case["id"], "approve_extension", {"extension_decision": "reject", "extension_comment": "请按期答复"})
    case = officer.case(case["id"])
    assert not [d for d in case["documents"] if d["kind"] == "extension_notice"]
    assert officer.open_task(case["id"], "handle")
    assert not case["data"].get("extension_used")


def test_third_party_consultation_letter_then_answer_then_reply(office, tmp_path):
    officer = office["officer"]
    case = officer.register()
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", {"handling_action": "consult_third_party", "third_party_name": "示范建设有限公司",
                                            "third_party_kind": "organisation",
                                            "third_party_address": "示范市工业路2号",
                                            "consultation_matter": "拟公开贵公司参与的改造项目合同金额"})
    case = officer.case(case["id"])
    letter = [d for d in case["documents"] if d["kind"] == "third_party_consultation"]
    assert len(letter) == 1
    text = pdf_text(officer.get(f"/documents/{letter[0]['id']}").data, tmp_path)
    assert "示范建设有限公司" in text and "十五个工作日" in text.replace("15个工作日", "十五个工作日")
    officer.complete(case["id"], "record_third_party_answer", {"third_party_answer": "refuse",
                                                               "third_party_answered_on": office_today(),
                                                               "third_party_opinion": "涉及商业秘密"})
    assert officer.open_task(case["id"], "handle")


def test_head_returns_the_draft_with_a_comment_and_the_handler_redrafts(office):
    officer, reviewer, head = office["officer"], office["reviewer"], office["head"]
    case = officer.register()
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"})
    reviewer.complete(case["id"], "confidentiality_review", {"review_result": "cleared"})
    body = head.complete(case["id"], "approve_reply", {"approval": "return"}, status=422)
    assert "approval_comment" in body["fields"]
    head.complete(case["id"], "approve_reply", {"approval": "return", "approval_comment": "请补充获取方式"})
    assert officer.open_task(case["id"], "handle")
    assert not [d for d in officer.case(case["id"])["documents"] if d["kind"] == "reply"]


def test_document_numbers_are_sequential_per_series_without_gaps(office):
    numbers = []
    for _ in range(3):
        case = run_to_reply(office, {"reply_type": "not_exist"})
        numbers += [d["number"] for d in case["documents"] if d["kind"] == "reply"]
    seqs = [int(n.split("〕")[1].rstrip("号")) for n in numbers]
    assert seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2]
    assert all("依复〔" in n for n in numbers)


def test_approving_a_reply_the_law_would_not_accept_is_refused_and_nothing_changes(office):
    # "Already public" must say where the information was published (GIO 36(1)).
    officer, reviewer, head = office["officer"], office["reviewer"], office["head"]
    case = officer.register()
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", {"handling_action": "draft_reply", "reply_type": "already_public"})
    reviewer.complete(case["id"], "confidentiality_review", {"review_result": "cleared"})
    before = head.case(case["id"])
    body = head.complete(case["id"], "approve_reply", {"approval": "approve"}, status=422)
    assert "无法生成" in body["error"]
    after = head.case(case["id"])
    assert after["version"] == before["version"] and after["documents"] == before["documents"]  # the receipt
    assert head.open_task(case["id"], "approve_reply")
