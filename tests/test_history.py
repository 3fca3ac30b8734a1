"""The case history is append-only and hash-chained: an auditor can verify it and tampering shows."""
import os
import subprocess
import sys

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import Case, CaseEvent, User
from app.services import cases, history

from .helpers import REGISTRATION


@pytest.fixture
def case(app):
    officer = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
    case = cases.start_case(officer, "disclosure_request", dict(REGISTRATION))
    task = cases.case_tasks(case, open_only=True)[0]
    cases.complete_task(officer, task.id, {"needs_correction": False}, case.version)
    return case


def _events(case_id):
    return db.session.execute(select(CaseEvent).where(CaseEvent.case_id == case_id)
                              .order_by(CaseEvent.seq)).scalars().all()


def test_history_records_registration_tasks_and_submitted_data_in_order(case):
    events = _events(case.id)
    types = [e.type for e in events]
    assert types[0] == "case_started"
    assert "task_completed" in types and types.count("task_created") == 2
    completed = next(e for e in events if e.type == "task_completed")
    assert completed.payload["submitted"] == {"needs_correction": False}
    assert completed.actor_name == "王登记"
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert history.verify_case(case) == []


def test_edited_event_is_detected(case):
    db.session.execute(text("UPDATE case_event SET summary = '篡改' WHERE case_id = :c AND seq = 2"),
                       {"c": case.id})
    db.session.commit()
    problems = history.verify_case(db.session.get(Case, case.id))
    assert [(p.seq, p.message) for p in problems] == [(2, "记录内容与哈希不符（被修改）")]


def test_deleted_last_event_is_detected_through_the_case_head(case):
    last = _events(case.id)[-1].seq
    db.session.execute(text("DELETE FROM case_event WHERE case_id = :c AND seq = :s"), {"c": case.id, "s": last})
    db.session.commit()
    problems = history.verify_case(db.session.get(Case, case.id))
    assert any("链头" in p.message for p in problems)


def test_deleted_middle_event_is_reported_as_that_one_row(case):
    db.session.execute(text("DELETE FROM case_event WHERE case_id = :c AND seq = 2"), {"c": case.id})
    db.session.commit()
    problems = history.verify_case(db.session.get(Case, case.id))
    assert [(p.seq, p.message) for p in problems] == [(2, "缺少第 2 条记录（被删除）")]


def test_verify_history_command_exits_nonzero_on_tampering(app, case):
    case_id = case.id
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    run = lambda: subprocess.run([sys.executable, "-m", "flask", "--app", "app", "verify-history"],
                                 capture_output=True, text=True, env=env, cwd=app.root_path + "/..")
    db.session.remove()
    ok = run()
    assert ok.returncode == 0 and "history intact" in ok.stdout
    db.session.execute(text("UPDATE case_event SET payload = '{}' WHERE case_id = :c AND seq = 3"), {"c": case_id})
    db.session.commit()
    db.session.remove()
    bad = run()
    assert bad.returncode == 1
    assert f"case {case_id} event 3" in bad.stderr


def test_auditor_page_reports_an_intact_chain(client, case):
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"username": "auditor", "password": "banjian-demo", "csrf_token": token})
    body = client.get("/audit/").get_data(as_text=True)
    assert "哈希链完整" in body
