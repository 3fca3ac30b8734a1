"""The head opens the approval task in a real browser and finds the draft reply framed on the page."""
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import Document, User
from app.services import cases

from ..helpers import REGISTRATION
from .test_browser_flows import PASSWORD, screenshot

HANDLING = {"handling_action": "draft_reply", "reply_type": "not_exist",
            "reply_text": "本机关对档案室和业务科室进行了检索。"}


def case_awaiting_approval(app):
    """Register, check, draft and clear a request through the services, as the office would have."""
    with app.app_context():
        def user(name):
            return db.session.execute(select(User).where(User.username == name)).scalar_one()

        def complete(name, spec, data):
            case_row = db.session.get(type(case), case.id)
            (task,) = [t for t in cases.case_tasks(case_row, open_only=True) if t.spec_name == spec]
            cases.complete_task(user(name), task.id, data, case_row.version)

        case = cases.start_case(user("officer"), "disclosure_request", dict(REGISTRATION))
        complete("officer", "check_completeness", {"needs_correction": False})
        complete("officer", "handle", HANDLING)
        complete("reviewer", "confidentiality_review", {"review_result": "cleared"})
        (task,) = cases.case_tasks(db.session.get(type(case), case.id), open_only=True)
        documents = db.session.execute(select(func.count()).select_from(Document)).scalar_one()
        return {"id": case.id, "task_id": task.id, "documents": documents}


def test_the_head_sees_the_draft_reply_on_the_approval_page(browser_page, live_server):
    case = case_awaiting_approval(live_server.app)
    page = browser_page
    page.goto("/login")
    page.get_by_label("用户名").fill("head")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    with page.expect_response(lambda r: r.url.endswith(f"/tasks/{case['task_id']}/preview")) as framed:
        page.goto(f"/tasks/{case['task_id']}")
    expect(page.get_by_role("heading", name="政府信息公开申请答复书（预览）")).to_be_visible()
    frame = page.locator("section.letter-preview iframe")
    expect(frame).to_be_visible()
    assert frame.bounding_box()["height"] >= 600  # a page one can read, not a thumbnail
    response = framed.value
    # The frame got the PDF (Chromium shows it in its viewer, so its body here is the viewer's page).
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    # The task page may frame it (the site-wide policy forbids framing everything else).
    assert response.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert page.request.get(response.url).body().startswith(b"%PDF")
    expect(page.get_by_role("link", name="在新窗口中打开预览")).to_have_attribute("target", "_blank")
    screenshot(page, "head-approval-with-preview.png")
    with live_server.app.app_context():
        assert db.session.execute(select(func.count()).select_from(Document)).scalar_one() == case["documents"]
