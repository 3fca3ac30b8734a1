"""Department statistics: each figure counted from cases with known outcomes, period boundaries in office
time, who sees which departments, the CSV file and the chart."""
import csv
import io
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Case, Department, User
from app.services import calendar, facts, operations, processes, statistics, users

from workflows.on_time import LATE, ON_TIME, deciding_clock_names, verdict

from .helpers import Api, office_today
from .test_petition_lifecycle import ACCEPTED_ON, PETITION
from .test_web import login

OFFICE_TZ = ZoneInfo("Asia/Shanghai")
LONG_AGO = "2025-09-26"  # reply due 2025-10-30 (test_deadlines): anything finished now is late


@pytest.fixture
def office(client):
    return {name: Api(client, name) for name in ("officer", "reviewer", "head", "xfofficer", "auditor")}


def user(username) -> User:
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


def register(office, received_on):
    return office["officer"].register(received_on=received_on)["id"]


def archive(office, received_on) -> int:
    """A disclosure request answered, delivered and archived today."""
    officer, case_id = office["officer"], register(office, received_on)
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"})
    office["reviewer"].complete(case_id, "confidentiality_review", {"review_result": "cleared"})
    office["head"].complete(case_id, "approve_reply", {"approval": "approve"})
    officer.complete(case_id, "record_delivery", {"delivered_by": "email", "delivered_on": office_today()})
    assert officer.case(case_id)["status"] == "archived"
    return case_id


def archive_after_late_correction(office, received_on) -> int:
    """A request corrected after a correction notice sent today, then answered and archived today."""
    officer, case_id = office["officer"], register(office, received_on)
    officer.complete(case_id, "check_completeness", {"needs_correction": True, "correction_items": "请明确年份",
                                                     "correction_deadline": "2030-12-31"})
    officer.complete(case_id, "receive_correction", {"correction_result": "corrected", "corrected_on": office_today(),
                                                     "correction_content": "2025年度"})
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"})
    office["reviewer"].complete(case_id, "confidentiality_review", {"review_result": "cleared"})
    office["head"].complete(case_id, "approve_reply", {"approval": "approve"})
    officer.complete(case_id, "record_delivery", {"delivered_by": "email", "delivered_on": office_today()})
    return case_id


def withdraw(office) -> int:
    """Deemed abandoned (GIO 30): the correction deadline passed and a person confirmed the lapse."""
    from .test_disclosure_guard_rails import let_correction_deadline_pass
    officer, case_id = office["officer"], register(office, office_today())
    officer.complete(case_id, "check_completeness", {"needs_correction": True, "correction_items": "请明确年份",
                                                     "correction_deadline": "2030-12-31"})
    let_correction_deadline_pass(case_id)
    officer.complete(case_id, "confirm_correction_lapse", {"correction_result": "not_corrected",
                                                           "lapse_check": "各收件渠道均未收到"})
    assert officer.case(case_id)["status"] == "withdrawn"
    return case_id


def petition(office, received_on, accepted_on, **data) -> int:
    """A petition accepted, answered and evaluated today (the handling clock stops today)."""
    registrar = office["xfofficer"]
    case_id = registrar.ok(registrar.post("/cases", {"process": "petition", "data": {
        **PETITION, "received_on": received_on, **data}}), 201)["id"]
    registrar.complete(case_id, "intake_decision", {"intake_decision": "accept", "intake_decided_on": accepted_on,
                                                    "handling_unit": "GKB",
                                                    "handling_department": "政务公开办"})
    office["officer"].complete(case_id, "handle_petition", {"handling_action": "reply", "outcome": "explain",
                                                            "handling_opinion": "经核实，已向信访人说明情况。",
        "opinion_legal_basis": "《中华人民共和国环境噪声污染防治法》第三十条"})
    registrar.complete(case_id, "record_satisfaction", {"satisfaction": "satisfied", "evaluated_on": office_today()})
    assert registrar.case(case_id)["status"] == "completed"
    return case_id


def place(case_id, *, created=None, completed=None) -> None:
    """Move a case in time behind the application's back, then write its counting facts as a command would."""
    case = db.session.get(Case, case_id)
    if created:
        case.created_at = created
    if completed:
        case.completed_at = completed
    facts.refresh(case)
    db.session.commit()


def office_moment(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=OFFICE_TZ).astimezone(timezone.utc)


def last_30_days():
    today = date.fromisoformat(office_today())
    return {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()}


def row_of(body, department_code, process_key):
    (found,) = [r for r in body["rows"] if r["department_code"] == department_code and r["process_key"] == process_key]
    return found


@pytest.fixture
def known_cases(office):
    """GKB disclosure: two answered (one on time, one late), one withdrawn, one terminated, one open and overdue,
    one open within time. XFJ petitions: one on time, one late. Received counts and durations run from the legal
    receipt date (DOMAIN.md section 3): the cases received LONG_AGO were not received in the last 30 days."""
    on_time = archive(office, (date.fromisoformat(office_today()) - timedelta(days=10)).isoformat())
    late = archive(office, LONG_AGO)
    withdraw(office)  # completed, judged on its correction clock (the reply clock waits, paused)
    terminated = register(office, office_today())
    operations.terminate(user("admin"), terminated, "登记错误")
    overdue = register(office, LONG_AGO)
    office["officer"].complete(overdue, "check_completeness", {"needs_correction": False})
    register(office, office_today())
    petition(office, office_today(), office_today())
    # Handling due 2026-05-09, answered today. Another petitioner and matter: not a duplicate of the first.
    petition(office, "2026-03-02", ACCEPTED_ON, petitioner_name="周五", id_number="110101197707071234",
             subject="道路照明损坏", content="和平路路灯损坏一个月无人维修。")
    return {"on_time": on_time, "late": late, "overdue": overdue}


# -- the figures ----------------------------------------------------------------------------------------------

def test_each_figure_counts_the_cases_with_known_outcomes(office, known_cases):
    body = office["auditor"].ok(office["auditor"].get("/statistics", query_string=last_30_days()))
    assert body["scope"] == "全部部门"
    disclosure = row_of(body, "GKB", "disclosure_request")
    assert disclosure["department_name"] == "政务公开办"
    assert {k: disclosure[k] for k in ("received", "completed", "terminated", "on_time", "late", "overdue_now")} == \
        {"received": 4, "completed": 3, "terminated": 1, "on_time": 2, "late": 1, "overdue_now": 1}
    assert disclosure["completion_rate"] == 0.75
    assert disclosure["on_time_rate"] == round(2 / 3, 4)
    today = date.fromisoformat(office_today())
    assert disclosure["average_days_to_close"] == round((10 + (today - date.fromisoformat(LONG_AGO)).days + 0) / 3, 4)

    petitions = row_of(body, "XFJ", "petition")
    assert {k: petitions[k] for k in ("received", "completed", "terminated", "on_time", "late", "overdue_now")} == \
        {"received": 1, "completed": 2, "terminated": 0, "on_time": 1, "late": 1, "overdue_now": 0}
    assert petitions["completion_rate"] == 2.0 and petitions["on_time_rate"] == 0.5
    assert petitions["average_days_to_close"] == round((today - date(2026, 3, 2)).days / 2, 4)

    # Totals add the counts and recompute the rates from them (never an average of rates).
    assert body["total"]["received"] == 5 and body["total"]["completed"] == 5
    assert body["total"]["completion_rate"] == 1.0
    assert body["total"]["on_time_rate"] == round(3 / 5, 4)
    by_process = {r["process_key"]: r for r in body["by_process"]}
    assert by_process["disclosure_request"]["received"] == 4 and by_process["petition"]["late"] == 1
    assert not [r for r in body["rows"] if r["department_code"] in ("BMB", "DCS")]  # nothing there


def test_every_deployed_process_is_listed_even_without_cases(office):
    body = office["auditor"].ok(office["auditor"].get("/statistics", query_string=last_30_days()))
    keys = {r["process_key"] for r in body["by_process"]}
    assert keys == {v.process_key for v in processes.deployed_keys()}
    assert body["total"]["received"] == 0 and body["total"]["completion_rate"] is None
    assert body["total"]["on_time_rate"] is None and body["total"]["average_days_to_close"] is None


def test_a_case_closed_late_stays_late_and_overdue_now_is_todays_snapshot(office, known_cases):
    # A period in which nothing was received or closed still shows what is overdue today.
    body = office["auditor"].ok(office["auditor"].get("/statistics", query_string={"from": "2020-01-01",
                                                                                   "to": "2020-01-31"}))
    disclosure = row_of(body, "GKB", "disclosure_request")
    assert (disclosure["received"], disclosure["completed"], disclosure["overdue_now"]) == (0, 0, 1)
    assert disclosure["completion_rate"] is None


def test_period_bounds_are_whole_office_days_in_china_time(office):
    # Received on the legal receipt date (a calendar date); closed on the office day of the completion time.
    first, last, closed = (register(office, day) for day in ("2026-03-01", "2026-02-28", "2026-03-31"))
    operations.terminate(user("admin"), closed, "测试")  # closed cases need a completion time
    place(first, created=office_moment(2026, 3, 1, 0, 0, 0))          # 2026-02-28 16:00 UTC
    place(last, created=office_moment(2026, 2, 28, 23, 59, 59))       # 2026-02-28 15:59:59 UTC
    place(closed, created=office_moment(2026, 3, 31, 23, 59, 59), completed=office_moment(2026, 4, 1, 0, 0, 0))
    auditor = office["auditor"]

    def figures(start, end):
        body = auditor.ok(auditor.get("/statistics", query_string={"from": start, "to": end}))
        return row_of(body, "GKB", "disclosure_request")

    march = figures("2026-03-01", "2026-03-31")
    assert (march["received"], march["terminated"]) == (2, 0)
    february = figures("2026-02-01", "2026-02-28")
    assert february["received"] == 1
    april_first = figures("2026-04-01", "2026-04-01")
    assert (april_first["received"], april_first["terminated"]) == (0, 1)
    assert figures("2026-03-31", "2026-03-31")["received"] == 1


def test_invalid_periods_are_refused_naming_the_field(office):
    auditor = office["auditor"]
    bad = auditor.get("/statistics", query_string={"from": "2026-13-01", "to": "2026-12-31"})
    assert bad.status_code == 422 and "from" in bad.get_json()["fields"]
    backwards = auditor.get("/statistics", query_string={"from": "2026-12-31", "to": "2026-01-01"})
    assert backwards.status_code == 422 and "from" in backwards.get_json()["fields"]
    quarter = auditor.ok(auditor.get("/statistics", query_string={"preset": "quarter"}))
    today = date.fromisoformat(office_today())
    assert quarter["from"] <= today.isoformat() <= quarter["to"]
    assert statistics.presets(date(2026, 11, 15))["quarter"] == (date(2026, 10, 1), date(2026, 12, 31))
    assert statistics.presets(date(2026, 2, 10))["month"] == (date(2026, 2, 1), date(2026, 2, 28))


# -- who sees what --------------------------------------------------------------------------------------------

def test_heads_see_only_their_own_department(office, known_cases):
    users.create_user("xfhead", "banjian-demo", ["head"], "XFJ", display_name="信访局负责人")
    db.session.commit()
    gkb = office["head"].ok(office["head"].get("/statistics", query_string=last_30_days()))
    assert gkb["scope"] == "政务公开办"
    assert {r["department_code"] for r in gkb["rows"]} == {"GKB"}
    assert gkb["total"]["received"] == 4
    xfj_head = Api(office["head"].client, "xfhead")
    xfj = xfj_head.ok(xfj_head.get("/statistics", query_string=last_30_days()))
    assert {r["department_code"] for r in xfj["rows"]} == {"XFJ"}
    assert xfj["total"]["received"] == 1 and xfj["total"]["late"] == 1
    supervisor = Api(office["head"].client, "supervisor")
    assert supervisor.ok(supervisor.get("/statistics"))["scope"] == "全部部门"


def test_officers_are_refused_everywhere(client, office):
    assert office["officer"].get("/statistics").status_code == 403
    with pytest.raises(statistics.Forbidden):
        statistics.department_statistics(user("officer"), date(2026, 1, 1), date(2026, 1, 31))
    login(client, "officer")
    assert client.get("/statistics").status_code == 403
    assert client.get("/statistics.csv").status_code == 403
    assert "部门统计" not in client.get("/").get_data(as_text=True)


# -- page, chart, CSV -----------------------------------------------------------------------------------------

def test_page_shows_table_chart_and_csv_link_for_a_head(client, office, known_cases):
    login(client, "head")
    period = last_30_days()
    assert "部门统计" in client.get("/").get_data(as_text=True)
    page = client.get("/statistics", query_string=period)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "政务公开办" in html and "信访局" not in html
    assert "<svg" in html and "政务公开办 · 政府信息公开申请（依申请公开）" in html
    assert "75.0%" in html and "66.7%" in html  # completion and on-time rate of the disclosure row
    assert f'/statistics.csv?from={period["from"]}&amp;to={period["to"]}' in html
    assert client.get("/statistics", query_string={"from": "x", "to": "y"}).status_code == 422


def test_chart_labels_are_escaped(client, office):
    db.session.add(Department(code="ESC", name='<script>alert("督查")</script>'))
    db.session.commit()
    case_id = register(office, office_today())
    case = db.session.get(Case, case_id)
    case.department_id = db.session.execute(select(Department.id).where(Department.code == "ESC")).scalar_one()
    facts.refresh(case)  # moved behind the application's back: write its facts as a command would
    db.session.commit()
    login(client, "auditor")
    html = client.get("/statistics").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;督查&#34;)&lt;/script&gt; · " in html  # the chart's group label


def test_csv_export_reads_back_with_chinese_headers_and_the_same_figures(client, office, known_cases):
    login(client, "auditor")
    period = last_30_days()
    response = client.get("/statistics.csv", query_string=period)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["部门", "流程", "受理", "办结", "终止", "办结率", "按期办结", "逾期办结", "按期办结率",
                       "当前超期", "平均办理天数"]
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    disclosure = by_key[("政务公开办", "政府信息公开申请（依申请公开）")]
    today = date.fromisoformat(office_today())
    average = f"{(10 + (today - date.fromisoformat(LONG_AGO)).days) / 3:.1f}"
    assert disclosure[2:] == ["4", "3", "1", "75.0%", "2", "1", "66.7%", "1", average]
    petitions = by_key[("信访局", "信访事项办理")]
    assert petitions[2:] == ["1", "2", "0", "200.0%", "1", "1", "50.0%", "0", f"{(today - date(2026, 3, 2)).days / 2:.1f}"]
    assert by_key[("总计", "全部流程")][2:4] == ["5", "5"]


# -- which clocks decide whether a case was on time ----------------------------------------------------------

def test_the_on_time_rule_uses_the_clocks_the_process_names():
    assert deciding_clock_names({}) is None
    assert deciding_clock_names({"onTimeClocks": " reply, handling "}) == {"reply", "handling"}
    late_notice = [("correction", "overdue"), ("reply", "met")]
    assert verdict(late_notice, None) == LATE  # every clock decides
    assert verdict(late_notice, frozenset({"reply"})) == ON_TIME
    assert verdict([("reply", "paused"), ("correction", "met")], frozenset({"reply"})) is None


def working_days_before(day: date, n: int) -> date:
    cal = calendar.current()
    while n:
        day -= timedelta(days=1)
        n -= cal.is_working(day)
    return day


def test_a_deployed_process_marking_its_main_clock_is_judged_by_it(office, bpmn_dir):
    # Received 12 working days ago, the correction notice went out late (7 working days): a correction
    # period it did need, late; the reply (20 working days, restarted by the correction) is not.
    received = working_days_before(date.fromisoformat(office_today()), 12).isoformat()
    judged_on_all_clocks = archive_after_late_correction(office, received)
    path = bpmn_dir / "disclosure_request.bpmn"
    # The bundled process judges both of the office's own periods; this version only the reply.
    marked = path.read_bytes().replace(
        b'<spiffworkflow:property name="onTimeClocks" value="correction reply" />',
        b'<spiffworkflow:property name="onTimeClocks" value="reply" />', 1)
    assert b'value="reply"' in marked
    processes.deploy(marked, processes.forms_beside(path, marked), actor=None, note="答复期限决定是否按期")
    db.session.commit()
    judged_on_reply = archive_after_late_correction(office, received)
    assert db.session.get(Case, judged_on_reply).process_version_id != \
        db.session.get(Case, judged_on_all_clocks).process_version_id
    body = office["auditor"].ok(office["auditor"].get("/statistics", query_string=last_30_days()))
    disclosure = row_of(body, "GKB", "disclosure_request")
    assert (disclosure["completed"], disclosure["on_time"], disclosure["late"]) == (2, 1, 1)
