"""Government-information submission (政务信息报送): departments submit items, the office's editors return,
reject or adopt them (本级刊物, 报上级, 领导批示), adopted items are scored from the settings table, an urgent
incident reported late loses points and stays on the on-call view until its follow-up reports close it, the
departments are ranked by month and year (page with chart, CSV, JSON), each department sees its own items and
points, and an issue of 《政务信息》 collects the items adopted for it (PDF read back with pdftotext)."""
import datetime
from zoneinfo import ZoneInfo

import pytest

from .helpers import Api, pdf_text
from .test_web import csrf, login

NOW = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
YEAR, MONTH = NOW.year, NOW.month


def ago(minutes):
    return (NOW - datetime.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def office(client):
    return {"zj": Api(client, "zjofficer"), "wj": Api(client, "wjofficer"), "editor": Api(client, "infoeditor"),
            "head": Api(client, "zjhead")}


def submit(api, title, info_type="dynamic", **extra):
    data = {"title": title, "body": f"{title}。具体情况如下。", "info_type": info_type, **extra}
    return api.ok(api.post("/cases", {"process": "information_report", "data": data}), 201)["id"]


def review(office, case_id, outcome, **extra):
    return office["editor"].complete(case_id, "edit_review", {"review_outcome": outcome, **extra})


def scores(office, **period):
    query = "&".join(f"{k}={v}" for k, v in {"year": YEAR, **period}.items())
    return {d["department_code"]: d for d in office["head"].ok(
        office["head"].get(f"/reports/information-scores?{query}"))["departments"]}


def test_items_reach_each_outcome_and_departments_are_scored_and_ranked(client, office):
    adopted_twice = submit(office["zj"], "住建局推进老旧小区改造")
    review(office, adopted_twice, "adopted", adopted_in=["local", "leader"], leader_instruction="经验做法很好，请推广。")
    returned = submit(office["wj"], "卫健委基层医疗经验")
    review(office, returned, "returned", review_opinion="请补充具体数据")
    office["wj"].complete(returned, "revise_item", {"title": "卫健委基层医疗经验", "body": "全市已建成社区医院25家。"})
    review(office, returned, "adopted", adopted_in=["superior"])
    rejected = submit(office["wj"], "卫健委例行会议", "problem")
    review(office, rejected, "rejected", review_opinion="属于一般性会议信息")

    late = submit(office["zj"], "某小区燃气泄漏", "urgent", event_occurred_at=ago(90))
    on_time = submit(office["wj"], "某医院停电", "urgent", event_occurred_at=ago(50), phone_reported_at=ago(30),
                     submitted_at=ago(5))
    assert office["zj"].case(late)["data"]["first_report_late"] is True
    assert "超过30分钟的时限" in office["zj"].case(late)["data"]["late_reason"]
    assert office["wj"].case(on_time)["data"]["first_report_late"] is False
    review(office, late, "adopted", adopted_in=["local"])
    review(office, on_time, "rejected", review_opinion="已由其他渠道报送")

    table = scores(office)
    assert (table["ZJJ"]["points"], table["ZJJ"]["adopted"], table["ZJJ"]["submitted"], table["ZJJ"]["late"]) \
        == (1 + 5 + 1 - 2, 2, 2, 1)
    assert (table["WJW"]["points"], table["WJW"]["adopted"], table["WJW"]["submitted"], table["WJW"]["late"]) \
        == (3, 1, 3, 0)
    assert (table["ZJJ"]["rank"], table["WJW"]["rank"]) == (1, 2)
    assert scores(office, month=MONTH) == table
    assert scores(office, year=YEAR - 1) == {}

    # The department sees its own items and why it has its points, and nobody else's.
    mine = client.get("/information/mine")  # not logged in: the login page
    assert mine.status_code == 302
    login(client, "zjofficer")
    page = client.get("/information/mine").get_data(as_text=True)
    assert "住建局推进老旧小区改造" in page and "领导批示（5）" in page and "迟报" in page
    assert "卫健委基层医疗经验" not in page
    assert client.get("/information/ranking").status_code == 403


def test_an_urgent_incident_stays_on_call_until_its_follow_up_reports_close_it(client, office):
    case_id = submit(office["zj"], "某路段塌陷", "urgent", event_occurred_at=ago(120), phone_reported_at=ago(80))
    review(office, case_id, "adopted", adopted_in=["superior"])
    login(client, "infoeditor")
    page = client.get("/information/on-call").get_data(as_text=True)
    assert "某路段塌陷" in page and "迟报" in page and "分钟才电话首报" in page
    office["zj"].complete(case_id, "follow_up", {"follow_up_text": "已封闭路段，正在抢修。", "incident_closed": False})
    assert "某路段塌陷" in client.get("/information/on-call").get_data(as_text=True)
    office["zj"].complete(case_id, "follow_up", {"follow_up_text": "抢修完毕，恢复通行。", "incident_closed": True})
    assert "某路段塌陷" not in client.get("/information/on-call").get_data(as_text=True)
    assert office["zj"].case(case_id)["status"] == "completed"
    assert scores(office)["ZJJ"]["points"] == 3 - 2


def test_the_scoring_table_is_a_setting(app, client, office):
    app.config["INFORMATION_SCORES"] = {"leader": 8, "late": -3}
    case_id = submit(office["zj"], "住建局重要信息")
    review(office, case_id, "adopted", adopted_in=["leader"], leader_instruction="请抓好落实。")
    assert scores(office)["ZJJ"]["points"] == 8


def test_the_time_limits_of_urgent_reports_are_settings(app, office):
    app.config["INFORMATION_URGENT_LIMITS"] = {"first_report_minutes": 120, "written_report_minutes": 180}
    case_id = submit(office["zj"], "某工地事故", "urgent", event_occurred_at=ago(90))
    assert office["zj"].case(case_id)["data"]["first_report_late"] is False


def test_the_editors_must_say_where_an_item_was_adopted_and_what_the_leader_wrote(office):
    case_id = submit(office["zj"], "住建局信息")
    refused = office["editor"].complete(case_id, "edit_review", {"review_outcome": "adopted"}, status=422)
    assert "adopted_in" in refused["fields"]
    refused = office["editor"].complete(case_id, "edit_review", {"review_outcome": "adopted", "adopted_in": ["leader"]},
                                        status=422)
    assert "leader_instruction" in refused["fields"]
    refused = office["editor"].complete(case_id, "edit_review", {"review_outcome": "rejected"}, status=422)
    assert "review_opinion" in refused["fields"]


def test_bad_times_and_urgent_items_without_an_event_time_are_refused_by_field(office):
    api = office["zj"]
    data = {"title": "事故", "body": "情况", "info_type": "urgent"}
    refused = api.ok(api.post("/cases", {"process": "information_report", "data": data}), 422)
    assert "event_occurred_at" in refused["fields"]
    refused = api.ok(api.post("/cases", {"process": "information_report",
                                         "data": {**data, "event_occurred_at": "2026-13-45 10:00"}}), 422)
    assert "不是有效的时间" in refused["fields"]["event_occurred_at"]
    refused = api.ok(api.post("/cases", {"process": "information_report",
                                         "data": {**data, "event_occurred_at": ago(10), "phone_reported_at": ago(20)}}), 422)
    assert "不能早于事件发生时间" in refused["fields"]["phone_reported_at"]


def test_the_ranking_page_has_a_chart_and_a_csv_and_checks_its_period(client, office):
    review(office, submit(office["zj"], "住建局信息"), "adopted", adopted_in=["superior"])
    review(office, submit(office["wj"], "卫健委信息", "urgent", event_occurred_at=ago(200)), "rejected",
           review_opinion="不予采用")
    login(client, "zjhead")
    page = client.get(f"/information/ranking?year={YEAR}&month={MONTH}").get_data(as_text=True)
    assert "<svg" in page and "住房和城乡建设局：3分" in page and "卫生健康委员会：-2分" in page
    csv = client.get(f"/information/ranking?year={YEAR}&format=csv")
    text = csv.get_data(as_text=True)
    assert csv.mimetype == "text/csv" and text.startswith("\ufeff排名,单位,得分")
    assert "1,住房和城乡建设局,3,1,1,0" in text and "2,卫生健康委员会,-2,0,1,1" in text
    bad = client.get("/information/ranking?year=abcd&month=13")
    assert bad.status_code == 422 and "年份应为四位数字" in bad.get_data(as_text=True)
    api = office["head"].get("/reports/information-scores?year=2026&month=0")
    assert api.status_code == 422 and "month" in api.get_json()["fields"]
    assert Api(client, "zjofficer").get(f"/reports/information-scores?year={YEAR}").status_code == 403


def test_an_issue_of_the_bulletin_collects_the_items_adopted_for_it(client, office, tmp_path):
    first = submit(office["zj"], "住建局推进加装电梯")
    review(office, first, "adopted", adopted_in=["local"], edited_body="全市今年已加装电梯120部。")
    upward = submit(office["wj"], "卫健委只报上级的信息")
    review(office, upward, "adopted", adopted_in=["superior"])
    login(client, "infoeditor")
    token = csrf(client.get("/information/bulletin").get_data(as_text=True))
    assert client.post("/information/bulletin", data={"csrf_token": token}).status_code == 302
    page = client.get("/information/bulletin").get_data(as_text=True)
    assert f"{YEAR}年第1期" in page
    from app.models import InformationBulletin
    from app.extensions import db
    issue = db.session.query(InformationBulletin).one()
    text = pdf_text(client.get(f"/information/bulletin/{issue.id}.pdf").data, tmp_path)
    assert "政务信息" in text and f"{YEAR}年第1期" in text
    assert "住建局推进加装电梯" in text and "全市今年已加装电梯120部" in text and "住房和城乡建设局报送" in text
    assert "卫健委只报上级的信息" not in text
    # Nothing left to collect: no empty issue, and no number used.
    response = client.post("/information/bulletin", data={"csrf_token": token}, follow_redirects=True)
    assert "没有待编入《政务信息》的采用信息" in response.get_data(as_text=True)
    review(office, submit(office["zj"], "住建局第二条信息"), "adopted", adopted_in=["local"])
    client.post("/information/bulletin", data={"csrf_token": token})
    assert f"{YEAR}年第2期" in client.get("/information/bulletin").get_data(as_text=True)
