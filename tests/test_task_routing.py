"""Tasks the process routes to one department (BPMN ``departmentFrom``), and forms offering departments.

A petition accepted for handling goes to the department chosen at intake: only that department's
officers see it among the tasks they may claim and may work it; the others are refused.
"""
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import HumanTask, User
from app.services import operations, processes
from app.services.errors import Invalid
from workflows.validation import SpecError

from .helpers import Api
from .test_petition_lifecycle import ACCEPTED_ON, register


@pytest.fixture
def office(client):
    return {name: Api(client, name) for name in ("xfofficer", "officer", "reviewer", "auditor")}


def accept_for(office, unit):
    case = register(office["xfofficer"])
    office["xfofficer"].complete(case["id"], "intake_decision", {
        "intake_decision": "accept", "intake_decided_on": ACCEPTED_ON, "handling_unit": unit})
    return case["id"]


def claimable(api):
    return {t["id"] for t in api.ok(api.get("/tasks?scope=claimable"))}


def test_the_intake_form_offers_the_departments_of_the_office(office):
    case = register(office["xfofficer"])
    task = office["xfofficer"].open_task(case["id"], "intake_decision")
    form = office["xfofficer"].ok(office["xfofficer"].get(f"/tasks/{task['id']}"))["form"]
    offered = {o["const"]: o["title"] for o in form["properties"]["handling_unit"]["oneOf"]}
    assert offered["GKB"] == "政务公开办" and offered["BMB"] == "保密办"


def test_a_department_that_does_not_exist_is_refused_naming_the_field(office):
    case = register(office["xfofficer"])
    body = office["xfofficer"].complete(case["id"], "intake_decision", {
        "intake_decision": "accept", "intake_decided_on": ACCEPTED_ON, "handling_unit": "NOPE"}, status=422)
    assert "handling_unit" in body["fields"]


def test_the_handling_task_reaches_only_the_chosen_department(office):
    case_id = accept_for(office, "BMB")
    task = office["reviewer"].open_task(case_id, "handle_petition")
    assert task["id"] in claimable(office["reviewer"])       # 保密办's officer may take it
    assert task["id"] not in claimable(office["officer"])     # 政务公开办's may not

    row = db.session.get(HumanTask, task["id"])
    assert row.department.code == "BMB"
    version = office["officer"].ok(office["reviewer"].get(f"/cases/{case_id}"))["version"]
    refused = office["officer"].post(f"/tasks/{task['id']}/claim", {"case_version": version})
    assert refused.status_code == 403 and "保密办" in refused.get_json()["error"]

    office["reviewer"].complete(case_id, "handle_petition", {
        "handling_action": "reply", "outcome": "explain", "handling_opinion": "经核实，已向信访人解释相关政策。",
        "opinion_legal_basis": "《中华人民共和国环境噪声污染防治法》第三十条"})
    assert office["xfofficer"].open_task(case_id, "record_satisfaction")


def test_the_same_process_routes_another_case_elsewhere(office):
    to_gkb, to_bmb = accept_for(office, "GKB"), accept_for(office, "BMB")
    gkb_task = office["officer"].open_task(to_gkb, "handle_petition")["id"]
    bmb_task = office["reviewer"].open_task(to_bmb, "handle_petition")["id"]
    assert gkb_task in claimable(office["officer"]) and bmb_task not in claimable(office["officer"])
    assert bmb_task in claimable(office["reviewer"]) and gkb_task not in claimable(office["reviewer"])


def test_departmentFrom_must_name_a_data_key(app):
    bpmn = (Path(app.config["BPMN_DIR"]) / "petition.bpmn").read_bytes().replace(
        b'name="departmentFrom" value="handling_unit"', b'name="departmentFrom" value="handling unit()"', 1)
    forms = processes.forms_beside(Path(app.config["BPMN_DIR"]) / "petition.bpmn", bpmn)
    with pytest.raises(Exception) as refused:
        processes.deploy(bpmn, forms, actor=None, note="broken routing")
    errors = getattr(refused.value, "errors", [])
    assert any(isinstance(e, SpecError) and e.element_id == "handle_petition" and "departmentFrom" in e.message
               for e in errors), refused.value


def test_a_routed_task_is_neither_shown_to_nor_handed_to_another_department(office):
    case_id = accept_for(office, "BMB")
    task = office["reviewer"].open_task(case_id, "handle_petition")
    assert office["officer"].get(f"/tasks/{task['id']}").status_code == 404  # same as a missing id (issue 14 §5)
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    with pytest.raises(Invalid, match="不能办理"):
        operations.reassign(admin, task["id"], "officer", "误派")
    operations.reassign(admin, task["id"], "reviewer", "指定承办人")
    assert db.session.get(HumanTask, task["id"]).assignee.username == "reviewer"
