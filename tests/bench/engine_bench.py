"""(a) One task completion: the app's service layer (SQLite, PostgreSQL) vs bare SpiffWorkflow in memory.

Every case walks the same eight user-task steps, none of which generates a letter (the clock service
tasks do run: in the app they write the ledger, in the bare baseline they publish fixed timer dates):
extension requested and refused, a draft returned by the reviewer, a draft returned by the head.  The
variants are interleaved step by step, in an order that rotates every round, so drift on a noisy machine
hits them alike; each variant gets its own fresh case per round (state sizes match across variants).
"""
from __future__ import annotations

import time
from pathlib import Path

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from app.extensions import db
from app.models import Case, HumanTask, User
from app.services import cases
from tests.helpers import REGISTRATION, office_today

BPMN = Path(__file__).resolve().parents[2] / "bpmn" / "disclosure_request.bpmn"
PROCESS = "disclosure_request"

# (user, spec_name, form data): one case; no step generates a letter.
STEPS = [
    ("officer", "check_completeness", {"needs_correction": False}),
    ("officer", "handle", {"handling_action": "request_extension", "extension_reason": "所需信息分散，需汇总核实。"}),
    ("head", "approve_extension", {"extension_decision": "reject", "extension_comment": "请按期答复"}),
    ("officer", "handle", {"handling_action": "draft_reply", "reply_type": "disclosed", "reply_text": "见附件。"}),
    ("reviewer", "confidentiality_review", {"review_result": "returned", "review_comment": "删去联系人电话"}),
    ("officer", "handle", {"handling_action": "draft_reply", "reply_type": "disclosed", "reply_text": "见附件。"}),
    ("reviewer", "confidentiality_review", {"review_result": "cleared"}),
    ("head", "approve_reply", {"approval": "return", "approval_comment": "请补充获取方式"}),
]


NEVER = "9999-12-31T00:00:00+08:00"


class BareServices(PythonScriptEngine):
    """The bare baseline's service tasks do no I/O: a clock publishes far-off timer dates, nothing else."""

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        if operation_name == "clock":
            name = operation_params["name"]["value"]
            task.data.update({f"{name}_due_date": "2099-01-01", f"{name}_remind_at": NEVER,
                              f"{name}_overdue_at": NEVER})
        return "{}"


class BareCase:
    """The same process on bare SpiffWorkflow: the state lives in a JSON string between steps."""

    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    _spec = None

    @classmethod
    def spec(cls):
        if cls._spec is None:  # parsed once per process, like the app's definition cache
            parser = SpiffBpmnParser()
            parser.add_bpmn_file(str(BPMN))
            cls._spec = (parser.get_spec(PROCESS), parser.get_subprocess_specs(PROCESS))
        return cls._spec

    def __init__(self):
        spec, subprocess_specs = self.spec()
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=BareServices())
        workflow.get_tasks(state=TaskState.READY)[0].data.update(REGISTRATION)
        workflow.do_engine_steps()
        self.state = self.serializer.serialize_json(workflow)

    def complete(self, spec_name: str, data: dict) -> None:
        workflow = self.serializer.deserialize_json(self.state)
        workflow.script_engine = BareServices()  # not serialized; re-attached as the app does
        ready = [t for t in workflow.get_tasks(state=TaskState.READY, manual=True)
                 if t.task_spec.bpmn_id == spec_name]
        assert len(ready) == 1, f"bare: expected one ready {spec_name}, found {len(ready)}"
        task = ready[0]
        task.task_spec.add_data_from_form(task, data)
        task.run()
        workflow.do_engine_steps()
        self.state = self.serializer.serialize_json(workflow)


class AppCase:
    """One case of one target app; each step runs in its own app context and session, like a request."""

    def __init__(self, app):
        self.app = app
        with app.app_context():
            self.users = {u.username: u.id for u in db.session.execute(select(User)).scalars()}
            officer = db.session.get(User, self.users["officer"])
            # Received today: an extension may only be asked before the reply is due (GIO 33.2).
            self.case_id = cases.start_case(officer, PROCESS, {**REGISTRATION, "received_on": office_today()}).id
            self._next()

    def _next(self) -> None:
        """Remember the open task and the case version (read after the command, untimed)."""
        row = db.session.execute(select(HumanTask.id, HumanTask.spec_name, Case.version).join(Case).where(
            HumanTask.case_id == self.case_id, HumanTask.state == "ready")).one_or_none()
        self.open = tuple(row) if row else None

    def step(self, username: str, spec_name: str, data: dict, timer=time.perf_counter) -> float:
        """Complete the open ``spec_name`` task; return the seconds ``cases.complete_task`` took."""
        task_id, open_spec, version = self.open
        assert open_spec == spec_name, (open_spec, spec_name)
        with self.app.app_context():
            user = db.session.get(User, self.users[username])  # as the API's authentication does
            started = timer()
            cases.complete_task(user, task_id, dict(data), version)
            seconds = timer() - started
            self._next()
        return seconds


def bare_step(case: BareCase, spec_name: str, data: dict, timer=time.perf_counter) -> float:
    started = timer()
    case.complete(spec_name, dict(data))
    return timer() - started


def run(target_list, rounds: int) -> dict:
    """{"samples": {label: [seconds per step]}, "per_step": {label: {step index: [seconds]}}}.

    Labels are the targets' ("SQLite", "PostgreSQL") plus "bare".  One untimed warm-up case per variant
    first (definition cache, connection pool, first-use imports).
    """
    labels = [t.label for t in target_list] + ["bare"]
    samples = {label: [] for label in labels}
    per_step = {label: {i: [] for i in range(len(STEPS))} for label in labels}
    for r in range(-1, rounds):
        runners = {t.label: AppCase(t.app) for t in target_list}
        runners["bare"] = BareCase()
        order = labels[r % len(labels):] + labels[:r % len(labels)]  # rotate who goes first
        for i, (username, spec_name, data) in enumerate(STEPS):
            for label in order:
                runner = runners[label]
                if label == "bare":
                    seconds = bare_step(runner, spec_name, data)
                else:
                    seconds = runner.step(username, spec_name, data)
                if r >= 0:
                    samples[label].append(seconds)
                    per_step[label][i].append(seconds)
    return {"samples": samples, "per_step": per_step}
