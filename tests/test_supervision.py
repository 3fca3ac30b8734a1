"""A supervision item (督查事项) through the API and the timer worker: three departments each get their own task,
report progress on the item's cycle (two cycles opened by the worker), one missed report is reminded (催办) to
that department alone and escalated to the supervision office head, the lead's extension request is approved,
verification sends the item back once, then it is closed (销号) and the 30-day review window lapses; the bulletin
(通报) PDF is read back with pdftotext."""
import datetime
import re
import subprocess

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, User
from app.services import timers
from app.supervision import bulletin

from .helpers import Api, office_today, pdf_text
from .test_worker import age_timers

TODAY = datetime.date.fromisoformat(office_today())
DUE = TODAY + datetime.timedelta(days=30)
EXTENDED = TODAY + datetime.timedelta(days=45)
ITEM = {
    "ledger_number": "督2026-017",
    "source": "leader_instruction",
    "item_type": "special",
    "title": "老旧小区加装电梯专项督查",
    "requirement": "摸清全市老旧小区加装电梯需求。\n制定年度推进计划并按月报送进展。",
    "priority": "urgent",
    "registered_on": TODAY.isoformat(),
    "due_date": DUE.isoformat(),
    "report_cycle": "P7D",
    "lead_department": "GKB",
    "co_departments": ["BMB", "XFJ"],
}
# Each department's officer (their tasks are routed to their department alone).
OFFICERS = {"GKB": "officer", "BMB": "reviewer", "XFJ": "xfofficer"}
NAMES = {"GKB": "政务公开办", "BMB": "保密办", "XFJ": "信访局"}


@pytest.fixture
def office(client):
    apis = {code: Api(client, username) for code, username in OFFICERS.items()}
    apis["registrar"], apis["head"] = Api(client, "dcofficer"), Api(client, "dchead")
    return apis


def my_report_task(api, case_id):
    """The one progress-report task this user's department may work on the case."""
    tasks = [t for t in api.ok(api.get("/tasks?scope=claimable"))
             if t["case_id"] == case_id and t["spec_name"] == "report_progress"]
    assert len(tasks) == 1, tasks
    return tasks[0]


def report(api, case_id, status="in_progress", text="已完成需求摸底，正在制定计划。", **extra):
    task = my_report_task(api, case_id)
    version = api.case(case_id)["version"]
    data = {"report_status": status, "report_text": text, **extra}
    return api.ok(api.post(f"/tasks/{task['id']}/complete", {"data": data, "case_version": version}))


def open_reports(api, case_id):
    return sorted(t["id"] for t in api.case(case_id)["tasks"]
                  if t["state"] == "ready" and t["spec_name"] == "report_progress")


def notifications(username):
    user = db.session.execute(select(User).where(User.username == username)).scalar_one()
    db.session.expire_all()
    return [n.message for n in db.session.execute(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)).scalars()]


def fire(case_id, *timer_names):
    age_timers(case_id, set(timer_names))
    assert timers.run_once() >= 1


def deadline(case, name):
    (found,) = [d for d in case["deadlines"] if d["name"] == name]
    return found


def test_supervision_item_from_registration_to_bulletin(office, tmp_path):
    registrar, head = office["registrar"], office["head"]
    case = registrar.ok(registrar.post("/cases", {"process": "supervision", "data": ITEM}), 201)
    case_id = case["id"]

    # Assignment: the supervision notice names the lead and co-units, the deadline and the report cycle.
    (notice,) = [d for d in case["documents"] if d["kind"] == "assignment_notice"]
    text = pdf_text(registrar.get(f"/documents/{notice['id']}").data, tmp_path)
    assert "督查通知" in text and "老旧小区加装电梯专项督查" in text
    assert "交由政务公开办牵头办理，保密办、信访局配合办理" in text
    assert f"请于{DUE.year}年{DUE.month}月{DUE.day}日前办结，每7日报送一次办理进展" in text
    assert deadline(case, "item")["due_date"] == DUE.isoformat()

    # One task per department, each only for that department's people.
    assert len(open_reports(registrar, case_id)) == 3
    gkb_task = my_report_task(office["GKB"], case_id)
    bmb_task = my_report_task(office["BMB"], case_id)
    assert gkb_task["id"] != bmb_task["id"]
    version = registrar.case(case_id)["version"]
    refused = office["BMB"].post(f"/tasks/{gkb_task['id']}/complete",
                                 {"data": {"report_status": "in_progress", "report_text": "越权报送"},
                                  "case_version": version})
    assert refused.status_code == 403

    # Cycle 1: everyone reports; the next round waits for the report date, which the worker fires.
    for code in OFFICERS:
        report(office[code], case_id)
    assert open_reports(registrar, case_id) == []
    fire(case_id, "wait_report_date")
    assert len(open_reports(registrar, case_id)) == 3

    # Cycle 2: GKB reports and asks for an extension, BMB reports, XFJ misses the report date.
    report(office["GKB"], case_id, extension_requested=True, extension_due_date=EXTENDED.isoformat(),
           extension_reason="需求摸底范围扩大至全市")
    report(office["BMB"], case_id)
    fire(case_id, "report_missed")
    (reminder,) = [m for m in notifications("xfofficer") if m.startswith("催办")]
    assert "第2次进展" in reminder and "老旧小区加装电梯专项督查" in reminder
    # 催办 reaches the officers of the late department, and the notice names the case.
    from .test_web import login
    listed = login(office["XFJ"].client.application.test_client(), "xfofficer").get("/notifications")
    assert case["tracking_number"] in listed.get_data(as_text=True) and "催办" in listed.get_data(as_text=True)
    assert not [m for m in notifications("officer") + notifications("reviewer") if m.startswith("催办")]
    assert not [m for m in notifications("dchead") if m.startswith("督办")]
    fire(case_id, "report_escalated")
    (escalation,) = [m for m in notifications("dchead") if m.startswith("督办")]
    assert "第2次进展" in escalation and escalation.endswith("（尚未办理：信访局）")
    report(office["XFJ"], case_id, text="补报：已排查辖区来信来访中的加装电梯诉求。")

    # The head approves the extension: the item's clock now runs to the new date.
    head.complete(case_id, "approve_extension", {"extension_decision": "approve", "extension_comment": "同意"})
    case = registrar.case(case_id)
    assert deadline(case, "item")["due_date"] == EXTENDED.isoformat()
    assert case["data"]["item_extended"] is True

    # Cycle 3, opened by the worker: every department reports its result; verification returns it.
    fire(case_id, "wait_report_date")
    assert len(open_reports(registrar, case_id)) == 3
    for code in OFFICERS:
        report(office[code], case_id, status="completed", text="已完成加装电梯需求摸底。")
    registrar.complete(case_id, "verify", {"verification_result": "returned", "verified_on": TODAY.isoformat(),
                                           "verification_comments": "推进计划缺少资金安排，请补充。"})
    tasks = open_reports(registrar, case_id)
    assert len(tasks) == 3
    # The departments read the comments with their task (a read-only field of the report form).
    form = office["XFJ"].ok(office["XFJ"].get(f"/tasks/{my_report_task(office['XFJ'], case_id)['id']}"))["form"]
    assert form["properties"]["verification_comments"]["readOnly"] is True
    data = office["XFJ"].case(case_id)["data"]
    assert data["verification_comments"] == "推进计划缺少资金安排，请补充。"
    assert data["returns"][0]["departments"] == ["GKB", "BMB", "XFJ"]

    # Round after the return: all finish; verification passes; the head signs off (销号).
    for code in OFFICERS:
        report(office[code], case_id, status="completed", text="已补充资金安排。")
    registrar.complete(case_id, "verify", {"verification_result": "passed", "verified_on": TODAY.isoformat(),
                                           "verification_comments": "符合要求"})
    head.complete(case_id, "sign_off", {"sign_off_comment": "同意销号", "closed_on": TODAY.isoformat()})
    case = registrar.case(case_id)
    assert deadline(case, "item")["state"] == "met"
    assert deadline(case, "review")["due_date"] == (TODAY + datetime.timedelta(days=30)).isoformat()
    assert registrar.open_task(case_id, "review_request")

    # No review requested within 30 days (DC 17): the worker archives the item.
    fire(case_id, "review_window_ends")
    case = registrar.case(case_id)
    assert case["status"] == "completed"
    data = case["data"]
    assert data["returned_count"] == 1 and data["report_round"] == 4
    assert [r["department"] for r in data["progress_reports"]].count("XFJ") == 4

    # A second item, already past its due date: XFJ (lead) has not finished, BMB finished late.
    past = {**ITEM, "ledger_number": "督2026-009", "title": "背街小巷照明整治",
            "registered_on": (TODAY - datetime.timedelta(days=60)).isoformat(),
            "due_date": (TODAY - datetime.timedelta(days=30)).isoformat(),
            "lead_department": "XFJ", "co_departments": ["BMB"]}
    late = registrar.ok(registrar.post("/cases", {"process": "supervision", "data": past}), 201)
    report(office["BMB"], late["id"], status="completed", text="已完成照明整治。")

    # The bulletin: GKB 1 on time; BMB 1 on time + 1 late; XFJ 1 on time + 1 overdue; all three returned once.
    period = (TODAY - datetime.timedelta(days=90), TODAY + datetime.timedelta(days=90))
    result = bulletin.issue(*period, TODAY)
    pdf = bulletin.render(result, {"name": "示范市人民政府办公室"}, TODAY)
    text, rows = pdf_text(pdf, tmp_path), ranking_rows(pdf, tmp_path)
    assert "督查事项办理情况通报" in text and "共2项督查事项在本期到期" in text
    assert result.number.startswith("示政办督通报〔") and result.number in text
    # rank: (department, counted items, on time, late, overdue, returned, on-time rate %)
    assert rows == {1: ("政务公开办", 1, 1, 0, 0, 1, 100), 2: ("保密办", 2, 1, 1, 0, 1, 50),
                    3: ("信访局", 2, 1, 0, 1, 1, 50)}
    assert text.index("1.政务公开办") < text.index("2.保密办") < text.index("3.信访局")
    assert "背街小巷照明整治" in text and "超期未办结" in text and "逾期办结" in text


def ranking_rows(pdf: bytes, tmp_path) -> dict:
    """The ranking table of a bulletin PDF, read back with ``pdftotext -layout``: {rank: row}."""
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(pdf)
    layout = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                            capture_output=True, text=True).stdout
    table = layout.split("一、各单位办理情况排名")[1].split("二、分单位事项清单")[0]
    rows = {}
    for found in re.finditer(r"^\s*(\d+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%", table, re.M):
        rank, name, *numbers = found.groups()
        rows[int(rank)] = (name, *map(int, numbers))
    return rows


def test_bulletin_command_writes_the_pdf(app, office, tmp_path):
    registrar = office["registrar"]
    registrar.ok(registrar.post("/cases", {"process": "supervision", "data": ITEM}), 201)
    out = tmp_path / "bulletin.pdf"
    result = app.test_cli_runner().invoke(args=["supervision-bulletin", "--from", TODAY.isoformat(),
                                                "--to", DUE.isoformat(), str(out)])
    assert result.exit_code == 0, result.output
    assert "1 item(s), 0 ranked, 3 with nothing due" in result.output and "督通报〔" in result.output
    # Nothing reported yet, nothing due yet: no department is ranked (none ranked last for an item not yet
    # due); all three are listed as having nothing due.
    assert ranking_rows(out.read_bytes(), tmp_path) == {}
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "本期没有到期的督查事项，不作排名" in text and "本期无到期事项的单位（不参加排名）" in text
    for name in NAMES.values():
        assert f"{name}（1项尚未到期）" in text


def test_registration_refuses_a_due_date_before_assignment(office):
    registrar = office["registrar"]
    bad = {**ITEM, "due_date": (TODAY - datetime.timedelta(days=1)).isoformat()}
    response = registrar.post("/cases", {"process": "supervision", "data": bad})
    assert response.status_code == 422, response.get_json()


def test_the_item_clock_runs_to_the_registered_due_date_and_extends_once():
    from workflows.calendar import WorkCalendar
    from workflows.clocks import ClockError, Extend, compute, supervision_item
    calendar = WorkCalendar({}, published_years=())
    clock = supervision_item(datetime.date(2026, 3, 2), 30)
    assert compute(clock, calendar, datetime.date(2026, 3, 2)).due_date == datetime.date(2026, 4, 1)
    clock = clock.add(Extend(datetime.date(2026, 3, 20), "需求摸底范围扩大", 15))
    deadline = compute(clock, calendar, datetime.date(2026, 3, 20))
    assert deadline.due_date == datetime.date(2026, 4, 16) and deadline.state == "running"
    with pytest.raises(ClockError, match="只能延长一次"):
        clock.add(Extend(datetime.date(2026, 3, 21), "再次延期", 5))
    with pytest.raises(ClockError, match="天数无效"):
        supervision_item(datetime.date(2026, 3, 2), -1)


def test_the_bulletin_page_is_for_the_supervision_head(app, office, tmp_path):
    from .test_web import login
    office["registrar"].ok(office["registrar"].post("/cases", {"process": "supervision", "data": ITEM}), 201)
    head = login(app.test_client(), "dchead")
    page = head.get(f"/cases/{office['registrar'].ok(office['registrar'].get('/tasks?scope=all'))[0]['case_id']}")
    assert 'href="/supervision/bulletin"' in page.get_data(as_text=True)  # reachable from the supervision pages
    form = head.get("/supervision/bulletin").get_data(as_text=True)
    assert "生成通报" in form
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    numbers = []
    for _ in range(2):
        response = head.post("/supervision/bulletin", data={"from": TODAY, "to": DUE, "csrf_token": token})
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = pdf_text(response.data, tmp_path)
        assert "共1项督查事项在本期到期" in text
        numbers.append(re.search(r"示政办督通报〔\d{4}〕\d+号", text).group(0))
    assert numbers[0] != numbers[1]  # each issued bulletin has its own number
    refused = head.post("/supervision/bulletin", data={"from": DUE, "to": TODAY, "csrf_token": token})
    assert refused.status_code == 422 and "结束日期不能早于开始日期" in refused.get_data(as_text=True)
    assert head.post("/supervision/bulletin", data={"from": TODAY, "to": DUE}).status_code == 400  # no CSRF
    for username in ("officer", "head"):  # a department officer; the head of another office
        assert login(app.test_client(), username).get("/supervision/bulletin").status_code == 403


def test_a_review_is_decided_by_a_head_who_took_no_part_in_the_conclusion_with_a_written_decision(
        office, client, tmp_path):
    """DC 17: the head who signed the item off must stand aside (this test once had the same head do both);
    another head decides, and the department that asked gets a 复核决定书."""
    registrar, head, other_head = office["registrar"], office["head"], Api(client, "dchead2")
    case_id = registrar.ok(registrar.post("/cases", {"process": "supervision", "data": ITEM}), 201)["id"]
    for code in OFFICERS:
        report(office[code], case_id, status="completed", text="已办结。")
    registrar.complete(case_id, "verify", {"verification_result": "passed", "verified_on": TODAY.isoformat()})
    head.complete(case_id, "sign_off", {"closed_on": TODAY.isoformat()})
    registrar.complete(case_id, "review_request", {"review_requested_on": TODAY.isoformat(),
                                                   "review_department": "XFJ", "review_reason": "结论与事实不符"})
    case = registrar.case(case_id)
    assert deadline(case, "review")["state"] == "met"
    decision = {"review_result": "upheld", "review_opinion": "经复核，维持原结论。"}
    body = head.complete(case_id, "review_decision", decision, status=422)
    assert "第十七条" in body["fields"]["review_result"] and "领导签批销号" in body["fields"]["review_result"]
    assert registrar.case(case_id)["status"] == "active"
    other_head.complete(case_id, "review_decision", decision)
    case = registrar.case(case_id)
    assert case["status"] == "completed" and case["data"]["review_result"] == "upheld"
    assert case["data"]["returned_count"] == 0 and case["data"]["report_round"] == 1
    (letter,) = [d for d in case["documents"] if d["kind"] == "review_decision"]
    text = pdf_text(registrar.get(f"/documents/{letter['id']}").data, tmp_path)
    assert "督查复核决定书" in text and letter["number"] in text and "督复〔" in letter["number"]
    assert text.startswith("示范市人民政府办公室督查复核决定书") and "信访局：" in text
    assert "《政府督查工作条例》第十七条" in text and "未参与作出督查结论" in text
    assert "结论与事实不符" in text and "复核决定：维持原督查结论" in text


def test_the_pages_show_the_item_its_deadline_and_each_department_its_own_task(app, office):
    from .test_web import login
    registrar = login(app.test_client(), "dcofficer")
    page = registrar.get("/cases/new/supervision").get_data(as_text=True)
    assert "登记督查事项" in page and "信访局" in page  # departments offered by name
    case_id = office["registrar"].ok(office["registrar"].post("/cases", {"process": "supervision", "data": ITEM}),
                                     201)["id"]
    page = registrar.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "督查事项办理期限" in page and "督查通知" in page
    officer = login(app.test_client(), "reviewer")
    inbox = officer.get("/").get_data(as_text=True)
    assert inbox.count(">报送督查事项办理进展</a>") == 1  # BMB's own row, not GKB's or XFJ's
    task = my_report_task(office["BMB"], case_id)
    page = officer.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "进展或办理结果" in page and "申请延期" in page


def test_the_case_page_shows_each_departments_reports_with_files_and_its_next_report_date(app, office):
    from app.services import attachments

    from .test_attachments import png_bytes
    from .test_web import login
    registrar = office["registrar"]
    case_id = registrar.ok(registrar.post("/cases", {"process": "supervision", "data": ITEM}), 201)["id"]
    gkb = office["GKB"]
    task = my_report_task(gkb, case_id)
    officer = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
    photo = attachments.upload(officer, case_id, "现场照片.png", png_bytes(), task_id=task["id"],
                               field="report_attachments")
    report(gkb, case_id, text="已完成加装电梯需求摸底，共128个小区。", report_attachments=[photo.id])
    report(office["BMB"], case_id, text="保密审查流程已梳理。")

    page = login(app.test_client(), "dcofficer").get(f"/cases/{case_id}").get_data(as_text=True)
    section = page.split('id="progress"')[1].split('id="attachments"')[0]
    assert "已完成加装电梯需求摸底，共128个小区。" in section and "保密审查流程已梳理。" in section
    assert section.index("政务公开办") < section.index("保密办") and "现场照片.png" in section
    assert TODAY.isoformat() in section  # the date each report came in
    # Who still has to report, and by when: XFJ alone, on the round's report date.
    next_table = section.split("下次报送日")[1].split("</table>")[0]
    due = registrar.case(case_id)["data"]["report_due_on"]
    assert "信访局" in next_table and due in next_table and "政务公开办" not in next_table
    # The task list names each department's row.
    assert "承办（信访局）" in page
