"""The office's procedure in a real browser: headless Chromium against the app over HTTP."""
import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case, CaseEvent, User
from app.services import cases

from ..helpers import REGISTRATION
from .conftest import ARTIFACTS

PASSWORD = "banjian-demo"
TRACKING = re.compile(r"YSQ-\d{4}-\d{6}")
DISPLAY_NAMES = {"officer": "王登记", "officer2": "李承办", "auditor": "吴审计"}


# -- steps a person takes ------------------------------------------------------

def log_in(page, username):
    page.goto("/login")
    token = page.locator('form input[name="csrf_token"]')
    expect(token).to_have_count(1)
    assert token.get_attribute("value"), "the login form carries no CSRF token"
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".topbar .who")).to_contain_text(DISPLAY_NAMES[username])
    if username == "auditor":  # auditors work no tasks: they start on the audit log
        expect(page).to_have_url(re.compile(r"/audit"))
    else:
        expect(page.get_by_role("heading", name="我的待办")).to_be_visible()


def fill_registration(page, **changes):
    """Type a disclosure request into the 登记申请 form as the clerk would."""
    values = {**REGISTRATION, **changes}
    page.get_by_label("申请人姓名或名称").fill(values["applicant_name"])
    page.get_by_label("申请人类型").select_option(label="自然人")
    page.get_by_label("身份证件类型").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill(values["id_number"])
    page.get_by_label("联系电话").fill(values["contact_phone"])
    page.get_by_label("电子邮箱").fill(values["contact_email"])
    page.get_by_label("通信地址").fill(values["contact_address"])
    page.get_by_label("申请方式").select_option(label="网络")
    page.get_by_label("收到申请日期").fill(values["received_on"])
    page.get_by_label("所需政府信息的名称、文号或描述").fill(values["description"])
    page.get_by_label("获取信息的形式").select_option(label="电子")
    page.get_by_label("获取信息的方式").select_option(label="电子邮件")


def task_row(page, title):
    """The row of the case page's task table for the task called ``title``."""
    return page.locator("table.list tbody tr").filter(has=page.get_by_role("link", name=title, exact=True))


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


# -- data set up behind the scenes (for tests about later steps) ---------------

def registered_case(app, username="officer"):
    """Register a request through the service layer, in its own app context and session."""
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == username)).scalar_one()
        case = cases.start_case(user, "disclosure_request", dict(REGISTRATION))
        task = cases.case_tasks(case, open_only=True)[0]
        return {"id": case.id, "tracking_number": case.tracking_number, "task_id": task.id,
                "version": case.version}


def stored_case(app, case_id):
    with app.app_context():
        case = db.session.get(Case, case_id)
        completions = db.session.execute(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.case_id == case_id, CaseEvent.type == "task_completed")).scalar_one()
        return {"data": dict(case.data), "version": case.version, "completions": completions}


def case_count(app):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Case)).scalar_one()


# -- the tests -----------------------------------------------------------------

def test_officer_registers_a_request_and_completes_the_completeness_check(browser_page):
    page = browser_page
    refused = page.request.post("/login", form={"username": "officer", "password": PASSWORD})
    assert refused.status == 400 and "CSRF" in refused.text()  # CSRF is on: only the real form gets in
    log_in(page, "officer")

    page.get_by_role("link", name="登记申请").click()
    expect(page.get_by_role("heading", name="登记政府信息公开申请")).to_be_visible()
    fill_registration(page)
    expect(page.get_by_label("申请人类型")).to_have_value("natural_person")
    page.get_by_role("button", name="登记").click()

    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    expect(page.get_by_role("alert")).to_contain_text(TRACKING)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(TRACKING)
    tracking_number = TRACKING.search(heading.inner_text()).group(0)
    expect(page.locator("p.meta")).to_contain_text("办理中")
    expect(page.locator("dl.data")).to_contain_text("张三")
    expect(page.locator("dl.data")).to_contain_text("网络")
    expect(task_row(page, "审查申请是否完整")).to_contain_text("待办")
    case_url = page.url

    # The registrar may work the first task: it was claimed for them and waits in 我的待办 (not 可认领).
    page.get_by_role("link", name="待办", exact=True).click()
    mine = page.locator("table.list").nth(0)
    row = mine.locator("tbody tr").filter(has_text=tracking_number)
    expect(row).to_contain_text("审查申请是否完整")
    expect(row).to_contain_text("张三")
    expect(row.get_by_role("button", name="退回")).to_be_visible()
    expect(page.locator("table.list").nth(1).locator("tbody tr").filter(has_text=tracking_number)).to_have_count(0)
    screenshot(page, "inbox.png")

    row.get_by_role("link", name="审查申请是否完整").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("审查申请是否完整")
    expect(page.locator("p.crumbs")).to_contain_text(tracking_number)
    page.get_by_role("radio", name="内容明确，直接办理").check()
    expect(page.get_by_role("radio", name="需要补正")).not_to_be_checked()
    screenshot(page, "task-form.png")
    page.get_by_role("button", name="提交").click()

    expect(page).to_have_url(case_url)
    expect(page.get_by_role("alert")).to_contain_text("已办理：审查申请是否完整")
    done = task_row(page, "审查申请是否完整")
    expect(done).to_contain_text("已办")
    expect(done).to_contain_text("王登记")
    expect(task_row(page, "检索并拟办答复")).to_contain_text("待办")
    expect(page.locator("dl.data")).to_contain_text("内容明确，直接办理")
    expect(page.locator("ol.timeline.history")).to_contain_text("办理：审查申请是否完整")
    screenshot(page, "case-page.png")


def test_a_missing_required_field_is_marked_beside_the_field_and_entries_are_kept(browser_page, live_server):
    page = browser_page
    log_in(page, "officer")
    page.goto("/cases/new/disclosure_request")
    fill_registration(page, applicant_name="李四", description="")
    page.get_by_role("button", name="登记").click()

    expect(page).to_have_url(re.compile(r"/cases/new/disclosure_request$"))
    expect(page.get_by_role("alert")).to_contain_text("登记信息有误，请检查标出的字段")
    description = page.locator(".field").filter(has=page.locator("#f_description"))
    expect(description).to_have_class(re.compile(r"\bhas-error\b"))
    expect(description.locator(".error")).to_have_text("请填写“所需政府信息的名称、文号或描述”")
    expect(page.locator(".field.has-error")).to_have_count(1)  # only that field is marked

    expect(page.get_by_label("申请人姓名或名称")).to_have_value("李四")
    expect(page.get_by_label("申请人类型")).to_have_value("natural_person")
    expect(page.get_by_label("身份证件类型")).to_have_value("resident_id")
    expect(page.get_by_label("证件号码")).to_have_value(REGISTRATION["id_number"])
    expect(page.get_by_label("申请方式")).to_have_value("online")
    expect(page.get_by_label("收到申请日期")).to_have_value("2026-03-02")
    expect(page.get_by_label("获取信息的方式")).to_have_value("email")

    # Nothing was registered; filling in the one field is enough to register with the kept entries.
    assert case_count(live_server.app) == 0
    page.get_by_label("所需政府信息的名称、文号或描述").fill(REGISTRATION["description"])
    page.get_by_role("button", name="登记").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    expect(page.locator("dl.data")).to_contain_text("李四")
    expect(page.locator("dl.data")).to_contain_text(REGISTRATION["id_number"])
    assert case_count(live_server.app) == 1


def test_a_conditionally_required_task_field_is_marked_and_the_choice_is_kept(browser_page, live_server):
    case = registered_case(live_server.app)
    page = browser_page
    log_in(page, "officer")
    page.goto(f"/tasks/{case['task_id']}")
    page.get_by_role("radio", name="需要补正").check()
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_role("alert")).to_contain_text("表单填写有误")
    expect(page.get_by_role("radio", name="需要补正")).to_be_checked()
    for field_id, message in [("#f_correction_items", "请填写“需要补正的事项（一次性告知）”"),
                              ("#f_correction_deadline", "请填写“补正期限”")]:
        field = page.locator(".field").filter(has=page.locator(field_id))
        expect(field.locator(".error")).to_have_text(message)
    assert stored_case(live_server.app, case["id"])["version"] == case["version"]


def test_a_stale_form_is_refused_with_a_message_and_nothing_is_lost(new_browser_page, live_server):
    case = registered_case(live_server.app)
    task_url = f"/tasks/{case['task_id']}"
    first, second = new_browser_page(), new_browser_page()
    log_in(first, "officer")
    log_in(second, "officer2")  # same department GKB: both may work the registration lane
    for page in (first, second):
        page.goto(task_url)
        expect(page.locator('input[name="case_version"]')).to_have_value(str(case["version"]))

    first.get_by_role("radio", name="内容明确，直接办理").check()
    first.get_by_role("button", name="提交").click()
    expect(first.get_by_role("alert")).to_contain_text("已办理：审查申请是否完整")

    second.get_by_role("radio", name="需要补正").check()
    second.get_by_label("需要补正的事项").fill("请明确所需信息的年份。")
    second.get_by_label("补正期限").fill("2026-03-20")
    second.get_by_role("button", name="提交").click()

    expect(second).to_have_url(re.compile(re.escape(task_url) + "$"))
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("已被他人修改")
    expect(alert).to_contain_text(f"您看到的是第 {case['version']} 版")
    expect(second.locator("p.notice")).to_contain_text("王登记")  # the task is shown as done, by whom
    expect(second.locator("form.task-form")).to_have_count(0)

    # Nothing is lost: the first officer's decision stands, the second one's was not applied.
    second.locator("p.crumbs").get_by_role("link", name=case["tracking_number"]).click()
    expect(task_row(second, "审查申请是否完整")).to_contain_text("王登记")
    expect(task_row(second, "检索并拟办答复")).to_have_count(1)
    expect(second.locator("dl.data")).to_contain_text("内容明确，直接办理")
    expect(second.locator("main")).not_to_contain_text("请明确所需信息的年份")
    stored = stored_case(live_server.app, case["id"])
    assert stored["data"]["needs_correction"] is False
    assert "correction_items" not in stored["data"]
    assert stored["completions"] == 1


def test_auditor_reads_the_case_but_cannot_work_the_task_and_the_history_chain_is_intact(
        browser_page, live_server):
    case = registered_case(live_server.app)
    page = browser_page
    log_in(page, "auditor")
    expect(page.get_by_role("link", name="登记申请")).to_have_count(0)

    page.get_by_role("link", name="案件", exact=True).click()
    page.get_by_role("link", name=case["tracking_number"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case["tracking_number"])
    expect(page.locator("dl.data")).to_contain_text("张三")

    task_row(page, "审查申请是否完整").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("审查申请是否完整")
    expect(page.locator("p.notice")).to_have_text("您可以查看该任务，但不能办理。")
    expect(page.locator("form.task-form")).to_have_count(0)
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_role("button", name="提交")).to_have_count(0)

    # Read-only is enforced by the server, not only by the missing form.
    token = page.locator('.topbar input[name="csrf_token"]').get_attribute("value")
    response = page.request.post(page.url, form={"csrf_token": token, "case_version": str(case["version"]),
                                                 "needs_correction": "false"})
    assert response.status == 403
    assert "不能办理" in response.text()
    assert stored_case(live_server.app, case["id"])["completions"] == 0

    page.get_by_role("link", name="审计", exact=True).click()
    expect(page.get_by_role("heading", name="办理记录完整性校验")).to_be_visible()
    expect(page.locator(".flash.error")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("共校验 1 件案件，所有办理记录的哈希链完整。")
