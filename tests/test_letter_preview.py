"""The head and the confidentiality reviewer see the draft reply letter on their task page before deciding
(issue 9 §5): the very letter that will be issued, marked 预览/草稿, with nothing stored or numbered."""
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import CaseEvent, Counter, Document

from .helpers import Api, pdf_text
from .test_web import login

HANDLING = {"handling_action": "draft_reply", "reply_type": "withheld",
            "withholding_reasons": ["process_information"], "principal_reason": "process_information",
            "reason_detail_process_information": "该记录是项目论证阶段的内部讨论，尚未形成决定",
            "reply_text": "您申请的材料系项目论证阶段的会议讨论记录。"}


@pytest.fixture
def office(client):
    return {name: Api(client, name) for name in ("officer", "reviewer", "head")}


def drafted(office):
    officer = office["officer"]
    case = officer.register()
    officer.complete(case["id"], "check_completeness", {"needs_correction": False})
    officer.complete(case["id"], "handle", HANDLING)
    return case["id"]


def stored_state():
    return (db.session.scalar(select(func.count()).select_from(Document)),
            db.session.scalar(select(func.count()).select_from(CaseEvent)),
            db.session.scalar(select(func.coalesce(func.sum(Counter.value), 0))))


def test_the_head_previews_the_reply_exactly_as_it_will_be_issued_and_nothing_is_stored(office, client, tmp_path):
    case_id = drafted(office)
    office["reviewer"].complete(case_id, "confidentiality_review", {"review_result": "cleared"})
    task = office["head"].open_task(case_id, "approve_reply")
    web = login(client, "head")

    page = web.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "政府信息公开申请答复书（预览）" in page
    assert f'src="/tasks/{task["id"]}/preview"' in page

    before = stored_state()
    response = web.get(f"/tasks/{task['id']}/preview")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    draft = pdf_text(response.data, tmp_path)
    assert stored_state() == before  # no document, no history line, no document number consumed

    assert "预览/草稿" in draft and "（预览/草稿，未编号）" in draft
    assert "依复〔" not in draft
    for phrase in ("第三十六条第（三）项", "第十六条第二款", "您申请的材料系项目论证阶段的会议讨论记录。",
                   "应当先向行政复议机关申请行政复议", "特此告知。"):
        assert phrase in draft

    office["head"].complete(case_id, "approve_reply", {"approval": "approve"})
    (doc,) = [d for d in office["officer"].case(case_id)["documents"] if d["kind"] == "reply"]
    issued = pdf_text(office["officer"].get(f"/documents/{doc['id']}").data, tmp_path)
    # The reply gets the year's first number, since the preview took none; and it is the preview word for
    # word, with its number where the draft said 未编号 and without the draft marks.
    assert re.fullmatch(r"示政办依复〔\d{4}〕1号", doc["number"])
    # (The slanted mark on each page may read backwards in pdftotext's order.)
    unmarked = draft.replace("（预览/草稿，未编号）", doc["number"]).replace("预览/草稿", "").replace("稿草/览预", "")
    assert unmarked == issued


def test_the_confidentiality_reviewer_sees_the_draft_too(office, client, tmp_path):
    case_id = drafted(office)
    task = office["reviewer"].open_task(case_id, "confidentiality_review")
    web = login(client, "reviewer")
    assert "答复书（预览）" in web.get(f"/tasks/{task['id']}").get_data(as_text=True)
    draft = pdf_text(web.get(f"/tasks/{task['id']}/preview").data, tmp_path)
    assert "预览/草稿" in draft and "第十六条第二款" in draft


def test_tasks_that_decide_no_letter_have_no_preview(office, client):
    officer = office["officer"]
    case = officer.register()
    task = officer.open_task(case["id"], "check_completeness")
    web = login(client, "officer")
    assert "（预览）" not in web.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert web.get(f"/tasks/{task['id']}/preview").status_code == 404


def test_someone_who_may_not_see_the_case_gets_no_preview(office, client):
    case_id = drafted(office)
    task = office["reviewer"].open_task(case_id, "confidentiality_review")
    web = login(client, "dcofficer")
    response = web.get(f"/tasks/{task['id']}/preview")
    assert response.status_code == 404  # a case one may not see answers as a missing one
    assert response.mimetype != "application/pdf"


def test_the_api_serves_the_same_preview_and_json_errors(office, tmp_path):
    case_id = drafted(office)
    reviewer = office["reviewer"]
    task = reviewer.open_task(case_id, "confidentiality_review")
    response = reviewer.get(f"/tasks/{task['id']}/preview")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "（预览/草稿，未编号）" in pdf_text(response.data, tmp_path)
    other = office["officer"].open_task(office["officer"].register()["id"], "check_completeness")
    missing = office["officer"].get(f"/tasks/{other['id']}/preview")
    assert missing.status_code == 404 and missing.get_json() == {"error": "该任务没有文书预览"}


def test_a_finished_task_previews_nothing_the_issued_letter_is_on_the_case(office, client):
    case_id = drafted(office)
    task = office["reviewer"].open_task(case_id, "confidentiality_review")
    office["reviewer"].complete(case_id, "confidentiality_review", {"review_result": "cleared"})
    web = login(client, "reviewer")
    assert web.get(f"/tasks/{task['id']}/preview").status_code == 404


def test_previewLetter_must_name_a_letter_kind_code(app):
    from pathlib import Path

    from app.services import processes
    from workflows.validation import SpecError

    path = Path(app.config["BPMN_DIR"]) / "disclosure_request.bpmn"
    bpmn = path.read_bytes().replace(b'name="previewLetter" value="reply"',
                                     b'name="previewLetter" value="reply; drop()"', 1)
    with pytest.raises(Exception) as refused:
        processes.deploy(bpmn, processes.forms_beside(path, bpmn), actor=None, note="broken preview")
    assert any(isinstance(e, SpecError) and e.element_id == "confidentiality_review" and "previewLetter" in e.message
               for e in getattr(refused.value, "errors", [])), refused.value
