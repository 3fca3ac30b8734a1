"""Officers' daily work in Chromium: confirmation before terminating, and the task page and inbox on a phone."""
from playwright.sync_api import expect

from .test_browser_flows import log_in, registered_case, screenshot
from .test_public_flow import complete


def test_terminate_asks_for_confirmation_naming_the_case(browser_page, live_server):
    case = registered_case(live_server.app)
    page = browser_page
    page.goto("/login")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("banjian-demo")
    page.get_by_role("button", name="登录").click()
    page.goto(f"/cases/{case['id']}")
    page.get_by_label("终止案件的理由").fill("申请人书面撤回申请")
    page.get_by_role("button", name="终止案件…").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("确认终止案件")
    expect(page.locator("#confirm")).to_contain_text(case["tracking_number"])
    expect(page.locator("#confirm")).to_contain_text("不能恢复办理")
    expect(page.locator("#confirm")).to_contain_text("“审查申请是否完整”")
    expect(page.get_by_label("理由")).to_have_value("申请人书面撤回申请")
    screenshot(page, "terminate-confirmation.png")

    page.get_by_role("link", name="返回案件，不终止案件").click()
    expect(page.locator("p.meta")).to_contain_text("办理中")  # going back changed nothing

    page.get_by_label("终止案件的理由").fill("申请人书面撤回申请")
    page.get_by_role("button", name="终止案件…").click()
    page.get_by_role("button", name="确认终止案件").click()
    expect(page.get_by_role("alert")).to_contain_text("已终止")
    expect(page.locator("p.meta")).to_contain_text("已终止")


def _fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide at a {width} px viewport"


def test_the_task_page_and_inbox_fit_a_390_px_phone(new_browser_page, live_server):
    case = registered_case(live_server.app)
    complete(live_server.app, "officer", case["tracking_number"], "check_completeness", {"needs_correction": False})
    page = new_browser_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "officer")
    _fits(page, 390)
    search = page.get_by_role("search", name="筛选待办")
    expect(search).to_be_hidden()  # filters folded away on a phone
    page.get_by_text("筛选条件", exact=True).click()
    expect(search.get_by_label("全文检索")).to_be_visible()
    _fits(page, 390)
    screenshot(page, "inbox-390.png")
    page.get_by_role("link", name="检索并拟办答复").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("检索并拟办答复")
    page.get_by_label("下一步").select_option(label="拟办答复，送保密审查")
    page.get_by_label("答复类型").select_option(label="不予公开")
    _fits(page, 390)
    box = page.locator("aside.side-col").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # 案件信息 is not cut off
    screenshot(page, "task-390.png")


def test_the_case_list_pages_past_two_hundred_cases(browser_page, live_server):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User
    from app.services import cases

    from ..helpers import REGISTRATION
    with live_server.app.app_context():
        officer = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
        for i in range(205):
            cases.start_case(officer, "disclosure_request", {**REGISTRATION, "applicant_name": f"申请人{i:03d}"})
        db.session.remove()
    page = browser_page
    log_in(page, "officer")
    page.get_by_role("link", name="案件", exact=True).click()
    expect(page.locator("#case-count")).to_have_text("共 205 件")
    expect(page.locator("table.cases tbody tr")).to_have_count(50)
    expect(page.locator("table.cases thead")).to_contain_text("当事人")
    expect(page.locator("table.cases tbody")).to_contain_text("申请人204")  # newest first
    for _ in range(4):
        page.get_by_role("link", name="下一页").click()
    expect(page.locator("nav.pager")).to_contain_text("第 5 / 5 页，共 205 件")
    expect(page.locator("table.cases tbody tr")).to_have_count(5)
    expect(page.locator("table.cases tbody")).to_contain_text("申请人000")  # the 205th case is there too
    expect(page.get_by_role("link", name="下一页")).to_have_count(0)
    screenshot(page, "case-list-page-5.png")
