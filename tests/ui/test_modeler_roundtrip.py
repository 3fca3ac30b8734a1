"""The modeler preserves what it does not edit: every file opened and saved by bpmn-js in Chromium, with no
edit, comes back semantically identical (elements, ids, attributes, extension elements, conditions, scripts,
DI) and still deploys.

The browser side is the modeler's own set-up (app/modeler/static/bpmn-setup.js with the app's moddle
descriptor), loaded from the running app exactly as the modeler page loads it.
"""
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db

from app.services import processes
from app.services.operators import OPERATORS
from tests.interop.semantics import differences
from workflows.specs import load_definition
from workflows.xml import SPIFF_NS, parse_bpmn_xml

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(ROOT.glob("bpmn/*.bpmn")) + sorted((ROOT / "tests/interop/spiff").glob("*.bpmn"))
SPIFF_EXTENSIONS = {"properties", "property", "instructionsForEndUser", "preScript", "postScript", "unitTests",
                    "unitTest", "inputJson", "expectedOutputJson", "serviceTaskOperator", "parameters",
                    "parameter", "retry", "taskMetadataValues", "taskMetadataValue", "variableName",
                    "messagePayload", "messageVariable", "processVariableCorrelation", "propertyId", "expression"}


@pytest.fixture
def bpmnjs(browser_page):
    """A page of the app with bpmn-js and the modeler's set-up script loaded, and the moddle descriptor."""
    page = browser_page
    page.goto("/login")
    page.add_script_tag(url="/modeler/vendor/bpmn-js/dist/bpmn-modeler.production.min.js")
    page.add_script_tag(url="/modeler/static/bpmn-setup.js")
    page.evaluate("fetch('/modeler/static/spiffworkflow-moddle.json').then(r => r.json())"
                  ".then(d => { window.descriptor = d; })")
    page.wait_for_function("window.descriptor && window.BanjianBpmn")
    return page


def round_trip(page, text: str) -> dict:
    return page.evaluate("xml => BanjianBpmn.roundTrip(window.descriptor, xml)", text)


def test_the_spiff_style_files_use_every_extension_the_engine_reads():
    used = {etree.QName(el).localname for path in FILES
            for el in parse_bpmn_xml(path.read_bytes()).iter(f"{{{SPIFF_NS}}}*")}
    assert SPIFF_EXTENSIONS <= used, SPIFF_EXTENSIONS - used


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_open_and_save_without_edit_changes_nothing_and_still_deploys(bpmnjs, path):
    original = path.read_bytes()
    result = round_trip(bpmnjs, original.decode("utf-8"))

    assert result["warnings"] == []
    assert differences(original, result["xml"]) == []
    saved = result["xml"].encode("utf-8")
    forms = processes.forms_beside(path, original)
    assert load_definition(saved, forms, operators=OPERATORS).process_id == \
        load_definition(original, forms, operators=OPERATORS).process_id


def test_a_foreign_extension_element_is_kept_untouched(bpmnjs):
    path = ROOT / "tests/interop/spiff/spiff_extensions.bpmn"
    saved = round_trip(bpmnjs, path.read_text(encoding="utf-8"))["xml"]
    assert '<camunda:property name="kept" value="untouched" />' in saved


def test_validating_the_bundled_supervision_process_without_edits_passes(browser_page):
    from .test_modeler_flow import log_in
    page = browser_page
    log_in(page, "supervisor")
    page.goto("/modeler/supervision")
    expect(page.locator("#modeler")).to_have_attribute("data-ready", "true")
    page.get_by_role("button", name="校验", exact=True).click()
    expect(page.locator("#errors")).to_contain_text("校验通过")
    expect(page.locator("#import-warnings")).to_be_hidden()


def test_import_warnings_stay_in_view_after_the_version_status(app, browser_page):
    from app.models import User
    from app.services import drafts
    from .test_modeler_flow import log_in
    supervisor = db.session.execute(select(User).where(User.username == "supervisor")).scalar_one()
    text = (ROOT / "bpmn/petition_review.bpmn").read_text(encoding="utf-8").replace(
        "<spiffworkflow:properties>", "<spiffworkflow:notYetKnown>x</spiffworkflow:notYetKnown><spiffworkflow:properties>", 1)
    version = processes.latest("petition_review")
    drafts.save_draft(supervisor, "petition_review", text, dict(version.forms))
    db.session.remove()

    page = browser_page
    log_in(page, "supervisor")
    page.goto("/modeler/petition_review")
    expect(page.locator("#modeler")).to_have_attribute("data-ready", "true")
    expect(page.locator("#status")).to_contain_text("已打开您的草稿")
    expect(page.locator("#import-warnings")).to_be_visible()
    expect(page.locator("#import-warnings")).to_contain_text("notYetKnown")


def test_a_file_drawn_elsewhere_opens_as_a_new_process_with_every_error_marked_and_a_link_to_assign_lanes(
        browser_page, tmp_path):
    from .test_modeler_flow import log_in
    page = browser_page
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "supervisor")
    page.goto("/modeler")
    drawn = tmp_path / "drawn.bpmn"
    drawn.write_bytes((ROOT / "tests/interop/corpus/10_gateway_juel.bpmn").read_bytes())
    page.locator("#new-file").set_input_files(str(drawn))
    page.locator("#new-key").fill("juel_import")
    page.get_by_role("button", name="打开为新流程").click()
    expect(page.locator("#modeler")).to_have_attribute("data-ready", "true")
    expect(page.locator("#status")).to_contain_text("校验发现")
    # the JUEL condition is marked on its sequence flow, and each unassigned lane on the lane
    expect(page.locator('.djs-element.has-error[data-element-id="Flow_1lgux37"]')).to_have_count(1)
    expect(page.locator('.djs-element.has-error[data-element-id="Lane_1"]')).to_have_count(1)
    page.locator("#errors a.fix-link").first.click()
    expect(page.locator("h1")).to_contain_text("泳道分配")
    expect(page.locator("#diagram-lanes")).to_contain_text("未分配")
    assert not errors, errors
