"""A member of the public in a real browser (no JavaScript needed): file online on a phone-sized screen and on a
desktop one, the registrar finds the task in the inbox, the office answers, and the applicant downloads the
letter from the status page. Screenshots go to tests/artifacts/public-*.png."""
import re
import subprocess

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Case, HumanTask, User
from app.services import cases

from ..public_helpers import RESIDENT_ID
from .conftest import ARTIFACTS
from .test_browser_flows import DISPLAY_NAMES, log_in

DISPLAY_NAMES.setdefault("xfofficer", "孙信访")  # the petition office's registrar (app/seed.py), for log_in
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def fits_the_screen(page):
    """Nothing wider than the viewport: no sideways scrolling on a phone."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def receipt_of(page):
    expect(page.get_by_role("heading", name="提交成功")).to_be_visible()
    return page.locator("#tracking-number").inner_text(), page.locator("#query-code").inner_text()


def complete(app, username, tracking_number, spec_name, data):
    """The office's step, through the same service the task form uses."""
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == username)).scalar_one()
        case = db.session.execute(select(Case).where(Case.tracking_number == tracking_number)).scalar_one()
        task = db.session.execute(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "ready",
                                                          HumanTask.spec_name == spec_name)).scalar_one()
        cases.complete_task(user, task.id, data, case.version)
        db.session.remove()


def look_up(page, tracking_number, code):
    page.goto("/public/status")
    page.get_by_label("编号").fill(tracking_number)
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#tracking-number")).to_have_text(tracking_number)


def download_text(page, title, tmp_path):
    row = page.locator("ul.documents li").filter(has_text=title)
    with page.expect_download() as info:
        row.get_by_role("button", name="下载").click()
    path = tmp_path / "letter.pdf"
    info.value.save_as(path)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def find_in_inbox(page, username, tracking_number, task_title):
    log_in(page, username)
    row = page.locator("table.list tbody tr").filter(has_text=tracking_number)
    expect(row.first).to_contain_text(task_title)


@pytest.mark.parametrize("viewport, size", [(PHONE, "390"), (DESKTOP, "1366")])
def test_a_disclosure_request_filed_online_is_answered_and_the_reply_downloaded(
        new_browser_page, live_server, tmp_path, viewport, size):
    live_server.app.config["PUBLIC_FORM_MIN_SECONDS"] = 0
    public = new_browser_page()
    public.set_viewport_size(viewport)
    public.goto("/public/")
    fits_the_screen(public)
    shot(public, f"public-home-{size}.png")
    public.get_by_role("link", name="申请政府信息公开").first.click()
    expect(public.get_by_role("heading", name="网上政府信息公开申请")).to_be_visible()
    public.get_by_label("申请人类型").select_option(label="自然人")
    public.get_by_label("申请人姓名或名称").fill("王小明")
    public.get_by_label("身份证件类型").select_option(label="居民身份证")
    public.get_by_label("证件号码").fill(RESIDENT_ID[:-1] + "1")  # one character wrong
    public.get_by_label("联系电话").fill("13800138000")
    public.get_by_label("所需政府信息的名称、文号或描述").fill("2025年度本市老旧小区改造项目清单")
    public.get_by_label("获取信息的形式").select_option(label="电子")
    public.get_by_label("获取信息的方式").select_option(label="网上获取")
    public.get_by_role("button", name="提交").click()
    expect(public.locator("#err_id_number")).to_contain_text("校验位不正确")
    expect(public.get_by_label("证件号码")).to_have_attribute("aria-invalid", "true")
    expect(public.get_by_label("申请人姓名或名称")).to_have_value("王小明")  # nothing typed is lost
    fits_the_screen(public)
    shot(public, f"public-apply-error-{size}.png")
    public.get_by_label("证件号码").fill(RESIDENT_ID)
    public.get_by_label("证件号码").press("Enter")  # the keyboard submits the form
    tracking_number, code = receipt_of(public)
    assert tracking_number.startswith("YSQ-")
    fits_the_screen(public)
    shot(public, f"public-receipt-{size}.png")

    officer = new_browser_page()
    find_in_inbox(officer, "officer", tracking_number, "审查申请是否完整")
    app = live_server.app
    complete(app, "officer", tracking_number, "check_completeness", {"needs_correction": False})
    complete(app, "officer", tracking_number, "handle", {"handling_action": "draft_reply", "reply_type": "disclosed",
                                                        "reply_text": "所需信息见附件。"})
    complete(app, "reviewer", tracking_number, "confidentiality_review", {"review_result": "cleared"})
    complete(app, "head", tracking_number, "approve_reply", {"approval": "approve"})

    look_up(public, tracking_number, code)
    expect(public.locator("#stage")).to_have_text("答复已作出，正在送达")
    public.get_by_text("期限是怎样计算的").first.click()
    expect(public.locator("section.deadline").first).to_contain_text("第三十三条")
    fits_the_screen(public)
    shot(public, f"public-status-{size}.png")
    text = download_text(public, "答复书", tmp_path)
    assert "王小明" in text and "2025年度本市老旧小区改造项目清单" in text
    look_up(public, tracking_number, code)  # the first download was recorded as electronic delivery
    expect(public.locator("ul.documents li").filter(has_text="答复书")).to_contain_text("已下载")


def test_a_petition_filed_on_a_phone_is_answered_and_evaluated_online(new_browser_page, live_server, tmp_path):
    live_server.app.config["PUBLIC_FORM_MIN_SECONDS"] = 0
    public = new_browser_page()
    public.set_viewport_size(PHONE)
    public.goto("/public/apply/petition")
    public.get_by_label("信访人姓名或名称").fill("赵六")
    public.get_by_label("身份证件号码").fill(RESIDENT_ID)
    public.get_by_label("联系电话").fill("13900139000")
    public.get_by_label("信访事项类别").select_option(label="申诉求决类")
    public.get_by_label("反映事项（摘要）").fill("小区旁工地夜间施工噪声扰民")
    public.get_by_label("请求、事实和理由").fill("工地连续两周在夜间22时后施工，请求责令停止夜间施工。")
    public.get_by_role("button", name="提交").click()
    tracking_number, code = receipt_of(public)
    assert tracking_number.startswith("XF-")

    registrar = new_browser_page()
    find_in_inbox(registrar, "xfofficer", tracking_number, "登记处理")
    app = live_server.app
    with app.app_context():
        received_on = db.session.execute(select(Case).where(Case.tracking_number == tracking_number)
                                         ).scalar_one().data["received_on"]
        db.session.remove()
    complete(app, "xfofficer", tracking_number, "intake_decision", {
        "intake_decision": "accept", "intake_decided_on": received_on, "handling_unit": "GKB",
        "handling_department": "政务公开办"})
    complete(app, "officer", tracking_number, "handle_petition", {
        "handling_action": "reply", "outcome": "not_support", "handling_opinion": "经调查核实，该工地已取得夜间施工许可。",
        "opinion_legal_basis": "《中华人民共和国噪声污染防治法》第四十三条"})

    look_up(public, tracking_number, code)
    expect(public.locator("#stage")).to_have_text("已出具处理意见，欢迎您评价办理结果")
    assert "经调查核实" in download_text(public, "信访处理意见书", tmp_path)
    look_up(public, tracking_number, code)
    public.get_by_role("radio", name="基本满意").check()
    public.get_by_role("button", name="提交评价").click()
    expect(public.get_by_role("status").last).to_contain_text("已提交")
    expect(public.locator("#stage")).to_have_text("已办结")
    expect(public.get_by_role("heading", name="请求复查")).to_be_visible()
    fits_the_screen(public)
    shot(public, "public-petition-status-390.png")
    public.get_by_role("button", name="提交复查请求").click()
    expect(public.locator("#err_request_reasons")).to_contain_text("请填写请求复查的事实和理由")
    public.get_by_label("请求复查的事实和理由").fill("夜间施工仍在继续，处理意见认定事实不清。")
    public.get_by_role("button", name="提交复查请求").click()
    expect(public.get_by_role("status").first).to_contain_text(re.compile(r"复查请求已提交，编号 XFFC-\d{4}-\d{6}"))
    expect(public.get_by_role("heading", name="请求复查")).to_have_count(0)  # once per answer
