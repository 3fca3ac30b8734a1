"""The engine layer on its own: no Flask, no SQL."""
import json
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.services.operators import OPERATORS
from app.services.processes import forms_beside
from workflows.engine import Engine, TaskNotReady
from workflows.specs import load_definition

BPMN = Path(__file__).resolve().parent.parent / "bpmn" / "disclosure_request.bpmn"


@pytest.fixture(scope="module")
def definition():
    raw = BPMN.read_bytes()
    return load_definition(raw, forms_beside(BPMN, raw), operators=OPERATORS)


class Recorder:
    """The engine layer's view of the application: a handler table that records what it was asked.

    Clock actions publish far-off timer facts, as the application does for a
    clock that is not running, so the boundary timers have dates to wait for.
    """

    def __init__(self):
        self.calls = []

    def letter(self, call):
        self.calls.append((call.operator, call.params))
        return {"document_id": len(self.calls)}

    def clock(self, call):
        name = call.params["name"]
        call.case_updates = {f"{name}_due_date": "2026-04-01", f"{name}_remind_at": "9999-12-31T00:00:00+08:00",
                             f"{name}_overdue_at": "9999-12-31T00:00:00+08:00"}
        return {}

    @property
    def table(self):
        return {"generate_letter": self.letter, "clock": self.clock, "notify": lambda call: {}}


def handlers():
    return Recorder().table


REGISTRATION = {"applicant_name": "张三", "received_on": "2026-03-02"}


def test_definition_knows_tasks_lanes_forms_and_tracking_prefix(definition):
    assert definition.process_id == "disclosure_request"
    assert definition.tracking_prefix == "YSQ"
    assert definition.start_form == "registration.json"
    assert set(definition.lanes) == {"登记", "承办", "保密审查", "负责人"}
    handle = definition.user_tasks["handle"]
    assert handle.lane == "承办" and handle.form == "handle.json" and "延期" in handle.instructions


def test_start_reports_the_first_user_task_and_keeps_registration_data(definition):
    report = Engine().start(definition, dict(REGISTRATION), handlers())
    assert [t.spec_name for t in report.created] == ["check_completeness"]
    assert report.created[0].lane == "登记"
    assert report.data["applicant_name"] == "张三"
    assert not report.completed and report.finished == []


def test_completing_a_task_runs_gateways_and_service_tasks_and_reports_the_change(definition):
    engine, letters = Engine(), Recorder()
    first = engine.start(definition, dict(REGISTRATION), letters.table)
    task = first.created[0]
    report = engine.complete(definition, first.state, task.id,
                             {"needs_correction": True, "correction_items": "x", "correction_deadline": "2030-12-31"},
                             letters.table)
    assert report.finished == [task.id]
    assert [t.spec_name for t in report.created] == ["receive_correction"]
    # The registration receipt went out at the start (issue 9 section 5), the correction notice now.
    assert letters.calls == [("generate_letter", {"kind": "registration_receipt"}),
                             ("generate_letter", {"kind": "correction_notice"})]
    assert [c.task_name for c in report.service_calls] == [
        "clock_stop_correction", "send_correction_notice", "clock_pause_reply"]
    assert report.data["send_correction_notice_result"] == {"document_id": 2}


def test_a_finished_task_cannot_be_completed_again(definition):
    engine = Engine()
    first = engine.start(definition, dict(REGISTRATION), handlers())
    second = engine.complete(definition, first.state, first.created[0].id, {"needs_correction": False}, handlers())
    with pytest.raises(TaskNotReady):
        engine.complete(definition, second.state, first.created[0].id, {"needs_correction": False}, handlers())


def test_state_survives_a_json_store_that_reorders_keys(definition):
    """PostgreSQL's JSONB does not keep key order; task data deltas must still restore."""
    engine = Engine()
    report = engine.start(definition, dict(REGISTRATION), handlers())
    report = engine.complete(definition, report.state, report.created[0].id, {"needs_correction": False},
                             handlers())
    state = json.loads(json.dumps(report.state))
    items = list(state["tasks"].items())
    random.Random(7).shuffle(items)
    state["tasks"] = dict(items)
    handle = engine.ready_tasks(definition, state)[0]
    after = engine.complete(definition, state, handle.id,
                            {"handling_action": "draft_reply", "reply_type": "disclosed"}, handlers())
    assert after.data["applicant_name"] == "张三" and after.data["needs_correction"] is False


def test_dates_and_decimals_in_case_data_round_trip_with_their_types(definition):
    engine = Engine()
    report = engine.start(definition, {"received_on": date(2026, 3, 2), "fee": Decimal("100.50")}, handlers())
    workflow = engine.load(definition, json.loads(json.dumps(report.state)))
    data = engine._case_data(workflow)
    assert data["received_on"] == date(2026, 3, 2) and data["fee"] == Decimal("100.50")
    assert report.data["received_on"] == "2026-03-02" and report.data["fee"] == "100.50"


def test_the_stored_state_does_not_embed_the_spec(definition):
    report = Engine().start(definition, dict(REGISTRATION), handlers())
    assert "spec" not in report.state and "subprocess_specs" not in report.state
    assert report.state["serializer_version"]


def test_published_facts_reach_waiting_timers_and_re_arm_them(definition):
    """A due date recomputed outside the process moves the boundary timers of the waiting task."""
    engine = Engine()
    report = engine.start(definition, dict(REGISTRATION), handlers())
    report = engine.complete(definition, report.state, report.created[0].id, {"needs_correction": False}, handlers())
    assert [t.spec_name for t in report.ready] == ["handle"]
    fired = []
    table = {**handlers(), "notify": lambda call: fired.append(call.task_name) or {}}
    past = "2020-01-01T00:00:00+08:00"
    after = engine.update_data(definition, report.state, {"reply_remind_at": past, "reply_due_date": "2020-01-02"},
                               table)
    assert fired == ["notify_reminder"]
    assert [t.spec_name for t in after.ready] == ["handle"]  # a non-interrupting reminder leaves the task open
    assert after.data["reply_due_date"] == "2020-01-02"
