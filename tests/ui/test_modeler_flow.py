"""The modeler end to end in headless Chromium: a supervisor renames a task and deploys; the office sees it."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Case, ProcessVersion

from .conftest import ARTIFACTS
from .test_browser_flows import PASSWORD, TRACKING, fill_registration

DISPLAY_NAMES = {"supervisor": "周流程", "officer": "王登记"}
NEW_NAME = "核对申请材料"


def log_in(page, username):
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".topbar .who")).to_contain_text(DISPLAY_NAMES[username])


def watch_csp(page, errors):
    """Every page carries a Content-Security-Policy (issue 14 §5): anything bpmn-js does that it refuses
    shows as a console error, and fails the test."""
    page.on("console", lambda message: errors.append(message.text)
            if "Content Security Policy" in message.text else None)


def shape(page, element_id):
    return page.locator(f'.djs-element[data-element-id="{element_id}"]')


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_supervisor_renames_a_task_deploys_and_the_office_sees_it_in_the_inbox_and_on_the_diagram(
        new_browser_page, live_server):
    supervisor = new_browser_page()
    errors = []
    supervisor.on("pageerror", lambda exc: errors.append(str(exc)))
    watch_csp(supervisor, errors)
    log_in(supervisor, "supervisor")
    supervisor.get_by_role("link", name="流程建模").click()
    supervisor.get_by_role("link", name="政府信息公开申请（依申请公开）").click()
    expect(supervisor.locator("#modeler")).to_have_attribute("data-ready", "true")
    expect(supervisor.locator("#status")).to_contain_text("已打开第 1 版")
    expect(supervisor.locator(".bjs-powered-by")).to_be_visible()  # the bpmn.io watermark stays

    # Rename the completeness check in the properties panel, without touching XML.
    shape(supervisor, "check_completeness").click()
    expect(supervisor.locator("#props .element-id")).to_have_text("check_completeness")
    expect(supervisor.locator("#prop-form")).to_have_value("check_completeness.json")
    supervisor.locator("#prop-name").fill(NEW_NAME)
    supervisor.locator("#prop-name").press("Tab")
    expect(shape(supervisor, "check_completeness")).to_contain_text(NEW_NAME)

    supervisor.get_by_role("button", name="校验", exact=True).click()
    expect(supervisor.locator("#errors")).to_contain_text("校验通过")
    supervisor.get_by_label("变更说明").fill("“审查申请是否完整”改称“核对申请材料”")
    supervisor.get_by_role("button", name="部署", exact=True).click()
    expect(supervisor.locator("#status")).to_contain_text("已部署为第 2 版")
    expect(supervisor.locator("#current-version")).to_have_text("2")
    assert not errors, errors
    screenshot(supervisor, "modeler.png")

    with live_server.app.app_context():
        version = db.session.execute(select(ProcessVersion).where(ProcessVersion.version == 2)).scalar_one()
        assert f'name="{NEW_NAME}"' in version.bpmn.decode("utf-8")
        assert version.deployed_by.username == "supervisor"
        assert 'formJsonSchemaFilename" value="check_completeness.json"' in version.bpmn.decode("utf-8")
        db.session.remove()

    # An officer registers a request: it runs on version 2 and its first task has the new name.
    officer = new_browser_page()
    officer.on("pageerror", lambda exc: errors.append(str(exc)))
    watch_csp(officer, errors)
    log_in(officer, "officer")
    officer.get_by_role("link", name="登记申请").click()
    fill_registration(officer)
    officer.get_by_role("button", name="登记").click()
    expect(officer.locator(".flash.success")).to_contain_text(TRACKING)
    case_url = officer.url
    expect(officer.locator("h1")).to_contain_text("第 2 版")

    officer.get_by_role("link", name="待办", exact=True).click()
    expect(officer.get_by_role("link", name=NEW_NAME)).to_be_visible()

    officer.goto(case_url)
    diagram = officer.locator("#case-diagram")
    expect(diagram).to_have_attribute("data-ready", "true")
    active = diagram.locator('.djs-element.state-active[data-element-id="check_completeness"]')
    expect(active).to_be_visible()
    expect(active).to_contain_text(NEW_NAME)
    expect(diagram.locator('.djs-element.state-completed[data-element-id="start"]')).to_have_count(1)
    expect(diagram.locator(".diagram-states")).to_contain_text(f"办理中：{NEW_NAME}")
    expect(diagram.locator(".bjs-powered-by")).to_be_visible()
    assert not errors, errors
    screenshot(officer, "case-diagram.png")

    with live_server.app.app_context():
        case_id = int(re.search(r"/cases/(\d+)", case_url).group(1))
        assert db.session.get(Case, case_id).process_version.version == 2
        db.session.remove()


def test_errors_are_listed_and_marked_on_the_diagram_and_a_draft_survives_a_reload(new_browser_page, live_server,
                                                                                    tmp_path):
    page = new_browser_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "supervisor")
    page.goto("/modeler/disclosure_request")
    expect(page.locator("#modeler")).to_have_attribute("data-ready", "true")

    # A gateway condition the restricted evaluator refuses, typed into the panel (its flow chosen by its label).
    page.locator('[data-element-id="f_review_cleared_label"]').click()
    expect(page.locator("#props .element-id")).to_have_text("f_review_cleared")
    expect(page.locator("#prop-condition")).to_have_value("review_result == 'cleared'")
    page.locator("#prop-condition").fill("__import__('os').system('id')")
    page.locator("#prop-condition").press("Tab")
    page.get_by_role("button", name="校验", exact=True).click()
    problem = page.locator("#errors li.error")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("f_review_cleared（通过）")
    expect(page.locator('.djs-element.has-error[data-element-id="f_review_cleared"]')).to_have_count(1)
    expect(page.locator(".djs-overlay .error-badge")).to_have_count(1)

    # The service task's operator and parameters are in the panel too.
    shape(page, "clock_start_reply").click()
    expect(page.locator("#prop-operator")).to_have_value("clock")
    expect(page.locator("#param-name-1")).to_have_value("action")
    expect(page.locator("#param-value-1")).to_have_value("'start'")

    # So are timer expressions of boundary events.
    shape(page, "remind_handle").click()
    expect(page.locator("#prop-timer-kind")).to_have_value("timeDate")
    expect(page.locator("#prop-timer")).to_have_value("reply_remind_at")

    # A draft is stored on the server and reopened after a reload, invalid as it is.
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#status")).to_contain_text("草稿已保存")
    page.reload()
    expect(page.locator("#modeler")).to_have_attribute("data-ready", "true")
    expect(page.locator("#status")).to_contain_text("已打开您的草稿")
    page.locator('[data-element-id="f_review_cleared_label"]').click()
    expect(page.locator("#prop-condition")).to_have_value("__import__('os').system('id')")

    # An upload that does not validate changes nothing.
    bad = tmp_path / "bad.bpmn"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
    page.locator("#upload-file").set_input_files(str(bad))
    expect(page.locator("#status")).to_contain_text("未作任何更改")
    page.reload()
    expect(page.locator("#status")).to_contain_text("已打开您的草稿")

    # Fixing the condition clears the marks.
    page.locator('[data-element-id="f_review_cleared_label"]').click()
    page.locator("#prop-condition").fill("review_result == 'cleared'")
    page.locator("#prop-condition").press("Tab")
    page.get_by_role("button", name="校验", exact=True).click()
    expect(page.locator("#errors")).to_contain_text("校验通过")
    expect(page.locator(".djs-element.has-error")).to_have_count(0)

    # Forms: a broken schema is refused, a good one previewed with the form renderer.
    page.locator("#form-select").select_option("record_delivery.json")
    text = page.locator("#form-text")
    original = text.input_value()
    text.fill(original.replace('"type": "object"', '"type": "objekt"', 1))
    page.get_by_role("button", name="校验并预览").click()
    expect(page.locator("#form-status")).to_contain_text("顶层")
    text.fill(original)
    page.get_by_role("button", name="校验并预览").click()
    expect(page.locator("#form-status")).to_contain_text("表单有效")
    expect(page.locator("#form-preview .field").first).to_be_visible()
    assert not errors, errors
