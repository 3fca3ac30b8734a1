"""Forms that adapt: only the chosen branch's fields show, with `*` once they apply; nothing typed is lost."""
import re

from playwright.sync_api import expect

from .conftest import TIMEOUT_MS
from .test_browser_flows import log_in, registered_case, screenshot, stored_case
from .test_public_flow import complete


def handle_task(app):
    """A request registered and found complete: its 检索并拟办答复 task, ready for the officer."""
    case = registered_case(app)
    complete(app, "officer", case["tracking_number"], "check_completeness", {"needs_correction": False})
    with app.app_context():
        from sqlalchemy import select

        from app.extensions import db
        from app.models import HumanTask
        task = db.session.execute(select(HumanTask).where(
            HumanTask.case_id == case["id"], HumanTask.state == "ready", HumanTask.spec_name == "handle")).scalar_one()
        task_id = task.id
        db.session.remove()
    return {**case, "task_id": task_id}


def box(page, name):
    return page.locator(f'[data-field="{name}"]')


def test_only_the_chosen_branch_shows_and_a_conditional_value_is_kept(browser_page, live_server):
    case = handle_task(live_server.app)
    page = browser_page
    log_in(page, "officer")
    page.goto(f"/tasks/{case['task_id']}")

    # Nothing chosen: the one question, not the fields of five branches.
    expect(page.locator(".task-form [data-field]:visible")).to_have_count(1)
    expect(page.get_by_label("下一步")).to_be_visible()

    page.get_by_label("下一步").select_option(label="申请延期答复")
    expect(box(page, "extension_reason")).to_be_visible()
    expect(box(page, "extension_reason").locator(".req")).to_be_visible()  # required once it applies
    expect(box(page, "reply_type")).to_be_hidden()
    expect(box(page, "third_party_name")).to_be_hidden()

    page.get_by_label("下一步").select_option(label="拟办答复，送保密审查")
    expect(box(page, "extension_reason")).to_be_hidden()
    expect(box(page, "reply_type")).to_be_visible()
    expect(box(page, "reply_type").locator(".req")).to_be_visible()
    expect(box(page, "withholding_reasons")).to_be_hidden()
    page.get_by_label("答复类型").select_option(label="不予公开")
    expect(box(page, "withholding_reasons")).to_be_visible()
    expect(box(page, "reason_detail_state_secret")).to_be_hidden()
    page.get_by_role("checkbox", name="属于国家秘密").check()
    expect(box(page, "reason_detail_state_secret")).to_be_visible()
    expect(box(page, "reason_detail_internal_affairs")).to_be_hidden()
    page.get_by_label("“属于国家秘密”的具体理由（结合本案说明）").fill("该信息已依法定密为秘密级")
    screenshot(page, "conditional-fields.png")

    # Switching away and back: the typed value waits in the page, and a hidden field is not sent.
    page.get_by_label("下一步").select_option(label="申请延期答复")
    expect(box(page, "reason_detail_state_secret")).to_be_hidden()
    page.get_by_label("下一步").select_option(label="拟办答复，送保密审查")
    expect(page.get_by_label("“属于国家秘密”的具体理由（结合本案说明）")).to_have_value("该信息已依法定密为秘密级")

    # The server judges as before: the second reason ticked has no explanation; everything comes back.
    page.get_by_role("checkbox", name="属于三类内部事务信息").check()
    expect(box(page, "reason_detail_internal_affairs")).to_be_visible()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("alert")).to_contain_text("有误")
    expect(page.get_by_label("下一步")).to_have_value("draft_reply")
    expect(page.get_by_label("答复类型")).to_have_value("withheld")
    expect(page.get_by_role("checkbox", name="属于国家秘密")).to_be_checked()
    expect(page.get_by_label("“属于国家秘密”的具体理由（结合本案说明）")).to_have_value("该信息已依法定密为秘密级")
    expect(box(page, "reason_detail_internal_affairs").locator(".error")).to_contain_text("具体理由")
    expect(box(page, "extension_reason")).to_be_hidden()
    assert stored_case(live_server.app, case["id"])["version"] == case["version"] + 1  # only the check was done


def test_a_hidden_branch_is_not_sent(browser_page, live_server):
    case = handle_task(live_server.app)
    page = browser_page
    log_in(page, "officer")
    page.goto(f"/tasks/{case['task_id']}")
    page.get_by_label("下一步").select_option(label="申请延期答复")
    page.get_by_label("延期理由").fill("需协调多个部门检索")
    page.get_by_label("下一步").select_option(label="拟办答复，送保密审查")
    page.get_by_label("答复类型").select_option(label="予以公开")
    page.get_by_label("答复正文（具体说明）").fill("经检索，现将所申请信息提供给您。")
    page.get_by_role("button", name="提交").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    data = stored_case(live_server.app, case["id"])["data"]
    assert data["handling_action"] == "draft_reply" and data["reply_type"] == "disclosed"
    assert "extension_reason" not in data  # typed, then left in a branch not taken


def test_registration_shows_the_identity_fields_of_the_applicant_type(browser_page):
    page = browser_page
    log_in(page, "officer")
    page.goto("/cases/new/disclosure_request")
    expect(page.get_by_label("证件号码")).to_be_hidden()
    expect(page.get_by_label("统一社会信用代码")).to_be_visible()  # the else branch holds until a type is chosen
    page.get_by_label("申请人类型").select_option(label="自然人")
    expect(page.get_by_label("证件号码")).to_be_visible()
    expect(box(page, "id_number").locator(".req")).to_be_visible()
    expect(page.get_by_label("统一社会信用代码")).to_be_hidden()


def test_without_javascript_every_field_shows(chromium, live_server):
    case = handle_task(live_server.app)
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", java_script_enabled=False,
                                   viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("用户名").fill("officer")
        page.get_by_label("密码").fill("banjian-demo")
        page.get_by_role("button", name="登录").click()
        page.goto(f"/tasks/{case['task_id']}")
        fields = page.locator(".task-form [data-field]")
        assert fields.count() > 20
        expect(page.locator(".task-form [data-field]:visible")).to_have_count(fields.count())
        expect(box(page, "extension_reason")).to_be_visible()
    finally:
        context.close()


def test_a_refused_form_says_the_chosen_file_must_be_chosen_again_and_keeps_the_rest(browser_page, live_server, tmp_path):
    case = handle_task(live_server.app)
    page = browser_page
    log_in(page, "officer")
    page.goto(f"/tasks/{case['task_id']}")
    page.get_by_label("下一步").select_option(label="拟办答复，送保密审查")
    page.get_by_label("答复类型").select_option(label="部分公开")
    page.get_by_role("checkbox", name="属于国家秘密").check()  # its explanation left empty: refused
    page.get_by_label("答复正文（具体说明）").fill("部分信息涉及国家秘密，其余予以公开。")
    upload = tmp_path / "清单.txt"
    upload.write_text("老旧小区改造项目清单（公开部分）", encoding="utf-8")
    page.get_by_label("提供给申请人的信息（附件）").set_input_files(str(upload))
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_role("alert")).to_contain_text("有误")
    expect(box(page, "reply_attachments").locator(".file-again")).to_have_text(
        "表单未提交，刚才选择的文件没有保存，请重新选择")
    expect(page.get_by_label("答复正文（具体说明）")).to_have_value("部分信息涉及国家秘密，其余予以公开。")
    expect(page.get_by_label("答复类型")).to_have_value("partial")
    screenshot(page, "file-chosen-again.png")
    with live_server.app.app_context():
        from sqlalchemy import func, select

        from app.extensions import db
        from app.models import Attachment
        assert db.session.execute(select(func.count()).select_from(Attachment)).scalar_one() == 0
        db.session.remove()
