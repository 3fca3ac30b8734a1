"""The 案件 list: paged with a total (no silent cap), who each case is about for every process family."""
import re

from sqlalchemy import select

from app.extensions import db
from app.models import Case, Department, User
from app.services import cases, reading

from .helpers import REGISTRATION
from .test_web import login

SUPERVISION = {
    "ledger_number": "DB-2026-001", "source": "leader_instruction", "item_type": "special", "title": "老旧小区改造进度",
    "requirement": "按月报送进展", "priority": "normal", "registered_on": "2026-03-02", "due_date": "2026-06-30",
    "report_cycle": "P1M",
}


def _user(name):
    return db.session.execute(select(User).where(User.username == name)).scalar_one()


def _register_many(n):
    officer = _user("officer")
    for i in range(n):
        cases.start_case(officer, "disclosure_request", {**REGISTRATION, "applicant_name": f"申请人{i:03d}"})


def test_past_two_hundred_cases_every_case_is_reachable_through_the_pages(client):
    _register_many(205)
    login(client, "officer")
    first = client.get("/cases").get_data(as_text=True)
    assert "共 205 件" in first
    assert "第 1 / 5 页" in first
    assert first.count("<tr><td><a href=\"/cases/") == reading.CASES_PER_PAGE
    seen = set()
    for page in range(1, 6):
        html = client.get(f"/cases?page={page}").get_data(as_text=True)
        seen |= set(re.findall(r"申请人(\d{3})", html))
    assert len(seen) == 205  # the oldest case too: nothing stops at 200
    assert "申请人000" in client.get("/cases?page=5").get_data(as_text=True)


def test_a_bad_page_number_is_refused_in_words(client):
    login(client, "officer")
    response = client.get("/cases?page=abc")
    assert response.status_code == 422
    assert "页码应为 1 到 100000 之间的整数" in response.get_data(as_text=True)


def test_the_party_column_names_who_each_familys_case_is_about(client, app):
    cases.start_case(_user("officer"), "disclosure_request", dict(REGISTRATION))
    lead = db.session.execute(select(Department).order_by(Department.id)).scalars().first()
    supervision = cases.start_case(_user("dcofficer"), "supervision", {**SUPERVISION, "lead_department": lead.code})
    parties = reading.case_parties(_user("admin"), db.session.execute(select(Case)).scalars().all())
    assert sorted(parties.values()) == sorted([REGISTRATION["applicant_name"], lead.name])
    assert parties[supervision.id] == lead.name  # the department's name, not its code
    login(client, "admin")
    html = client.get("/cases").get_data(as_text=True)
    assert "当事人（申请人、信访人或牵头单位）" in html
    assert lead.name in html and REGISTRATION["applicant_name"] in html


def test_a_registrar_finds_the_case_they_just_registered_in_my_inbox(client):
    from .test_web import register_via_form
    login(client, "officer")
    case_url = register_via_form(client)
    case = db.session.get(Case, int(case_url.rsplit("/", 1)[1]))
    inbox = client.get("/").get_data(as_text=True)
    mine, claimable = inbox.split("<h2>可认领的任务</h2>")  # the first table is 我的待办
    assert case.tracking_number in mine
    assert case.tracking_number not in claimable
    assert "登记后自动认领任务：审查申请是否完整" in client.get(case_url).get_data(as_text=True)


def test_registering_through_the_service_claims_nothing_unasked(app):
    officer = _user("officer")
    case = cases.start_case(officer, "disclosure_request", dict(REGISTRATION))
    assert [t.assignee_id for t in cases.case_tasks(case, open_only=True)] == [None]


def test_an_auditor_lands_on_the_audit_page_and_an_officer_in_the_inbox(client, app):
    from .test_web import csrf
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "auditor", "password": "banjian-demo", "csrf_token": token})
    assert response.headers["Location"] == "/audit/"
    other = app.test_client()
    token = csrf(other.get("/login").get_data(as_text=True))
    response = other.post("/login", data={"username": "officer", "password": "banjian-demo", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_a_head_sees_overdue_and_due_soon_counts_first(client):
    # Received on 2026-03-02: the reply period ran out long before the office's today.
    cases.start_case(_user("officer"), "disclosure_request", dict(REGISTRATION))
    from app.services import filters
    counts = filters.due_counts(_user("head"))
    assert counts["overdue"] >= 1
    login(client, "head")
    html = client.get("/").get_data(as_text=True)
    assert re.search(rf"已超期 <strong>{counts['overdue']}</strong> 件", html)
    assert f"三日内到期 <strong>{counts['due_soon']}</strong> 件" in html
    assert html.index("已超期") < html.index("<h1>")
    login(client, "officer")
    assert "已超期 <strong>" not in client.get("/").get_data(as_text=True)  # officers see their own list first
