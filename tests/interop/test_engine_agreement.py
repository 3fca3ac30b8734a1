"""What deploys, runs (issue 16 §3): each construct in tests/interop/cases either runs to its end through
/api/v1 (and the worker for timers) or is refused at deploy with a message naming the element."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case, HumanTask, ProcessVersion
from app.services import lanes, processes, timers
from tests.helpers import Api
from tests.test_worker import age_timers
from workflows.specs import SpecInvalid

CASES = Path(__file__).resolve().parent / "cases"


def deploy(name: str) -> ProcessVersion:
    path = CASES / f"{name}.bpmn"
    raw = path.read_bytes()
    version = processes.deploy(raw, processes.forms_beside(path, raw), actor=None, note="interop")
    db.session.commit()
    return version


def refused(name: str) -> str:
    before = db.session.execute(select(func.count()).select_from(ProcessVersion)).scalar()
    with pytest.raises(SpecInvalid) as info:
        deploy(name)
    db.session.rollback()
    assert db.session.execute(select(func.count()).select_from(ProcessVersion)).scalar() == before
    return str(info.value)


def office_lane(process_key: str, lane: str = "办事人员") -> None:
    lanes.assign(None, process_key, lane, "officer", "GKB")
    db.session.commit()


@pytest.fixture
def officer(client):
    return Api(client, "officer")


def register(officer, key, data=None, status=201):
    response = officer.post("/cases", {"process": key, "data": data or {}})
    assert response.status_code == status, response.get_json()
    return response.get_json()


def work_every_task(officer, case_id, data=None):
    """Claim and complete every ready task (each with ``data`` or an empty confirmation) until none is left."""
    for _ in range(20):
        ready = [t for t in officer.case(case_id)["tasks"] if t["state"] == "ready"]
        if not ready:
            return
        task = ready[0]
        if not task.get("assignee"):
            officer.ok(officer.post(f"/tasks/{task['id']}/claim", {}))
        version = officer.case(case_id)["version"]
        officer.ok(officer.post(f"/tasks/{task['id']}/complete", {"data": data or {}, "case_version": version}))


def status(case_id) -> str:
    db.session.expire_all()
    return db.session.get(Case, case_id).status


# -- plain and manual tasks ------------------------------------------------------------------------------
@pytest.mark.parametrize("name,key", [("plain_task", "interop_plain_task"), ("manual_task", "interop_manual_task")])
def test_a_plain_or_manual_task_in_a_lane_is_a_confirmation_that_runs_to_the_end(officer, name, key):
    office_lane(key)
    deploy(name)
    case = register(officer, key)
    task = officer.open_task(case["id"], "Activity_1")
    assert officer.ok(officer.get(f"/tasks/{task['id']}"))["form"]["properties"] == {}
    work_every_task(officer, case["id"])
    assert status(case["id"]) == "completed"


def test_a_plain_task_outside_every_lane_is_refused_naming_it():
    message = refused("task_outside_lanes")
    assert "Activity_1（核对材料）" in message and "泳道" in message


# -- timers ----------------------------------------------------------------------------------------------
def test_unquoted_iso_durations_are_durations_and_the_worker_fires_them(officer):
    office_lane("interop_unquoted_timers")
    deploy("unquoted_timers")
    case = register(officer, "interop_unquoted_timers")
    assert db.session.get(Case, case["id"]).next_wakeup is not None
    age_timers(case["id"], {"Event_wait"})
    assert timers.run_once() == 1
    work_every_task(officer, case["id"], {"note": "已办"})
    assert status(case["id"]) == "completed"


def test_unquoted_boundary_duration_and_date_are_accepted_and_fire(officer):
    office_lane("interop_unquoted_boundary")
    deploy("unquoted_boundary_timers")
    case = register(officer, "interop_unquoted_boundary")
    age_timers(case["id"], {"Event_7d"})
    assert timers.run_once() == 1
    assert status(case["id"]) == "completed"  # the 7-day boundary timer cancelled the task and ended the case


def test_a_timer_after_an_event_based_gateway_is_scheduled_and_fired_by_the_worker(officer):
    office_lane("interop_event_gateway_one")
    deploy("event_gateway_timer")
    case = register(officer, "interop_event_gateway_one")
    assert db.session.get(Case, case["id"]).next_wakeup is not None
    age_timers(case["id"], {"Gateway_1"})  # the gateway waits for its events as one task, holding the timer
    assert timers.run_once() == 1
    assert status(case["id"]) == "completed"
    state = db.session.get(Case, case["id"]).engine_state
    finished = {t["task_spec"] for t in state["tasks"].values() if t["state"] == 64}  # COMPLETED
    assert "Event_end" in finished and "Event_end_withdrawn" not in finished


def test_two_timers_after_one_event_based_gateway_are_refused_naming_the_gateway():
    message = refused("event_gateway_timers")
    assert "Gateway_1（等待）" in message and "五分钟后" in message and "一天后" in message


# -- events the office cannot deliver --------------------------------------------------------------------
def test_a_message_catch_event_is_refused_naming_it():
    message = refused("message_catch")
    assert "Event_msg（等待回执）" in message and "消息" in message


def test_a_signal_catch_event_is_refused_naming_it():
    message = refused("signal_catch")
    assert "Event_sig（等待通知）" in message and "信号" in message


# -- call activities -------------------------------------------------------------------------------------
def test_a_call_activity_calling_its_own_process_is_refused():
    assert "Activity_call（再办一次）" in refused("recursive_call")


def test_call_activities_calling_each_other_in_a_circle_are_refused():
    message = refused("mutual_call")
    assert "Activity_call" in message and "循环" in message


# -- multi-instance --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,key", [("multi_instance", "interop_multi_instance"),
                                      ("multi_instance_sequential", "interop_multi_sequential")])
def test_multi_instance_without_its_collection_is_a_422_naming_the_field(officer, name, key):
    office_lane(key)
    deploy(name)
    body = register(officer, key, {}, status=422)
    assert "departments" in body["fields"]
    assert db.session.execute(select(func.count()).select_from(Case)).scalar() == 0


@pytest.mark.parametrize("name,key", [("multi_instance", "interop_multi_instance"),
                                      ("multi_instance_sequential", "interop_multi_sequential")])
def test_multi_instance_is_capped_at_100_instances(officer, name, key):
    office_lane(key)
    deploy(name)
    body = register(officer, key, {"departments": ["GKB"] * 101}, status=422)
    assert "departments" in body["fields"] and "100" in body["fields"]["departments"]
    assert db.session.execute(select(func.count()).select_from(HumanTask)).scalar() == 0
    case = register(officer, key, {"departments": ["GKB", "BMB"]})
    work_every_task(officer, case["id"], {"note": "已阅"})
    assert status(case["id"]) == "completed"


def test_a_sequential_multi_instance_without_an_output_collection_is_refused():
    message = refused("multi_instance_sequential_no_output")
    assert "Activity_each（各部门确认）" in message and "outputDataItem" in message


# -- files that are not what they claim ------------------------------------------------------------------
def test_a_latin1_file_is_refused_with_a_message():
    assert "UTF-8" in refused("latin1")


def test_a_process_without_an_id_is_refused():
    assert "标识" in refused("no_process_id")


def test_an_invalid_xml_id_is_refused_naming_it():
    message = refused("invalid_ids")
    assert "1 办理" in message and "标识" in message


# -- collaborations and forms ----------------------------------------------------------------------------
def test_a_collaboration_with_one_executable_process_deploys_and_runs(officer):
    office_lane("interop_collaboration")
    assert deploy("collaboration").process_key == "interop_collaboration"
    case = register(officer, "interop_collaboration")
    work_every_task(officer, case["id"], {"note": "已答复"})
    assert status(case["id"]) == "completed"


def test_a_form_without_a_top_level_type_is_an_object_form(officer):
    office_lane("interop_form_no_type")
    deploy("form_without_type")
    case = register(officer, "interop_form_no_type")
    work_every_task(officer, case["id"], {"note": "好"})
    assert status(case["id"]) == "completed"


def test_a_refused_condition_names_its_sequence_flow():
    assert "Flow_yes（同意）" in refused("bad_condition")


def test_a_manual_task_is_confirmed_in_the_browser_with_an_empty_form(app, officer):
    from tests.test_web import csrf, login
    office_lane("interop_manual_task")
    deploy("manual_task")
    case = register(officer, "interop_manual_task")
    task = officer.open_task(case["id"], "Activity_1")
    browser = login(app.test_client(), "officer")
    page = browser.get(f"/tasks/{task['id']}")
    assert page.status_code == 200 and "现场送达" in page.get_data(as_text=True)
    browser.post(f"/tasks/{task['id']}/claim", data={"csrf_token": csrf(page.get_data(as_text=True))})
    page = browser.get(f"/tasks/{task['id']}").get_data(as_text=True)
    version = officer.case(case["id"])["version"]
    done = browser.post(f"/tasks/{task['id']}", data={"csrf_token": csrf(page), "case_version": version})
    assert done.status_code in (302, 303), done.get_data(as_text=True)[:500]
    assert status(case["id"]) == "completed"
