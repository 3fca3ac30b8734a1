"""The closing figure of issue 16: of the diagrams in tests/interop/corpus (drawn the way Camunda Modeler
and bpmn-js draw by default), how many deploy, and do all that deploy run to their end?

Each file is treated as a supervisor would: every lane it draws is assigned (lane assignments are data),
then it is deployed; a refusal must name the element (or the file) in Chinese.  A deployed process is
registered through /api/v1 by an officer and worked to its end: every ready task claimed and confirmed,
every armed timer made due and fired by the worker.  Run with ``-s`` to see the table.
"""
import copy
import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Case
from app.services import lanes, processes, timers
from app.services.processes import OtherOrigin
from tests.helpers import Api
from workflows.renaming import rename_process
from workflows.specs import SpecInvalid, main_process
from workflows.xml import NSMAP, parse_bpmn_xml

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(CORPUS.glob("*.bpmn"))
LONG_AGO = "2020-01-01T00:00:00+00:00"
WAITING = 8  # SpiffWorkflow TaskState.WAITING
REGISTRATION = {"approved": True, "items": ["申请表", "身份证明"]}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assign_every_lane(raw: bytes) -> str | None:
    try:
        root = parse_bpmn_xml(raw)
        key = main_process(root).get("id")
    except Exception:
        return None
    for lane in root.iter(f"{{{NSMAP['bpmn']}}}lane"):
        if lane.get("name"):
            lanes.assign(None, key, lane.get("name"), "officer", "GKB")
    db.session.commit()
    return key


def make_timers_due(case_id: int) -> int:
    case = db.session.get(Case, case_id)
    state = copy.deepcopy(case.engine_state)
    aged = 0
    for task in state["tasks"].values():
        if task["state"] == WAITING and "event_value" in task["internal_data"]:
            task["internal_data"]["event_value"] = LONG_AGO
            aged += 1
    if aged:
        case.engine_state = state
        case.next_wakeup = datetime.fromisoformat(LONG_AGO)
        db.session.commit()
    return aged


def work_to_the_end(officer: Api, case_id: int) -> str:
    for _ in range(30):
        db.session.expire_all()
        case = db.session.get(Case, case_id)
        if case.status != "active":
            return case.status
        ready = [t for t in officer.case(case_id)["tasks"] if t["state"] == "ready"]
        if ready:
            task = ready[0]
            if not task.get("assignee"):
                officer.ok(officer.post(f"/tasks/{task['id']}/claim", {}))
            version = officer.case(case_id)["version"]
            officer.ok(officer.post(f"/tasks/{task['id']}/complete", {"data": {}, "case_version": version}))
        elif make_timers_due(case_id):
            timers.run_once()
        else:
            return "stuck"
    return "stuck"


def test_corpus_every_diagram_deploys_and_runs_to_its_end_or_is_refused_naming_the_element(client, capsys):
    assert len(FILES) >= 30
    officer = Api(client, "officer")
    rows = []
    for path in FILES:
        raw = path.read_bytes()
        key = assign_every_lane(raw)
        forms, note = processes.forms_beside(path, raw), ""
        try:
            try:
                version = processes.deploy(raw, forms, actor=None, note="corpus")
            except OtherOrigin:
                # bpmn-js names every new diagram's process Process_1: an unrelated file under a taken key
                # is not silently a new version; the supervisor brings it in under a key of its own.
                db.session.rollback()
                raw, note = rename_process(raw, f"{key}_{path.stem}"), "（新流程标识）"
                assign_every_lane(raw)
                version = processes.deploy(raw, forms, actor=None, note="corpus")
            db.session.commit()
        except SpecInvalid as exc:
            db.session.rollback()
            assert all(CHINESE.search(e.message) for e in exc.errors), exc
            assert all(e.element_id or "文件" in str(e) for e in exc.errors)
            rows.append((path.name, "refused", str(exc.errors[0])))
            continue
        response = officer.post("/cases", {"process": version.process_key, "data": REGISTRATION})
        assert response.status_code in (201, 422), (path.name, response.status_code, response.get_json())
        if response.status_code != 201:
            rows.append((path.name, "registration refused", response.get_json()["error"]))
            continue
        rows.append((path.name, work_to_the_end(officer, response.get_json()["id"]), version.process_key + note))

    deployed = [r for r in rows if r[1] != "refused"]
    completed = [r for r in rows if r[1] == "completed"]
    with capsys.disabled():
        print(f"\ncorpus: {len(rows)} diagrams, {len(deployed)} deploy, {len(completed)} run to completion")
        for name, outcome, detail in rows:
            print(f"  {name:36} {outcome:10} {detail[:90]}")
    # What deploys, runs: nothing deployed gets stuck or fails.
    assert [r for r in deployed if r[1] != "completed"] == []
    assert (len(rows), len(deployed), len(completed)) == (33, 20, 20)
