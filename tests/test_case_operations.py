"""Working a case beyond the process: comments, reassignment, incidents and retries, suspend, rewind."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Case, CaseEvent, Comment, Incident, User
from app.services import comments, incidents, operations, timers, users
from app.services.errors import Conflict, EngineFailure, Forbidden, Invalid, NotFound

from .helpers import Api, office_today
from .test_worker import age_timers


def user(name):
    return db.session.execute(select(User).where(User.username == name)).scalar_one()


@pytest.fixture
def office(client):
    return {name: Api(client, name) for name in ("officer", "officer2", "reviewer", "head", "auditor")}


def events(case_id, kind):
    return db.session.execute(select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.type == kind)
                              .order_by(CaseEvent.seq)).scalars().all()


# -- comments ----------------------------------------------------------------

def test_comments_are_visible_to_those_who_see_the_case_and_corrected_never_edited(office):
    case = office["officer"].register()
    task = office["officer"].open_task(case["id"])
    first = comments.add(user("officer"), case["id"], "申请人来电补充了联系方式。", task_id=task["id"])
    correction = comments.add(user("officer"), case["id"], "更正：是邮件补充，不是来电。", corrects_id=first.id)
    assert correction.corrects_id == first.id
    assert [c.body for c in comments.for_case(user("auditor"), db.session.get(Case, case["id"]))] == [
        "申请人来电补充了联系方式。", "更正：是邮件补充，不是来电。"]
    assert db.session.get(Comment, first.id).body == "申请人来电补充了联系方式。"  # the original stands
    with pytest.raises(Forbidden):
        comments.add(user("officer2"), case["id"], "我来更正", corrects_id=first.id)  # only one's own
    with pytest.raises(Forbidden):
        comments.add(user("auditor"), case["id"], "审计意见")  # auditors change nothing
    users.create_user("outsider", "outsider-pass", ["officer"], "DCS")
    db.session.commit()
    with pytest.raises(NotFound):  # a case the outsider may not see answers as a missing one (issue 14 §5)
        comments.add(user("outsider"), case["id"], "路过")
    with pytest.raises(Invalid):
        comments.add(user("officer"), case["id"], "   ")
    assert len(events(case["id"], "comment_added")) == 2


def test_comment_posted_through_the_case_page(client, office):
    from .test_web import csrf, login
    case = office["officer"].register()
    login(client, "officer2")
    page = client.get(f"/cases/{case['id']}").get_data(as_text=True)
    response = client.post(f"/cases/{case['id']}/comments", data={"csrf_token": csrf(page), "body": "<b>请核对</b>"},
                           follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "评论已发表" in body and "&lt;b&gt;请核对&lt;/b&gt;" in body


# -- reassignment -------------------------------------------------------------

def test_head_reassigns_a_claimed_task_to_another_officer_who_may_work_the_lane(office):
    officer = office["officer"]
    case = officer.register()
    task = officer.open_task(case["id"])
    officer.ok(officer.post(f"/tasks/{task['id']}/claim"))
    with pytest.raises(Forbidden):
        operations.reassign(user("officer"), task["id"], "officer2")
    with pytest.raises(Invalid):
        operations.reassign(user("head"), task["id"], "reviewer")  # the registrar lane is not theirs
    row = operations.reassign(user("head"), task["id"], "officer2", "王登记休假")
    assert row.assignee.username == "officer2"
    assert "转办" in events(case["id"], "task_reassigned")[0].summary
    assert [t["id"] for t in office["officer2"].ok(office["officer2"].get("/tasks?scope=mine"))] == [task["id"]]


# -- incidents ----------------------------------------------------------------

@pytest.fixture
def broken_letters(monkeypatch):
    """The letter renderer fails (say, a font went missing) until the test repairs it. (Except for the
    registration receipt, issued when the case is registered, before any step under test.)"""
    from app.disclosure import letters
    real = letters.render_letter
    state = {"broken": True}

    def render(kind, **kw):
        if state["broken"] and kind != "registration_receipt":
            raise RuntimeError("找不到字体 Noto Serif CJK SC")
        return real(kind, **kw)

    monkeypatch.setattr(letters, "render_letter", render)
    return state


@pytest.fixture
def broken_escalations(monkeypatch):
    """Escalation notices fail (say, the notification table is locked) until the test repairs it; reminders
    still go out."""
    from app.services import notifications
    real = notifications.notify_lane
    state = {"broken": True}

    def notify_lane(case, lane, message, kind="info", **kw):
        if state["broken"] and kind == "overdue":
            raise RuntimeError("通知发送失败")
        return real(case, lane, message, kind, **kw)

    monkeypatch.setattr(notifications, "notify_lane", notify_lane)
    return state


def awaiting_third_party(officer):
    """A request whose third party was consulted today; its answer timer (tp_expired) escalates to the handler."""
    case = officer.register(received_on=office_today())
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", {"handling_action": "consult_third_party", "third_party_name": "某公司",
                                            "third_party_kind": "organisation", "consultation_matter": "合同金额"})
    return case


def to_approval(office):
    officer = office["officer"]
    case = officer.register(received_on=office_today())
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", {"handling_action": "draft_reply", "reply_type": "not_exist"})
    office["reviewer"].complete(case["id"], "confidentiality_review", {"review_result": "cleared"})
    return case


def test_failing_letter_opens_an_incident_and_a_retry_continues_the_process_once(office, broken_letters):
    case = to_approval(office)
    head = office["head"]
    body = head.complete(case["id"], "approve_reply", {"approval": "approve"}, status=500)
    assert "找不到字体" in body["error"] and "系统管理员" in body["error"]
    after = head.case(case["id"])
    assert after["status"] == "incident" and [d["kind"] for d in after["documents"]] == ["registration_receipt"]
    assert [t["spec_name"] for t in after["tasks"] if t["state"] == "ready"] == ["approve_reply"]
    incident = db.session.execute(select(Incident)).scalar_one()
    assert incident.step == "负责人审批答复" and incident.retry["data"] == {"approval": "approve"}
    # While the incident is open nobody can act on the case.
    task = head.open_task(case["id"], "approve_reply")
    refused = head.post(f"/tasks/{task['id']}/complete", {"data": {"approval": "approve"},
                                                          "case_version": after["version"]})
    assert refused.status_code == 409 and "故障" in refused.get_json()["error"]

    with pytest.raises(EngineFailure):  # the cause is not fixed yet: the retry fails and says so
        incidents.retry(user("admin"), incident.id)
    assert db.session.get(Incident, incident.id).attempts == 2

    broken_letters["broken"] = False
    with pytest.raises(Forbidden):
        incidents.retry(user("officer"), incident.id)
    incidents.retry(user("admin"), incident.id)
    done = head.case(case["id"])
    assert done["status"] == "active"
    assert [d["kind"] for d in done["documents"]] == ["registration_receipt", "reply"]
    assert done["documents"][1]["number"].endswith("〕1号")  # the failed attempts used no number
    assert [t["spec_name"] for t in done["tasks"] if t["state"] == "ready"] == ["record_delivery"]
    assert db.session.get(Incident, incident.id).resolved_at is not None
    with pytest.raises(Conflict):
        incidents.retry(user("admin"), incident.id)
    assert len(events(case["id"], "task_completed")) == 4  # approve_reply completed exactly once


# The correction deadline no longer ends a case by timer (a person confirms the lapse, issue 9 §1), so these
# tests use the third party's answer timer, whose escalation notice is what fails.
def test_a_timer_that_fails_in_the_worker_becomes_an_incident_and_the_worker_goes_on(office, broken_escalations):
    officer = office["officer"]
    case = awaiting_third_party(officer)
    age_timers(case["id"], {"tp_expired"})
    assert timers.run_once() == 1  # handled: flagged, not crashed
    assert db.session.get(Case, case["id"]).status == "incident"
    assert timers.run_once() == 0  # not picked up again while the incident is open
    broken_escalations["broken"] = False
    incident = db.session.execute(select(Incident)).scalar_one()
    assert incident.retry == {"command": "fire_timers"}
    incidents.retry(user("admin"), incident.id)
    assert db.session.get(Case, case["id"]).status == "active"
    assert officer.open_task(case["id"], "handle")  # the handler decides without the answer, exactly once
    assert officer.case(case["id"])["data"]["third_party_answer"] == "no_answer"


def test_a_failing_timer_in_a_batch_does_not_keep_the_others_from_firing_exactly_once(office, broken_escalations):
    officer = office["officer"]
    failing = awaiting_third_party(officer)
    reminded = [officer.register(received_on=office_today()) for _ in range(2)]
    for case in reminded:
        officer.complete(case["id"], "check_completeness", {"needs_correction": False})
        age_timers(case["id"], {"remind_handle"})
    age_timers(failing["id"], {"tp_expired"})  # the oldest wake-up: first in the batch
    assert timers.run_once() == 3
    assert db.session.get(Case, failing["id"]).status == "incident"
    for case in reminded:
        assert len(events(case["id"], "timer_fired")) == 1
        assert db.session.get(Case, case["id"]).status == "active"
    assert timers.run_once() == 0


# -- suspend, resume, terminate, rewind ----------------------------------------

def test_suspended_case_fires_no_timer_until_resumed(office):
    officer = office["officer"]
    case = officer.register(received_on=office_today())
    officer.complete(case["id"], "check_completeness", {"needs_correction": True, "correction_items": "请明确",
                                                        "correction_deadline": "2030-12-31"})
    with pytest.raises(Invalid):
        operations.suspend(user("admin"), case["id"], "")  # a reason is required
    with pytest.raises(Forbidden):
        operations.suspend(user("head"), case["id"], "等待上级意见")
    operations.suspend(user("admin"), case["id"], "等待上级意见")
    age_timers(case["id"], {"correction_expired"})
    assert timers.run_once() == 0
    task = officer.open_task(case["id"])
    refused = officer.post(f"/tasks/{task['id']}/complete", {"data": {"correction_result": "not_corrected"},
                                                             "case_version": officer.case(case["id"])["version"]})
    assert refused.status_code == 409 and "暂停" in refused.get_json()["error"]
    operations.resume(user("admin"), case["id"], "上级已答复")
    assert timers.run_once() == 1
    assert officer.open_task(case["id"], "confirm_correction_lapse")  # a person confirms the lapse (GIO 30)
    assert [e.summary for e in events(case["id"], "case_suspended")] == ["暂停案件：等待上级意见"]


def test_terminated_case_closes_its_open_tasks_with_the_reason(office):
    case = office["officer"].register()
    operations.terminate(user("admin"), case["id"], "申请人撤回申请")
    after = office["officer"].case(case["id"])
    assert after["status"] == "terminated"
    assert {t["state"] for t in after["tasks"]} == {"cancelled"}
    assert "申请人撤回申请" in events(case["id"], "case_terminated")[0].summary


def test_rewind_reopens_an_earlier_task_and_the_history_says_why(office):
    officer, reviewer = office["officer"], office["reviewer"]
    case = officer.register(received_on=office_today())
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    handle = officer.open_task(case["id"], "handle")
    officer.complete(case["id"], "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"})
    assert reviewer.open_task(case["id"], "confidentiality_review")
    with pytest.raises(Forbidden):
        operations.rewind(user("head"), handle["id"], "选错了答复类型")
    operations.rewind(user("admin"), handle["id"], "选错了答复类型")
    after = officer.case(case["id"])
    ready = [t for t in after["tasks"] if t["state"] == "ready"]
    assert [(t["spec_name"], t["id"]) for t in ready] == [("handle", handle["id"])]
    assert any(t["spec_name"] == "confidentiality_review" and t["state"] == "cancelled" for t in after["tasks"])
    assert "选错了答复类型" in events(case["id"], "case_rewound")[0].summary
    officer.complete(case["id"], "handle", {"handling_action": "draft_reply", "reply_type": "not_exist"})
    assert officer.case(case["id"])["data"]["reply_type"] == "not_exist"


def test_incidents_page_lists_open_incidents_for_administrators(client, office, broken_letters):
    from .test_web import login
    case = to_approval(office)
    office["head"].complete(case["id"], "approve_reply", {"approval": "approve"}, status=500)
    login(client, "admin")
    page = client.get("/admin/incidents").get_data(as_text=True)
    assert "负责人审批答复" in page and "找不到字体" in page
    officer = login(client.application.test_client(), "officer")
    assert officer.get("/admin/incidents").status_code == 403
