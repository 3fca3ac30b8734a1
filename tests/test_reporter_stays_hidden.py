"""A reporter stays hidden from the department reported on (XF 30, 46) — also through what the duplicate check
derived from the reporter's identity, and after a supervisor deploys a petition version whose forms lack the
``x-confidential-when`` annotation and migrates the running accusation onto it: the rule lives in code."""
import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Case, User
from app.services import processes, versions

from .helpers import Api, office_today
from .test_accusation_confidentiality import ACCUSATION, REPORTER
from .test_petition_lifecycle import PETITION

BPMN_DIR = "bpmn"


def user(name):
    return db.session.execute(select(User).where(User.username == name)).scalar_one()


def leaks(text: str, extra=()) -> list[str]:
    return [value for value in (*REPORTER.values(), *extra) if value in text]


@pytest.fixture
def reported(client):
    """The reporter's earlier ordinary petition (handled by GKB), then an accusation against GKB by the same
    person: the intake officer dismisses the duplicate suggestion and hands the accusation to GKB."""
    registrar = Api(client, "xfofficer")
    earlier = registrar.ok(registrar.post("/cases", {"process": "petition", "data": {
        **PETITION, **REPORTER, "received_on": office_today(), "subject": "检举政务公开办工作人员收受好处费",
        "content": "政务公开办某工作人员在办理业务时收取好处费。"}}), 201)
    registrar.complete(earlier["id"], "intake_decision", {"intake_decision": "accept", "intake_decided_on": office_today(),
                                                          "handling_unit": "GKB", "handling_department": "政务公开办"})
    accusation = registrar.ok(registrar.post("/cases", {"process": "petition", "data": ACCUSATION}), 201)
    task = registrar.ok(registrar.get(f"/tasks/{registrar.open_task(accusation['id'], 'intake_decision')['id']}"))
    assert [s["tracking_number"] for s in task["context"]["suggestions"]["items"]] == [earlier["tracking_number"]]
    registrar.complete(accusation["id"], "intake_decision", {
        "intake_decision": "accept", "intake_decided_on": office_today(), "handling_unit": "GKB",
        "handling_department": "政务公开办"})
    assert registrar.case(accusation["id"])["data"]["duplicates_dismissed"] == [earlier["tracking_number"]]
    return {"earlier": earlier, "accusation": registrar.case(accusation["id"])}


def assert_department_reads_nothing_of_the_reporter(client, reported):
    case_id, earlier_number = reported["accusation"]["id"], reported["earlier"]["tracking_number"]
    for username in ("officer",):  # the department reported on, which handles the accusation
        api = Api(client, username)
        case = api.case(case_id)
        assert {"petitioner_name", "id_number", "contact_phone", "duplicates_dismissed", "duplicate_of"} <= set(
            case["redacted"])
        assert leaks(json.dumps(case, ensure_ascii=False), [earlier_number]) == []
        history = api.ok(api.get(f"/cases/{case_id}/history"))
        assert leaks(json.dumps(history, ensure_ascii=False), [earlier_number]) == []
        for doc in case["documents"]:
            response = api.get(f"/documents/{doc['id']}")
            assert response.status_code == 403 or leaks(response.get_data(as_text=True)) == []
        # The reporter's own ordinary petition is found by name (it is not confidential); the accusation is not.
        for query in ("q=钱七检举人", "q=13912345678", "q=110101197707071357"):
            found = api.get(f"/tasks?scope=all&{query}").get_data(as_text=True)
            assert reported["accusation"]["tracking_number"] not in found, query


def test_what_the_duplicate_check_derived_from_the_reporter_is_hidden_too(client, reported):
    assert_department_reads_nothing_of_the_reporter(client, reported)
    # The petition office that registered it still reads the link.
    seen = Api(client, "xfofficer").case(reported["accusation"]["id"])
    assert seen["data"]["duplicates_dismissed"] == [reported["earlier"]["tracking_number"]]


def _without_annotations(forms: dict) -> dict:
    stripped = {}
    for name, raw in forms.items():
        schema = json.loads(raw)
        for prop in schema.get("properties", {}).values():
            prop.pop("x-confidential-when", None)
        stripped[name] = json.dumps(schema, ensure_ascii=False).encode()
    return stripped


def test_a_version_without_the_annotation_and_a_migration_onto_it_weaken_nothing(app, client, reported):
    from pathlib import Path
    path = Path(app.config["BPMN_DIR"]) / "petition.bpmn"
    bpmn = path.read_bytes()
    forms = _without_annotations(processes.forms_beside(path, bpmn))
    assert not any(b"x-confidential-when" in raw for raw in forms.values())
    supervisor = user("supervisor")
    new = processes.deploy(bpmn, forms, actor=supervisor, note="删除保密标注")
    db.session.commit()
    case_id = reported["accusation"]["id"]
    versions.migrate_case(supervisor, case_id)
    db.session.commit()
    assert db.session.get(Case, case_id).process_version_id == new.id

    assert_department_reads_nothing_of_the_reporter(client, reported)
    # A new accusation registered on the new version is protected the same way.
    registrar = Api(client, "xfofficer")
    fresh = registrar.ok(registrar.post("/cases", {"process": "petition", "data": ACCUSATION}), 201)
    assert "petitioner_name" in Api(client, "admin").case(fresh["id"])["redacted"]


def _annotate(forms: dict, form: str, field: str) -> dict:
    changed = dict(forms)
    schema = json.loads(changed[form])
    schema["properties"][field]["x-confidential-when"] = {"category": "accusation"}
    changed[form] = json.dumps(schema, ensure_ascii=False).encode()
    return changed


def test_a_case_never_moves_onto_a_version_that_protects_less(app, client, reported):
    """A version may protect more than the law's minimum (here the accusation's content); a case on it is not
    migrated to a later version that drops that protection again."""
    from pathlib import Path
    path = Path(app.config["BPMN_DIR"]) / "petition.bpmn"
    bpmn, forms = path.read_bytes(), processes.forms_beside(path, path.read_bytes())
    supervisor = user("supervisor")
    stronger = processes.deploy(bpmn, _annotate(forms, "petition_registration.json", "content"), actor=supervisor,
                                note="检举内容也保密").id
    db.session.commit()
    case_id = reported["accusation"]["id"]
    versions.migrate_case(supervisor, case_id)
    db.session.commit()
    assert "content" in Api(client, "officer").case(case_id)["redacted"]
    supervisor = user("supervisor")
    processes.deploy(bpmn, forms, actor=supervisor, note="恢复原表单")
    db.session.commit()
    _target, listed = versions.preview(supervisor, "petition")
    (row,) = [p for p in listed if p.case.id == case_id]
    assert not row.safe and "保护更弱" in row.reason and "“请求、事实和理由”" in row.reason
    from app.services.errors import Conflict
    with pytest.raises(Conflict):
        versions.migrate_case(supervisor, case_id)
    db.session.rollback()
    assert db.session.get(Case, case_id).process_version_id == stronger
