"""Notifications reach only people who may work or read the case (issue 14 §4)."""
from sqlalchemy import select

from app.extensions import db
from app.models import Case, Notification, User
from app.services import notifications

from .helpers import Api


def told(case_id):
    return sorted(db.session.execute(select(User.username).join(Notification, Notification.user_id == User.id)
                                     .where(Notification.case_id == case_id)).scalars())


def test_a_lane_granted_to_one_department_reaches_only_that_department(client):
    members = notifications.lane_members("disclosure_request", "承办")  # granted to officers of GKB
    assert {u.department.code for u in members} == {"GKB"}
    assert {u.username for u in notifications.lane_members("disclosure_request", "负责人")} == {"head"}


def test_a_reminder_and_an_escalation_reach_only_people_who_can_open_the_case(client):
    officer = Api(client, "officer")
    case = officer.register()
    row = db.session.get(Case, case["id"])
    notifications.notify_lane(row, "承办", "答复期限将至", "reminder")
    notifications.notify_lane(row, "负责人", "已超期", "overdue")
    db.session.commit()
    assert told(case["id"]) == ["head", "officer", "officer2"]
    for username in set(told(case["id"])):
        assert Api(client, username).get(f"/cases/{case['id']}").status_code == 200


def test_a_lane_open_to_every_department_tells_only_those_who_may_read_the_case(client):
    # Petitions: the head lane is granted to heads of any department; a petition registered by the petition
    # office must not reach the head of the supervision office.
    xf = Api(client, "xfofficer")
    petition = xf.ok(xf.post("/cases", {"process": "petition", "data": {
        "petitioner_name": "王五", "channel": "letter", "received_on": "2026-03-02", "category": "claim",
        "subject": "小区噪音", "content": "夜间施工噪音扰民。", "contact_address": "示范市幸福路1号"}}), 201)
    assert "dchead" in {u.username for u in notifications.lane_members("petition", "负责人")}
    notifications.notify_lane(db.session.get(Case, petition["id"]), "负责人", "超期提醒", "overdue")
    db.session.commit()
    assert "dchead" not in told(petition["id"])
