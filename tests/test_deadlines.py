"""Statutory deadlines of a disclosure request, computed from the ledger and the calendar."""
from datetime import date

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models import CalendarDay, CalendarYear, CaseEvent, Notification, User
from app.services import calendar, clocks

from workflows.calendar import seed_days

from .helpers import REGISTRATION, Api, office_today


@pytest.fixture
def office(client):
    return {name: Api(client, name) for name in ("officer", "reviewer", "head")}


def deadline(case, name):
    return next(d for d in case["deadlines"] if d["name"] == name)


def test_reply_due_skips_national_day_and_counts_makeup_days(office):
    # DOMAIN 1: received Fri 2025-09-26 → correction notice due 2025-10-13, reply due 2025-10-30.
    officer = office["officer"]
    case = officer.register(received_on="2025-09-26")
    reply, correction = deadline(case, "reply"), deadline(case, "correction")
    assert reply["due_date"] == "2025-10-30" and correction["due_date"] == "2025-10-13"
    assert not reply["provisional"]
    assert any("国庆" in line for line in reply["explanation"])
    assert reply["state"] == "overdue"  # today is long past


def test_an_overdue_request_escalates_to_the_head_without_a_late_reminder(office):
    officer = office["officer"]
    case = officer.register(received_on="2025-09-26")
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    head = db.session.execute(select(User).where(User.username == "head")).scalar_one()
    messages = [n.message for n in db.session.execute(
        select(Notification).where(Notification.user_id == head.id)).scalars()]
    assert any("已超过答复期限（2025-10-30）" in m for m in messages)
    officer_row = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
    assert not db.session.execute(select(Notification).where(Notification.user_id == officer_row.id)).first()
    assert officer.case(case["id"])["tasks"][-1]["state"] == "ready"  # the task stays open


def test_third_party_consultation_pauses_the_reply_clock(office):
    officer = office["officer"]
    today = office_today()
    case = officer.register(received_on=today)
    due_before = deadline(case, "reply")["due_date"]
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", {"handling_action": "consult_third_party", "third_party_name": "某公司",
                                            "third_party_kind": "organisation", "consultation_matter": "合同金额"})
    paused = deadline(officer.case(case["id"]), "reply")
    assert paused["state"] == "paused"
    assert any("第三方" in line for line in paused["explanation"])
    officer.complete(case["id"], "record_third_party_answer", {"third_party_answer": "consent",
                                                               "third_party_answered_on": today})
    resumed = deadline(officer.case(case["id"]), "reply")
    assert resumed["state"] == "running"
    assert resumed["due_date"] >= due_before


def test_extension_adds_twenty_working_days_to_the_reply_deadline(office):
    officer, head = office["officer"], office["head"]
    case = officer.register(received_on=office_today())
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    before = date.fromisoformat(deadline(officer.case(case["id"]), "reply")["due_date"])
    officer.complete(case["id"], "handle", {"handling_action": "request_extension", "extension_reason": "需汇总"})
    head.complete(case["id"], "approve_extension", {"extension_decision": "approve"})
    after = officer.case(case["id"])
    extended = deadline(after, "reply")
    assert date.fromisoformat(extended["due_date"]) == calendar.current().add_working_days(before, 20)
    assert after["data"]["extended_due_date"] == extended["due_date"]
    assert any("延长" in line for line in extended["explanation"])


def test_correction_restarts_the_reply_clock_from_the_corrected_application(office):
    officer = office["officer"]
    today = office_today()
    case = officer.register(received_on=today)
    officer.complete(case["id"], "check_completeness", {"needs_correction": True, "correction_items": "请明确年份",
                                                        "correction_deadline": "2030-12-31"})
    assert deadline(officer.case(case["id"]), "reply")["state"] == "paused"
    officer.complete(case["id"], "receive_correction", {"correction_result": "corrected", "corrected_on": today,
                                                        "correction_content": "2025年度"})
    reply = deadline(officer.case(case["id"]), "reply")
    expected = calendar.current().add_working_days(date.fromisoformat(today), 20)
    assert reply["due_date"] == expected.isoformat() and reply["state"] == "running"
    assert deadline(officer.case(case["id"]), "correction")["state"] in ("met", "overdue")


def unpublish(year: int) -> None:
    """Put the calendar back to before the State Council's notice for ``year`` (test set-up)."""
    db.session.execute(delete(CalendarDay).where(CalendarDay.day >= date(year, 1, 1),
                                                 CalendarDay.day <= date(year, 12, 31)))
    db.session.get(CalendarYear, year).published = False
    calendar._record("test_unpublish", None, {"year": year})
    db.session.commit()


def notice_of(year: int) -> str:
    """The year's holidays and make-up days as an administrator would type them from the notice."""
    lines = []
    for day in seed_days([year]):
        if day.working != (day.date.weekday() < 5):
            lines.append(f"{day.date},{'workday' if day.working else 'holiday'},{day.name or ''}")
    return "\n".join(lines)


def test_deadline_in_an_unpublished_year_is_provisional_until_the_year_is_imported(office):
    unpublish(2026)
    officer = office["officer"]
    case = officer.register(received_on="2026-09-25")
    reply = deadline(case, "reply")
    assert reply["provisional"]
    assert any("尚未公布" in line for line in reply["explanation"])
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    handle = officer.open_task(case["id"], "handle")
    assert handle["due_date"] == reply["due_date"] and handle["due_provisional"]  # the inbox says "暂定" too

    # The notice for 2026 is published: National Day runs 1–7 October (weekends and fixed days alone said 1–3).
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    years = calendar.import_year(2026, notice_of(2026), admin)
    assert clocks.recompute(years, admin, "2026年节假日安排已公布") == 1  # the reply clock; the correction one is met
    db.session.commit()

    after = deadline(officer.case(case["id"]), "reply")
    assert not after["provisional"]
    assert after["due_date"] > reply["due_date"]
    assert officer.open_task(case["id"], "handle")["due_provisional"] is False
    event = db.session.execute(select(CaseEvent).where(
        CaseEvent.case_id == case["id"], CaseEvent.type == "due_date_changed",
        CaseEvent.payload["clock"].as_string() == "reply")).scalar_one()
    assert reply["due_date"] in event.summary and after["due_date"] in event.summary
    assert "2026年节假日安排已公布" in event.summary


def test_a_receipt_date_in_the_future_is_refused(office):
    response = office["officer"].post("/cases", {"process": "disclosure_request",
                                                 "data": {**REGISTRATION, "received_on": "2099-01-04"}})
    assert response.status_code == 422 and "不能晚于今天" in response.get_json()["fields"]["received_on"]


def test_only_administrators_change_the_calendar(app):
    officer = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
    from app.services.errors import Forbidden
    with pytest.raises(Forbidden):
        calendar.set_day(date(2026, 12, 31), False, "加班补休", officer)


def test_a_bad_schedule_line_is_named_and_changes_nothing(app):
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    from app.services.errors import Invalid
    with pytest.raises(Invalid, match="第 2 行"):
        calendar.import_year(2027, "2027-01-01,holiday,元旦\n2027-13-01,holiday,坏日期", admin)
    db.session.rollback()
    assert not calendar.current().is_working(date(2027, 1, 1))  # still the fixed-date rule, provisional
    assert calendar.current().is_provisional(date(2027, 1, 1))


def test_inbox_marks_overdue_tasks_and_heads_see_their_overdue_list(client, office):
    office["officer"].register(received_on="2025-09-26")
    from .test_web import login
    login(client, "officer")
    assert 'class="overdue"' in client.get("/").get_data(as_text=True)
    assert client.get("/overdue").status_code == 403
    head = login(client.application.test_client(), "head")
    body = head.get("/overdue").get_data(as_text=True)
    assert "答复期限" in body and "2025-10-30" in body


def test_administrator_imports_a_year_on_the_calendar_page_and_others_may_not(client, app):
    from .test_web import csrf, login
    officer = login(app.test_client(), "officer")
    assert officer.get("/admin/calendar").status_code == 403
    login(client, "admin")
    page = client.get("/admin/calendar").get_data(as_text=True)
    response = client.post("/admin/calendar", data={
        "imp-csrf_token": csrf(page), "imp-year": "2027", "imp-source": "国办发明电〔2026〕X号",
        "imp-schedule": "2027-01-01,holiday,元旦\n2027-02-06,workday,调休上班"}, follow_redirects=True)
    assert "2027年安排已导入并公布" in response.get_data(as_text=True)
    cal = calendar.current()
    assert not cal.is_provisional(date(2027, 5, 1))
    assert cal.is_working(date(2027, 2, 6)) and not cal.is_working(date(2027, 1, 1))
    assert "import_year" in client.get("/admin/calendar").get_data(as_text=True)  # the change is recorded


def test_calendar_import_command_publishes_the_year(app, tmp_path):
    import os
    import subprocess
    import sys
    notice = tmp_path / "2027.csv"
    notice.write_text("2027-01-01,holiday,元旦\n", encoding="utf-8")
    db.session.remove()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "calendar-import", "2027", str(notice)],
                            capture_output=True, text=True, env=env, cwd=app.root_path + "/..")
    assert result.returncode == 0, result.stderr
    assert "2027 published" in result.stdout
    assert not calendar.current().is_provisional(date(2027, 1, 4))
