"""The task page says before anything is typed when the task cannot be worked: claimed by someone else, or the
case suspended; the inbox marks suspended cases."""
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services import cases, operations

from .helpers import REGISTRATION
from .test_web import login


def _user(name):
    return db.session.execute(select(User).where(User.username == name)).scalar_one()


def _registered():
    case = cases.start_case(_user("officer"), "disclosure_request", dict(REGISTRATION))
    return case.id, cases.case_tasks(case, open_only=True)[0].id


def test_a_task_claimed_by_a_colleague_is_shown_without_its_form(client):
    _, task_id = _registered()
    cases.claim_task(_user("officer"), task_id)
    login(client, "officer2")
    html = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "该任务已由王登记认领，您可以查看，但不能办理。" in html
    assert 'class="task-form"' not in html and "提交" not in html
    login(client, "officer")
    assert 'class="task-form"' in client.get(f"/tasks/{task_id}").get_data(as_text=True)


def test_a_suspended_cases_task_is_read_only_and_marked_in_the_inbox(client):
    case_id, task_id = _registered()
    operations.suspend(_user("admin"), case_id, "等待上级批复")
    login(client, "officer")
    html = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "案件已暂停办理，恢复办理前不能办理该任务。" in html
    assert 'class="task-form"' not in html
    inbox = client.get("/").get_data(as_text=True)
    assert '<span class="badge suspended">已暂停</span>' in inbox


def test_reassign_and_lead_pick_from_the_eligible_people_by_name(client):
    case_id, task_id = _registered()
    login(client, "head")
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    picker = html.split(f'<select id="to_{task_id}" name="to" required>')[1].split("</select>")[0]
    assert '<option value="officer2">李承办（政务公开办）</option>' in picker  # may work the registration lane
    assert "auditor" not in picker and "吴审计" not in picker  # auditors work no lanes
    leaders = html.split('<datalist id="leader_choices">')[1].split("</datalist>")[0]
    assert ">陈主任" in leaders and "王登记" not in leaders  # only heads lead a case


def test_someone_who_may_not_reassign_gets_no_list(client):
    from app.services import operations as ops
    _, task_id = _registered()
    from app.models import HumanTask
    assert ops.eligible_assignees(_user("officer"), db.session.get(HumanTask, task_id)) == []


def test_the_history_says_what_was_decided_in_words(client):
    case_id, task_id = _registered()
    officer = _user("officer")
    cases.claim_task(officer, task_id)
    from app.models import Case
    cases.complete_task(officer, task_id, {"needs_correction": False}, db.session.get(Case, case_id).version)
    login(client, "officer")
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "办理：审查申请是否完整——申请内容是否需要补正：内容明确，直接办理" in html


def test_decision_words_never_name_a_field_hidden_from_some_readers():
    from workflows.forms import decision_words
    schema = {"properties": {
        "reporter_kind": {"type": "string", "title": "举报人身份", "x-confidential-when": {"kind": "accusation"},
                          "oneOf": [{"const": "staff", "title": "内部人员"}]},
        "outcome": {"type": "string", "title": "处理结果", "oneOf": [{"const": "done", "title": "已办结"}]}}}
    assert decision_words(schema, {"reporter_kind": "staff", "outcome": "done"}) == "处理结果：已办结"


def test_the_delivery_form_starts_from_the_way_the_applicant_asked_to_receive_the_reply():
    import json
    from pathlib import Path

    from workflows.forms import prefilled
    schema = json.loads((Path(__file__).resolve().parent.parent / "bpmn/forms/record_delivery.json").read_text())
    assert prefilled(schema, {"delivery_method": "email"})["delivered_by"] == "email"
    assert prefilled(schema, {"delivery_method": "email", "delivered_by": "post"})["delivered_by"] == "post"


def test_the_task_page_links_the_cases_letters_and_files(client):
    from app.models import Attachment, Document
    from app.services import attachments
    case_id, task_id = _registered()
    officer = _user("officer")
    attachments.upload(officer, case_id, "申请书.txt", "申请公开老旧小区改造清单".encode())
    login(client, "officer")
    html = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    files = html.split('<h2 id="task-files">文书与附件</h2>')[1].split("</ul>")[0]
    attachment = db.session.execute(select(Attachment).where(Attachment.case_id == case_id)).scalar_one()
    assert f'href="/attachments/{attachment.id}" download>附件 #{attachment.id}：申请书.txt</a>' in files
    for doc in db.session.execute(select(Document).where(Document.case_id == case_id)).scalars():
        assert f'href="/documents/{doc.id}">{doc.title}</a>' in files
