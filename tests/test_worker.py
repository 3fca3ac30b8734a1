"""The timer worker: what was due while it was down fires when it comes back, exactly once."""
import copy
import os
import socket
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Case, CaseEvent, Notification, OutboxEmail, User
from app.services import timers

from .helpers import Api, office_today

LONG_AGO = "2020-01-01T00:00:00+00:00"
WAITING = 8  # SpiffWorkflow TaskState.WAITING


def age_timers(case_id: int, names: set) -> None:
    """Simulate the passage of time: the named armed timers' fire times move into the past."""
    case = db.session.get(Case, case_id)
    state = copy.deepcopy(case.engine_state)
    aged = 0
    for task in state["tasks"].values():
        if task["task_spec"] in names and task["state"] == WAITING and "event_value" in task["internal_data"]:
            task["internal_data"]["event_value"] = LONG_AGO
            aged += 1
    assert aged, f"no waiting timer among {names}"
    case.engine_state = state
    case.next_wakeup = datetime.fromisoformat(LONG_AGO)
    db.session.commit()


def events(case_id, kind):
    return db.session.execute(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.type == kind)).scalar()


@pytest.fixture
def officer(client):
    return Api(client, "officer")


def request_waiting_for_correction(officer):
    case = officer.register(received_on=office_today())
    officer.complete(case["id"], "check_completeness", {"needs_correction": True, "correction_items": "请明确年份",
                                                        "correction_deadline": "2030-12-31"})
    return case


def test_correction_deadline_missed_during_an_outage_asks_a_person_to_confirm_the_lapse(officer):
    # GIO 30: never automatically abandoned; the timer hands the case to the registration lane (issue 9 §1).
    case = request_waiting_for_correction(officer)
    # Armed for the start of the day after the deadline, China Standard Time.
    assert db.session.get(Case, case["id"]).next_wakeup == datetime(2030, 12, 31, 16, 0, tzinfo=timezone.utc)
    age_timers(case["id"], {"correction_expired"})
    assert timers.run_once() == 1
    after = officer.case(case["id"])
    assert after["status"] == "active"
    assert [d["kind"] for d in after["documents"]] == ["registration_receipt", "correction_notice"]
    assert [t["spec_name"] for t in after["tasks"] if t["state"] == "ready"] == ["confirm_correction_lapse"]
    assert timers.run_once() == 0  # nothing fires twice
    assert events(case["id"], "timer_fired") == 1


def test_reminder_fires_once_and_leaves_the_task_open(officer):
    case = officer.register(received_on=office_today())
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    age_timers(case["id"], {"remind_handle"})
    assert timers.run_once() == 1
    officer_row = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
    reminders = db.session.execute(select(Notification).where(Notification.user_id == officer_row.id)).scalars().all()
    assert len(reminders) == 1 and "届满，请抓紧办理" in reminders[0].message
    assert officer.open_task(case["id"], "handle")
    assert timers.run_once() == 0


def test_worker_command_fires_due_timers_and_reports_them(app, officer):
    case = request_waiting_for_correction(officer)
    age_timers(case["id"], {"correction_expired"})
    db.session.remove()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "worker", "--once"],
                            capture_output=True, text=True, env=env, cwd=app.root_path + "/..")
    assert result.returncode == 0, result.stderr
    assert "fired timers of 1 case(s)" in result.stdout
    assert officer.open_task(case["id"], "confirm_correction_lapse")


def test_two_workers_fire_each_due_timer_exactly_once(app, officer):
    ids = [request_waiting_for_correction(officer)["id"] for _ in range(12)]
    for case_id in ids:
        age_timers(case_id, {"correction_expired"})
    db.session.remove()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    cmd = [sys.executable, "-m", "flask", "--app", "app", "worker", "--once"]
    workers = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                cwd=app.root_path + "/..") for _ in range(2)]
    outputs = [w.communicate(timeout=240) for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    fired = sum(int(out.split("fired timers of ")[1].split()[0]) for out, _ in outputs)
    assert fired == len(ids)
    for case_id in ids:
        assert events(case_id, "timer_fired") == 1
        docs = db.session.execute(text("SELECT kind FROM document WHERE case_id = :c"), {"c": case_id}).scalars().all()
        assert sorted(docs) == ["correction_notice", "registration_receipt"]
        assert db.session.execute(text("SELECT count(*) FROM human_task WHERE case_id = :c AND state = 'ready' "
                                       "AND spec_name = 'confirm_correction_lapse'"), {"c": case_id}).scalar() == 1


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp_server():
    handler = Inbox()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, handler
    controller.stop()


def test_overdue_escalation_is_mailed_after_commit_through_smtp(app, officer, smtp_server):
    port, inbox = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    head = db.session.execute(select(User).where(User.username == "head")).scalar_one()
    head.email = "head@example.gov.cn"
    db.session.commit()
    case = officer.register(received_on="2025-09-26")
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    queued = db.session.execute(select(OutboxEmail)).scalars().all()
    assert len(queued) == 1 and queued[0].sent_at is None and inbox.messages == []  # queued, not yet sent
    assert timers.run_once() == 0  # no timer due; the worker still sends the outbox
    assert len(inbox.messages) == 1
    recipients, content = inbox.messages[0]
    assert recipients == ["head@example.gov.cn"] and case["tracking_number"] in content
    assert db.session.execute(select(OutboxEmail)).scalar_one().sent_at is not None


def test_a_rolled_back_step_queues_no_mail(app, officer):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    head = db.session.execute(select(User).where(User.username == "head")).scalar_one()
    head.email = "head@example.gov.cn"
    db.session.commit()
    case = officer.register(received_on="2025-09-26")
    task = officer.open_task(case["id"])
    # An invalid submission is refused after the lock: nothing it would have caused survives.
    officer.post(f"/tasks/{task['id']}/complete", {"data": {"needs_correction": True}, "case_version": case["version"]})
    assert db.session.execute(select(func.count()).select_from(OutboxEmail)).scalar() == 0


def test_unreachable_mail_server_keeps_mail_queued_with_the_error(app, officer):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)  # nothing listens on the discard port
    head = db.session.execute(select(User).where(User.username == "head")).scalar_one()
    head.email = "head@example.gov.cn"
    db.session.commit()
    case = officer.register(received_on="2025-09-26")
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    timers.run_once()
    mail = db.session.execute(select(OutboxEmail)).scalar_one()
    assert mail.sent_at is None and mail.attempts == 1 and "SMTP" in mail.last_error
