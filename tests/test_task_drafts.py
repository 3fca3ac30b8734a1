"""A task form saved as a draft and resumed: per person and task, unvalidated, gone once the task is done."""
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Case, TaskDraft, User
from app.services import cases

from .helpers import REGISTRATION
from .test_web import csrf, login


def _open_case(username="officer"):
    user = db.session.execute(select(User).where(User.username == username)).scalar_one()
    case = cases.start_case(user, "disclosure_request", dict(REGISTRATION))
    task = cases.case_tasks(case, open_only=True)[0]
    return case.id, task.id


def _post(client, task_id, **form):
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    version = re.search(r'name="case_version" value="(\d+)"', page).group(1)
    return client.post(f"/tasks/{task_id}", data={"csrf_token": csrf(page), "case_version": version, **form})


def _drafts():
    return db.session.execute(select(func.count()).select_from(TaskDraft)).scalar_one()


def test_a_half_filled_form_is_saved_without_validation_and_resumed(client):
    case_id, task_id = _open_case()
    login(client, "officer")
    version = db.session.get(Case, case_id).version
    response = _post(client, task_id, action="draft", needs_correction="true",
                     correction_items="请补充所需信息的文号")  # the deadline is still missing: no matter for a draft
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "已保存草稿" in html
    db.session.expire_all()
    assert db.session.get(Case, case_id).version == version  # nothing was submitted

    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "保存了草稿" in page
    assert re.search(r'<textarea id="f_correction_items"[^>]*>请补充所需信息的文号</textarea>', page)
    assert re.search(r'value="true" checked', page)


def test_a_draft_is_the_savers_own(client, app):
    _, task_id = _open_case()
    login(client, "officer")
    _post(client, task_id, action="draft", correction_items="只给自己看的草稿")
    other = app.test_client()
    login(other, "officer2")
    page = other.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "只给自己看的草稿" not in page and "保存了草稿" not in page


def test_submitting_the_task_removes_its_drafts(client):
    case_id, task_id = _open_case()
    login(client, "officer")
    _post(client, task_id, action="draft", needs_correction="false")
    assert _drafts() == 1
    response = _post(client, task_id, needs_correction="false")
    assert response.status_code == 302
    assert _drafts() == 0


def test_a_draft_can_be_discarded(client):
    _, task_id = _open_case()
    login(client, "officer")
    _post(client, task_id, action="draft", correction_items="不要了")
    response = _post(client, task_id, action="discard_draft")
    assert response.status_code == 302
    assert _drafts() == 0
    assert "不要了" not in client.get(f"/tasks/{task_id}").get_data(as_text=True)


def test_who_may_not_work_the_task_may_not_save_a_draft(client):
    _, task_id = _open_case()
    login(client, "auditor")
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    response = client.post(f"/tasks/{task_id}", data={"csrf_token": csrf(page), "action": "draft",
                                                      "correction_items": "审计员不能办理"})
    assert response.status_code == 403
    assert _drafts() == 0


def test_an_oversized_draft_is_refused_in_words_and_the_text_is_kept(client):
    _, task_id = _open_case()
    login(client, "officer")
    text = "长" * 100_000  # 300 KB of UTF-8
    response = _post(client, task_id, action="draft", correction_items=text)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "草稿内容过长" in html and text in html
    assert _drafts() == 0
