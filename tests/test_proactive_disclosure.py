"""Proactive disclosure (主动公开, GIO ch. III): a department drafts an item, the confidentiality office reviews
it before anything is published (先审后发, GIO 17), the department's head approves, and the item enters the public
catalogue with an index number allocated without gaps; the GIO 26 clock (20 working days from creation or change)
runs and is explained; corrections and withdrawal are case steps with reasons, kept in the history and shown by
the catalogue; an item refused in review never appears."""
import io
import re

import pytest

from app.extensions import db
from app.models import CatalogueItem
from app.proactive import catalogue

from .helpers import Api, office_today

YEAR = office_today()[:4]
ITEM = {
    "title": "2026年老旧小区改造计划",
    "category": "plans",
    "topic": "construction",
    "written_on": office_today(),
    "issuer": "示范市住房和城乡建设局",
    "legal_basis": "《政府信息公开条例》第十九条、第二十条",
    "body": "今年计划改造老旧小区42个。\n涉及居民1.2万户。",
}


@pytest.fixture
def office(client):
    return {"drafter": Api(client, "zjofficer"), "reviewer": Api(client, "reviewer"), "head": Api(client, "zjhead"),
            "other_drafter": Api(client, "wjofficer")}


def public(client, **params):
    response = client.get("/api/public/v1/catalogue", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def draft(office, **overrides):
    case = office["drafter"].ok(office["drafter"].post(
        "/cases", {"process": "proactive_disclosure", "data": {**ITEM, **overrides}}), 201)
    office["drafter"].complete(case["id"], "prepare_item", {})
    return case["id"]


def review_and_approve(office, case_id):
    office["reviewer"].complete(case_id, "secrecy_review", {"secrecy_result": "cleared"})
    office["head"].complete(case_id, "approve_publication", {"approval_result": "approved"})


def test_an_item_goes_from_draft_through_review_and_approval_into_the_catalogue(client, office):
    case_id = draft(office)
    assert public(client, q="老旧小区")["total"] == 0  # not before review and approval
    review_and_approve(office, case_id)

    found = public(client, q="老旧小区 改造")
    assert found["total"] == 1
    entry = found["items"][0]
    assert entry["index_number"] == f"DEMO-03-{YEAR}-0001"
    assert (entry["title"], entry["category"], entry["issuer"]) == (ITEM["title"], "plans", ITEM["issuer"])
    assert entry["published_on"] == office_today()
    assert public(client, category="plans", year=YEAR)["total"] == 1
    assert public(client, category="budget")["total"] == 0
    assert "规划计划（1）" in client.get(f"/catalogue/?year={YEAR}").get_data(as_text=True)

    page = client.get(f"/catalogue/items/{entry['index_number']}")
    assert page.status_code == 200 and "涉及居民1.2万户" in page.get_data(as_text=True)
    assert ITEM["title"] in client.get("/catalogue/feed.atom").get_data(as_text=True)
    assert f"/catalogue/items/{entry['index_number']}" in client.get("/catalogue/sitemap.xml").get_data(as_text=True)

    case = office["drafter"].case(case_id)
    assert case["data"]["index_number"] == entry["index_number"]
    [clock] = [d for d in case["deadlines"] if d["name"] == "publication"]
    assert clock["state"] == "met"
    assert clock["title"] == "主动公开期限"
    assert clock["explanation"][0].endswith("政府信息形成或者变更（第0日）")
    history = office["drafter"].ok(office["drafter"].get(f"/cases/{case_id}/history"))
    assert any("发布到政府信息公开目录" in e["summary"] for e in history)


def test_the_gio_26_clock_counts_20_working_days_from_the_day_the_information_was_made(client, office):
    case = office["drafter"].ok(office["drafter"].post(
        "/cases", {"process": "proactive_disclosure", "data": {**ITEM, "written_on": "2025-09-26"}}), 201)
    [clock] = [d for d in case["deadlines"] if d["name"] == "publication"]
    # Fri 2025-09-26 + 20 working days, skipping the National Day break and counting the make-up Saturday.
    assert clock["due_date"] == "2025-10-30"
    assert clock["title"] == "主动公开期限"


def test_an_item_refused_in_confidentiality_review_never_appears_and_uses_no_index_number(client, office):
    refused = draft(office, title="涉密的内部请示")
    office["reviewer"].complete(refused, "secrecy_review", {"secrecy_result": "refused",
                                                            "secrecy_opinion": "涉及国家秘密，不得公开"})
    assert office["drafter"].case(refused)["status"] == "completed"
    assert public(client, q="内部请示")["total"] == 0
    assert db.session.query(CatalogueItem).count() == 0

    published = draft(office)
    review_and_approve(office, published)
    assert public(client)["items"][0]["index_number"] == f"DEMO-03-{YEAR}-0001"  # no gap for the refused draft


def test_the_review_must_give_reasons_to_refuse_and_the_head_may_send_it_back(client, office):
    case_id = draft(office)
    refused = office["reviewer"].complete(case_id, "secrecy_review", {"secrecy_result": "refused"}, status=422)
    assert "secrecy_opinion" in refused["fields"]
    office["reviewer"].complete(case_id, "secrecy_review", {"secrecy_result": "cleared"})
    office["head"].complete(case_id, "approve_publication", {"approval_result": "returned",
                                                             "approval_opinion": "请补充改造资金来源"})
    # Back to the drafter, then through the review again: 先审后发 holds for the revised text too.
    office["drafter"].complete(case_id, "prepare_item", {"body": ITEM["body"] + "\n资金来源：中央补助和市级财政。"})
    assert public(client)["total"] == 0
    review_and_approve(office, case_id)
    assert public(client, q="中央补助")["total"] == 1


def test_a_draft_needs_a_body_or_a_file(client, office):
    case = office["drafter"].ok(office["drafter"].post(
        "/cases", {"process": "proactive_disclosure", "data": {**ITEM, "body": ""}}), 201)
    refused = office["drafter"].complete(case["id"], "prepare_item", {}, status=422)
    assert refused["fields"]["body"] == "正文和附件至少提供一项"


def test_published_files_are_served_to_the_public_and_nothing_else(client, office):
    case = office["drafter"].ok(office["drafter"].post(
        "/cases", {"process": "proactive_disclosure", "data": {**ITEM, "body": ""}}), 201)
    api = office["drafter"]
    upload = client.post(f"/api/v1/cases/{case['id']}/attachments", headers=api.headers,
                         data={"file": (io.BytesIO("改造项目清单\n".encode()), "清单.txt")})
    internal = client.post(f"/api/v1/cases/{case['id']}/attachments", headers=api.headers,
                           data={"file": (io.BytesIO("内部工作记录\n".encode()), "记录.txt")})
    file_id, internal_id = upload.get_json()["id"], internal.get_json()["id"]
    api.complete(case["id"], "prepare_item", {"files": [file_id]})
    review_and_approve(office, case["id"])
    number = public(client)["items"][0]["index_number"]
    download = client.get(f"/catalogue/items/{number}/files/{file_id}")
    assert download.status_code == 200 and "改造项目清单" in download.get_data(as_text=True)
    assert client.get(f"/catalogue/items/{number}/files/{internal_id}").status_code == 404


def test_a_correction_goes_through_review_again_and_the_catalogue_shows_it(client, office):
    case_id = draft(office)
    review_and_approve(office, case_id)
    number = public(client)["items"][0]["index_number"]

    refused = office["drafter"].complete(case_id, "maintain_item", {"maintenance_action": "correct"}, status=422)
    assert {"maintenance_reason", "changed_on"} <= set(refused["fields"])
    office["drafter"].complete(case_id, "maintain_item", {
        "maintenance_action": "correct", "maintenance_reason": "改造小区数量统计有误",
        "changed_on": office_today(), "body": "今年计划改造老旧小区45个。\n涉及居民1.3万户。"})
    # Until the correction is reviewed and approved, the catalogue keeps the published text.
    assert "42个" in client.get(f"/catalogue/items/{number}").get_data(as_text=True)
    review_and_approve(office, case_id)

    page = client.get(f"/catalogue/items/{number}").get_data(as_text=True)
    assert "45个" in page and "42个" not in page
    assert "更正说明" in page and "改造小区数量统计有误" in page and "正文" in page
    assert public(client)["items"][0]["index_number"] == number  # the index number stays
    history = office["drafter"].ok(office["drafter"].get(f"/cases/{case_id}/history"))
    assert any("更正已公开信息" in e["summary"] and "改造小区数量统计有误" in e["summary"] for e in history)


def test_published_content_changes_only_through_a_correction(client, office):
    case_id = draft(office)
    review_and_approve(office, case_id)
    refused = office["drafter"].complete(case_id, "maintain_item", {"maintenance_action": "keep",
                                                                    "body": "悄悄改过的正文"}, status=422)
    assert refused["fields"]["body"] == "只有选择“更正”才能修改已公开信息的正文"
    office["drafter"].complete(case_id, "maintain_item", {"maintenance_action": "keep", "body": ITEM["body"]})
    assert office["drafter"].case(case_id)["status"] == "completed"
    assert public(client)["total"] == 1  # closing the case leaves the item published


def test_withdrawing_a_published_item_takes_it_out_of_the_catalogue_and_the_feed(client, office):
    case_id = draft(office)
    review_and_approve(office, case_id)
    number = public(client)["items"][0]["index_number"]
    office["drafter"].complete(case_id, "maintain_item", {"maintenance_action": "withdraw",
                                                          "maintenance_reason": "该计划已被新计划替代"})
    assert public(client)["total"] == 0
    assert client.get(f"/catalogue/items/{number}").status_code == 404
    assert ITEM["title"] not in client.get("/catalogue/feed.atom").get_data(as_text=True)
    assert number not in client.get("/catalogue/sitemap.xml").get_data(as_text=True)
    history = office["drafter"].ok(office["drafter"].get(f"/cases/{case_id}/history"))
    assert any("撤回" in e["summary"] and "该计划已被新计划替代" in e["summary"] for e in history)
    # Counted for the annual report in the year it was published all the same.
    assert catalogue.counts_by_category(int(YEAR))["plans"] == 1


def test_another_departments_drafter_cannot_work_the_item(client, office):
    case = office["drafter"].ok(office["drafter"].post(
        "/cases", {"process": "proactive_disclosure", "data": ITEM}), 201)
    task = office["drafter"].open_task(case["id"], "prepare_item")
    other = office["other_drafter"]
    response = other.post(f"/tasks/{task['id']}/complete", {"data": {}, "case_version": case["version"]})
    assert response.status_code == 403


def test_bad_catalogue_queries_get_clear_messages(client):
    response = client.get("/api/public/v1/catalogue?year=abc&category=nope")
    assert response.status_code == 422
    body = response.get_json()
    assert set(body["fields"]) == {"year", "category"} and "年份" in body["fields"]["year"]
    page = client.get("/catalogue/?year=20x6")
    assert page.status_code == 422 and "年份应为四位数字" in page.get_data(as_text=True)
    assert client.get("/catalogue/items/NO-SUCH").status_code == 404


def test_the_forms_offer_exactly_the_catalogue_categories(bpmn_dir):
    import json
    from app.proactive import codes
    for name in ("proactive_draft.json", "proactive_prepare.json"):
        form = json.loads((bpmn_dir / "forms" / name).read_text(encoding="utf-8"))
        assert [o["const"] for o in form["properties"]["category"]["oneOf"]] == list(codes.CATEGORIES)
        assert [o["const"] for o in form["properties"]["topic"]["oneOf"]] == list(codes.TOPICS)


def test_the_catalogue_escapes_what_officers_typed(client, office):
    case_id = draft(office, title="<script>alert(1)</script>计划")
    review_and_approve(office, case_id)
    number = public(client)["items"][0]["index_number"]
    assert "<script>alert(1)" not in client.get(f"/catalogue/items/{number}").get_data(as_text=True)
    assert "<script>alert(1)" not in client.get("/catalogue/feed.atom").get_data(as_text=True)
    assert re.search(r"&lt;script&gt;", client.get("/catalogue/?q=计划").get_data(as_text=True))


def test_through_the_browser_the_drafter_registers_and_the_case_page_explains_the_clock(client, office):
    from .test_web import csrf, login
    login(client, "zjofficer")
    form = client.get("/cases/new/proactive_disclosure").get_data(as_text=True)
    assert "信息类别（条例第二十条）" in form and "成文日期" in form
    response = client.post("/cases/new/proactive_disclosure", data={**ITEM, "csrf_token": csrf(form)})
    assert response.status_code == 302
    case_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "主动公开期限" in case_page and "政府信息形成或者变更（第0日）" in case_page
    assert "整理拟公开信息并提交保密审查" in case_page


def test_the_feed_and_the_sitemap_are_well_formed_xml(client, office):
    from lxml import etree
    review_and_approve(office, draft(office, title="收费标准 & 依据 <2026>"))
    feed = etree.fromstring(client.get("/catalogue/feed.atom").data)
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}entry/{atom}title").text == "收费标准 & 依据 <2026>"
    sitemap = etree.fromstring(client.get("/catalogue/sitemap.xml").data)
    assert len(sitemap) == 2  # the catalogue's front page and the item


def test_the_gio_26_clock_reminds_whoever_holds_the_item_and_says_when_it_is_overdue(client, office):
    from sqlalchemy import select

    from app.models import Notification, User
    from app.services import timers

    from .test_worker import age_timers

    def told(username):
        user = db.session.execute(select(User).where(User.username == username)).scalar_one()
        db.session.expire_all()
        return [n.message for n in db.session.execute(select(Notification).where(Notification.user_id == user.id))
                .scalars()]

    case_id = draft(office)  # now waiting for the confidentiality review
    age_timers(case_id, {"remind_secrecy_review"})
    assert timers.run_once() >= 1
    [reminder] = told("reviewer")
    assert "主动公开期限将于" in reminder and "第二十六条" in reminder
    assert told("zjofficer") == [] and told("wjofficer") == []  # only whoever holds the step
    age_timers(case_id, {"overdue_secrecy_review"})
    assert timers.run_once() >= 1
    assert any("已超过主动公开期限" in m for m in told("reviewer"))
    review_and_approve(office, case_id)  # the timers go with the steps: the item is published all the same
    assert public(client)["total"] == 1
