"""The public side through its JSON API: online filing (GIO 29, 31; XF 17–18), the receipt, the status lookup,
electronic delivery, and what the public must never see."""
import datetime
import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case, CaseEvent, PublicAccess, PublicDownload, User
from app.public import filing

from .helpers import Api, pdf_text
from .public_helpers import CREDIT_CODE, DISCLOSURE, PETITION, case_id_of, file_online, look_up
from .test_lifecycle_api import office  # noqa: F401  (fixture)


def test_an_online_disclosure_request_becomes_a_case_in_the_registrars_inbox(client, office):
    filed = file_online(client, "disclosure-requests", DISCLOSURE)
    assert filed["tracking_number"].startswith("YSQ-")
    assert len(filed["query_code"].replace("-", "")) == 16
    officer = office["officer"]
    case = officer.case(case_id_of(officer, filed["tracking_number"]))
    assert case["data"]["channel"] == "online"
    assert case["data"]["received_on"] == filed["received_on"]
    assert [t["spec_name"] for t in case["tasks"] if t["state"] == "ready"] == ["check_completeness"]
    assert db.session.get(Case, case["id"]).department.code == "GKB"


def test_an_organisation_files_with_its_unified_social_credit_code(client):
    data = {**DISCLOSURE, "applicant_type": "commercial_enterprise", "applicant_name": "示范科技有限公司",
            "org_credit_code": CREDIT_CODE.lower()}
    del data["id_type"], data["id_number"]
    filed = file_online(client, "disclosure-requests", data)
    case = db.session.execute(select(Case).where(Case.tracking_number == filed["tracking_number"])).scalar_one()
    assert case.data["org_credit_code"] == CREDIT_CODE  # stored as the standard writes it


def test_wrong_identity_numbers_and_contacts_are_refused_naming_each_field_and_nothing_is_stored(client):
    before = db.session.execute(select(func.count(Case.id))).scalar()
    body = file_online(client, "disclosure-requests", {
        **DISCLOSURE, "id_number": "110105194912310021", "contact_phone": "12345", "contact_email": "wang@",
        "description": ""}, status=422)
    assert set(body["fields"]) == {"id_number", "contact_phone", "contact_email", "description"}
    assert "校验位不正确" in body["fields"]["id_number"]
    assert "010-12345678" in body["fields"]["contact_phone"]
    for message in [body["error"], *body["fields"].values()]:
        assert not any(word in message for word in ("pattern", "regex", "required", "^", "$"))
    organisation = file_online(client, "disclosure-requests", {
        **DISCLOSURE, "applicant_type": "research_institution", "org_credit_code": "91350100M000100Y44"}, status=422)
    assert "统一社会信用代码校验位不正确" in organisation["fields"]["org_credit_code"]
    db.session.remove()
    assert db.session.execute(select(func.count(Case.id))).scalar() == before


def test_fields_the_public_may_not_set_are_refused(client):
    body = file_online(client, "disclosure-requests", {**DISCLOSURE, "received_on": "2020-01-01",
                                                       "channel": "in_person"}, status=422)
    assert set(body["fields"]) == {"received_on", "channel"}
    body = client.post("/api/public/v1/petitions", data="not json", content_type="application/json")
    assert body.status_code == 422 and body.get_json()["error"]


def test_a_filing_on_a_rest_day_is_received_on_the_next_working_day(app):
    # National Day 2026: 10-01 to 10-07 off, Saturday 10-10 a make-up working day.
    assert filing.receipt_date(datetime.date(2026, 10, 3)) == datetime.date(2026, 10, 8)
    assert filing.receipt_date(datetime.date(2026, 10, 10)) == datetime.date(2026, 10, 10)
    assert filing.receipt_date(datetime.date(2026, 3, 2)) == datetime.date(2026, 3, 2)
    app.config["PUBLIC_REST_DAY_NEXT_WORKING_DAY"] = False
    assert filing.receipt_date(datetime.date(2026, 10, 3)) == datetime.date(2026, 10, 3)


def test_the_receipt_names_the_number_the_receipt_date_and_the_periods_but_never_the_query_code(client, tmp_path):
    filed = file_online(client, "disclosure-requests", DISCLOSURE)
    response = client.get(filed["receipt_document_url"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert filed["tracking_number"] in text and "回执" in text and "20个工作日" in text
    received = datetime.date.fromisoformat(filed["received_on"])
    assert f"{received.year}年{received.month}月{received.day}日" in text
    assert filed["query_code"].replace("-", "") not in text.replace("-", "")
    assert client.get(filed["receipt_document_url"] + "x").status_code == 404


def test_the_query_code_is_stored_only_as_a_keyed_hash(client):
    filed = file_online(client, "disclosure-requests", DISCLOSURE)
    case = db.session.execute(select(Case).where(Case.tracking_number == filed["tracking_number"])).scalar_one()
    stored = db.session.get(PublicAccess, case.id).code_hash
    code = filed["query_code"]
    assert code not in stored and code.replace("-", "") not in stored
    everything = json.dumps(case.data, ensure_ascii=False) + "".join(
        json.dumps(e.payload, ensure_ascii=False) + e.summary
        for e in db.session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id)).scalars())
    assert code not in everything and code.replace("-", "") not in everything


def test_the_status_shows_stage_received_date_and_deadline_with_its_explanation(client):
    filed = file_online(client, "disclosure-requests", DISCLOSURE)
    # People type the code in lower case and without the dashes.
    status = look_up(client, filed["tracking_number"], filed["query_code"].replace("-", "").lower())
    assert status["stage"] == "已收到申请，正在审查申请内容是否明确、完整"
    assert status["status"] == "办理中" and status["received_on"] == filed["received_on"]
    (reply,) = [d for d in status["deadlines"] if d["name"] == "答复期限"]
    assert reply["state"] == "running" and reply["explanation"][0].startswith("《政府信息公开条例》第三十三条")
    assert any("第0日" in line for line in reply["explanation"])
    assert [d["title"] for d in status["documents"]] == ["网上政府信息公开申请回执"]


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client):
    filed = file_online(client, "disclosure-requests", DISCLOSURE)
    wrong_code = client.get(f"/api/public/v1/cases/{filed['tracking_number']}", query_string={"query_code": "A" * 16})
    unknown = client.get("/api/public/v1/cases/YSQ-2026-999999", query_string={"query_code": filed["query_code"]})
    no_code = client.get(f"/api/public/v1/cases/{filed['tracking_number']}")
    assert wrong_code.status_code == unknown.status_code == no_code.status_code == 404
    assert wrong_code.get_json() == unknown.get_json() == no_code.get_json()
    # A case registered by an officer (no query code) is not reachable either.
    officer = Api(client, "officer")
    registered = officer.register()
    other = client.get(f"/api/public/v1/cases/{registered['tracking_number']}", query_string={"query_code": "x"})
    assert other.status_code == 404 and other.get_json() == unknown.get_json()


def test_the_reply_is_downloaded_from_the_status_and_the_first_download_is_recorded_as_delivery(
        client, office, tmp_path):
    filed = file_online(client, "disclosure-requests", DISCLOSURE)
    officer, reviewer, head = office["officer"], office["reviewer"], office["head"]
    case_id = case_id_of(officer, filed["tracking_number"])
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "disclosed",
                                         "reply_text": "所需信息见附件。"})
    reviewer.complete(case_id, "confidentiality_review", {"review_result": "cleared"})
    head.complete(case_id, "approve_reply", {"approval": "approve"})

    status = look_up(client, filed["tracking_number"], filed["query_code"])
    assert status["stage"] == "答复已作出，正在送达"
    (reply,) = [d for d in status["documents"] if d["title"].endswith("答复书")]
    assert reply["delivered_online"] is False
    unauthenticated = client.get(reply["url"])
    assert unauthenticated.status_code == 404
    response = client.get(reply["url"], headers={"X-Query-Code": filed["query_code"]})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "王小明" in pdf_text(response.data, tmp_path)
    client.get(reply["url"], headers={"X-Query-Code": filed["query_code"]})  # a second download changes nothing

    assert db.session.execute(select(func.count()).select_from(PublicDownload)).scalar() == 1
    history = officer.ok(officer.get(f"/cases/{case_id}/history"))
    assert [e["summary"] for e in history if e["type"] == "document_delivered_online"] == [
        f"申请人首次在网上下载{reply['title']}（电子送达）"]
    status = look_up(client, filed["tracking_number"], filed["query_code"])
    assert [d["delivered_online"] for d in status["documents"] if d["title"] == reply["title"]] == [True]


def test_the_status_never_shows_officers_internal_comments_or_other_peoples_data(client, office):
    filed = file_online(client, "disclosure-requests", DISCLOSURE)
    officer = office["officer"]
    case_id = case_id_of(officer, filed["tracking_number"])
    from app.services import comments
    comments.add(db.session.execute(select(User).where(User.username == "officer")).scalar_one(),
                 case_id, "内部意见：此人多次申请，注意口径")
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    officer.complete(case_id, "handle", {"handling_action": "consult_third_party", "third_party_name": "示范建设有限公司",
                                         "third_party_address": "示范市工业路2号", "third_party_kind": "organisation",
                                         "consultation_matter": "拟公开贵公司参与的改造项目合同金额"})
    text = json.dumps(look_up(client, filed["tracking_number"], filed["query_code"]), ensure_ascii=False)
    assert "正在征求第三方意见" in text
    for secret in ("示范建设有限公司", "工业路", "合同金额", "征求第三方意见书", "内部意见", "注意口径",
                   "办事人员", "officer", "第三方答复期限"):
        assert secret not in text, secret
    for user in db.session.execute(select(User)).scalars():
        assert user.display_name not in text and user.username not in text


def test_an_online_petition_reaches_the_petition_office_and_the_petitioner_evaluates_and_asks_for_review(client):
    filed = file_online(client, "petitions", PETITION)
    assert filed["tracking_number"].startswith("XF-")
    registrar, handler = Api(client, "xfofficer"), Api(client, "officer")
    case_id = case_id_of(registrar, filed["tracking_number"])
    status = look_up(client, filed["tracking_number"], filed["query_code"])
    assert status["stage"] == "已收到信访事项，正在审查是否受理"
    assert {d["name"] for d in status["deadlines"]} == {"受理告知期限"}

    registrar.complete(case_id, "intake_decision", {"intake_decision": "accept",
                                                    "intake_decided_on": filed["received_on"],
                                                    "handling_unit": "GKB", "handling_department": "政务公开办"})
    handler.complete(case_id, "handle_petition", {"handling_action": "reply", "outcome": "not_support",
                                                  "handling_opinion": "经调查核实，该工地已取得夜间施工许可。",
                                                  "opinion_legal_basis": "《中华人民共和国噪声污染防治法》第四十三条"})
    status = look_up(client, filed["tracking_number"], filed["query_code"])
    assert status["may_evaluate"] is True and status["may_request_review"] is True
    titles = [d["title"] for d in status["documents"]]
    assert "信访处理意见书" in titles and "信访事项受理告知书" in titles
    assert "政务公开办" not in json.dumps(status, ensure_ascii=False)  # who handles it internally is not shown

    opinion = next(d for d in status["documents"] if d["title"] == "信访处理意见书")
    assert client.get(opinion["url"], query_string={"query_code": filed["query_code"]}).status_code == 200
    assert look_up(client, filed["tracking_number"], filed["query_code"])["may_request_review"] is True
    from app.public import status as public_status
    public_status.evaluate(filed["tracking_number"], filed["query_code"], "dissatisfied", "没有解决问题")
    case = registrar.case(case_id)
    assert case["data"]["satisfaction"] == "dissatisfied"
    assert case["data"]["reply_received_on"]  # the day the opinion was downloaded: the review window starts there
    with pytest.raises(Exception):
        public_status.evaluate(filed["tracking_number"], filed["query_code"], "satisfied", "")  # only once

    review = public_status.request_review(filed["tracking_number"], filed["query_code"], "噪声仍然严重。")
    assert review.tracking_number.startswith("XFFC-")
    # The petitioner follows the review with the same query code.
    assert look_up(client, review.tracking_number, filed["query_code"])["stage"] == "已收到复查（复核）请求，正在办理"
    again = client.get(f"/api/public/v1/cases/{filed['tracking_number']}", query_string={"query_code": filed["query_code"]})
    assert again.get_json()["may_request_review"] is False


def test_the_public_openapi_lists_the_contract(client):
    spec = client.get("/api/public/v1/openapi.json").get_json()
    assert {"/api/public/v1/disclosure-requests", "/api/public/v1/petitions",
            "/api/public/v1/cases/{tracking_number}"} <= set(spec["paths"])
    filed = spec["paths"]["/api/public/v1/disclosure-requests"]["post"]["responses"]
    assert {"201", "422", "429"} <= set(filed)
    assert set(filed["201"]["content"]["application/json"]["schema"]["required"]) == {
        "tracking_number", "query_code", "received_on", "receipt_document_url"}


def test_an_extension_shows_in_the_status_with_its_notice_and_the_new_date_explained(client, office):
    filed = file_online(client, "disclosure-requests", DISCLOSURE)
    officer, head = office["officer"], office["head"]
    case_id = case_id_of(officer, filed["tracking_number"])
    before = look_up(client, filed["tracking_number"], filed["query_code"])
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    officer.complete(case_id, "handle", {"handling_action": "request_extension", "extension_reason": "需要调取档案"})
    head.complete(case_id, "approve_extension", {"extension_decision": "approve"})
    status = look_up(client, filed["tracking_number"], filed["query_code"])
    (old,) = [d for d in before["deadlines"] if d["name"] == "答复期限"]
    (new,) = [d for d in status["deadlines"] if d["name"] == "答复期限"]
    assert new["due_date"] > old["due_date"]
    assert any("延长" in line for line in new["explanation"])
    assert "政府信息公开申请延期答复告知书" in [d["title"] for d in status["documents"]]
