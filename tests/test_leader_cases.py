"""Leader-assigned cases (领导包案): an administrator or the head of the case's department attaches a head to a
case; the leader then sees it in the inbox section 包案 and may read it; the attachment is in the history."""
from .helpers import Api
from .test_petition_lifecycle import register
from .test_web import csrf, login


def test_admin_attaches_a_head_who_then_sees_and_reads_the_petition(client):
    registrar, admin, leader = Api(client, "xfofficer"), Api(client, "admin"), Api(client, "head")
    case = register(registrar)
    # The head of 政务公开办 has nothing to do with a petition the petition office is still deciding on.
    assert leader.get(f"/cases/{case['id']}").status_code == 404  # same as a missing id (issue 14 §5)
    assert case["tracking_number"] not in login(client, "head").get("/inbox").get_data(as_text=True)

    attached = admin.ok(admin.post(f"/cases/{case['id']}/leaders", {"username": "head"}), 201)
    assert attached["username"] == "head" and attached["name"] == "陈主任"

    assert leader.case(case["id"])["tracking_number"] == case["tracking_number"]
    assert [c["tracking_number"] for c in leader.ok(leader.get("/led-cases"))] == [case["tracking_number"]]
    inbox = client.get("/").get_data(as_text=True)  # still logged in as head
    assert "包案" in inbox and case["tracking_number"] in inbox
    assert client.get(f"/cases/{case['id']}").status_code == 200
    # Reading is not working: the leader is no candidate for the petition office's task.
    task = registrar.open_task(case["id"], "intake_decision")
    assert leader.post(f"/tasks/{task['id']}/claim").status_code == 403

    (event,) = [e for e in admin.ok(admin.get(f"/cases/{case['id']}/history")) if e["type"] == "leader_attached"]
    assert event["actor"] == "郑管理" and event["payload"]["leader"] == "head"
    assert "陈主任" in event["summary"]
    assert [row["username"] for row in admin.ok(admin.get(f"/cases/{case['id']}/leaders"))] == ["head"]


def test_the_head_of_the_case_department_may_attach_a_leader_from_another_department(client):
    officer, head, leader = Api(client, "officer"), Api(client, "head"), Api(client, "dchead")
    case = officer.register()
    assert leader.get(f"/cases/{case['id']}").status_code == 404  # same as a missing id (issue 14 §5)
    head.ok(head.post(f"/cases/{case['id']}/leaders", {"username": "dchead"}), 201)
    assert leader.case(case["id"])["id"] == case["id"]
    # Once is enough.
    assert head.post(f"/cases/{case['id']}/leaders", {"username": "dchead"}).status_code == 409


def test_others_may_not_attach_leaders_and_only_heads_can_be_leaders(client):
    registrar, officer, admin = Api(client, "xfofficer"), Api(client, "officer"), Api(client, "admin")
    petition = register(registrar)
    disclosure = officer.register()
    # An officer of the case's own department, and the head of another department, are refused.
    assert registrar.post(f"/cases/{petition['id']}/leaders", {"username": "head"}).status_code == 403
    assert Api(client, "dchead").post(f"/cases/{disclosure['id']}/leaders", {"username": "dchead"}).status_code == 404
    # A head who cannot even see the case learns nothing about it.
    assert Api(client, "head").post(f"/cases/{petition['id']}/leaders", {"username": "head"}).status_code == 404
    # Only a head can lead a case.
    body = admin.ok(admin.post(f"/cases/{petition['id']}/leaders", {"username": "officer"}), 422)
    assert "username" in body["fields"]
    assert admin.ok(admin.get(f"/cases/{petition['id']}/leaders")) == []
    assert not [e for e in admin.ok(admin.get(f"/cases/{petition['id']}/history")) if e["type"] == "leader_attached"]
    assert Api(client, "head").ok(Api(client, "head").get("/led-cases")) == []


def test_the_case_page_lists_the_leaders_and_offers_the_form_only_to_who_may_attach(app, client):
    case = register(Api(client, "xfofficer"))
    page = login(app.test_client(), "xfofficer").get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "孙信访" in page and "确定包案领导" not in page  # an officer may not attach one
    page = login(client, "admin").get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "确定包案领导" in page
    response = client.post(f"/cases/{case['id']}/leaders", data={"username": "head", "csrf_token": csrf(page)})
    assert response.status_code == 302
    page = client.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "陈主任（head）" in page
    # Without the CSRF token nothing is attached.
    assert client.post(f"/cases/{case['id']}/leaders", data={"username": "dchead"}).status_code == 400
    assert "冯督查（dchead）" not in client.get(f"/cases/{case['id']}").get_data(as_text=True)
