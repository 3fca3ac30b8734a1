"""Terminate and rewind ask first: a confirmation page names the case and what will happen (no JavaScript)."""
import re

from sqlalchemy import select

from app.extensions import db
from app.models import Case, User
from app.services import cases

from .helpers import REGISTRATION
from .test_web import csrf, login


def _case_with_a_completed_task():
    officer = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
    case = cases.start_case(officer, "disclosure_request", dict(REGISTRATION))
    first_id = cases.case_tasks(case, open_only=True)[0].id
    cases.claim_task(officer, first_id)
    cases.complete_task(officer, first_id, {"needs_correction": False}, db.session.get(Case, case.id).version)
    return db.session.get(Case, case.id), first_id


def _post(client, url, case_id, **form):
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf(page), **form})


def test_terminate_first_shows_what_will_happen_and_does_nothing(client):
    case, _ = _case_with_a_completed_task()
    login(client, "admin")
    response = _post(client, f"/cases/{case.id}/terminate", case.id, reason="申请人撤回申请")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"您将终止案件 <strong>{case.tracking_number}</strong>" in html
    assert "不能恢复办理" in html and "“检索并拟办答复”" in html  # the open task that will be cancelled
    assert "申请人撤回申请" in html  # the reason typed is carried over
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "active"

    confirmed = _post(client, f"/cases/{case.id}/terminate", case.id, reason="申请人撤回申请", confirm="yes")
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "terminated"


def test_rewind_names_the_task_who_did_it_and_when(client):
    case, first_id = _case_with_a_completed_task()
    login(client, "admin")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert re.search(r"“审查申请是否完整”：王登记 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 办理", page)
    version = case.version
    response = _post(client, f"/tasks/{first_id}/rewind", case.id, reason="补正事项漏列")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r"回退到“审查申请是否完整”（王登记 于 [0-9: -]+ 办理）", html)
    assert case.tracking_number in html and "之后已办理的步骤作废" in html
    db.session.expire_all()
    assert db.session.get(Case, case.id).version == version

    assert _post(client, f"/tasks/{first_id}/rewind", case.id, reason="补正事项漏列", confirm="yes").status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).version == version + 1


def test_terminate_looks_different_from_suspend(client):
    case, _ = _case_with_a_completed_task()
    login(client, "admin")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert re.search(r'<div class="danger-zone">.*?<button type="submit" class="danger">终止案件…</button>', page, re.S)
    assert '<button type="submit">暂停办理</button>' in page


def test_who_may_not_terminate_is_refused_before_being_asked(client):
    case, _ = _case_with_a_completed_task()
    login(client, "head")
    response = _post(client, f"/cases/{case.id}/terminate", case.id, reason="试一下")
    assert response.status_code == 403
    assert "您将终止案件" not in response.get_data(as_text=True)
