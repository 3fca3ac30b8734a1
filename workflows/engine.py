"""Running cases: start, complete a user task, fire timers, and report what changed.

The engine is pure: it takes a :class:`ProcessDefinition` and a stored state,
advances the SpiffWorkflow instance, and returns a :class:`StepReport` plus the
new state.  Side effects happen only through the service handlers the caller
passes in, which run inside the caller's transaction.
"""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Mapping
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

from .scripting import RestrictedScriptEngine
from .serialization import StateSerializer, to_plain
from .services import Handler, ServiceCall, make_dispatcher
from .specs import ProcessDefinition

TIMER_EVENT_TYPES = ("TimeDateEventDefinition", "DurationTimerEventDefinition", "CycleTimerEventDefinition")


class TaskNotReady(LookupError):
    """The task does not exist in this case or is no longer waiting for a person."""


@dataclass(frozen=True)
class TaskView:
    id: str
    spec_name: str
    title: str
    lane: str | None
    form: str
    instructions: str
    department: str | None = None  # a department code when the task is routed to one (departmentFrom)


@dataclass
class StepReport:
    """What one engine run changed; the caller syncs its inbox and history from it."""

    ready: list[TaskView]
    created: list[TaskView]
    finished: list[str]
    service_calls: list[ServiceCall]
    completed: bool
    next_wakeup: datetime | None
    data: dict
    state: dict = field(repr=False, default_factory=dict)


class Engine:
    """One per application; holds no per-case state."""

    def __init__(self):
        self.serializer = StateSerializer()

    # -- loading -----------------------------------------------------------
    def load(self, definition: ProcessDefinition, state: dict) -> BpmnWorkflow:
        return self.serializer.load(state, definition.spec, definition.subprocess_specs,
                                    RestrictedScriptEngine())

    # -- commands ----------------------------------------------------------
    def start(self, definition: ProcessDefinition, data: dict,
              handlers: Mapping[str, Handler]) -> StepReport:
        workflow = BpmnWorkflow(definition.spec, definition.subprocess_specs,
                                script_engine=RestrictedScriptEngine())
        # Data placed on the start task flows to every task after it.
        start = workflow.get_tasks(state=TaskState.READY)[0]
        start.data.update(data)
        return self._advance(definition, workflow, handlers, before=set())

    def complete(self, definition: ProcessDefinition, state: dict, task_id: str,
                 form_data: dict, handlers: Mapping[str, Handler]) -> StepReport:
        workflow = self.load(definition, state)
        task = self._ready_task(workflow, task_id)
        before = {str(t.id) for t in self._ready_manual(workflow)}
        if hasattr(task.task_spec, "add_data_from_form"):
            task.task_spec.add_data_from_form(task, form_data)
        else:  # a plain or manual task: a confirmation, whose (empty) form adds nothing of its own
            task.data.update(form_data)
        engine = workflow.script_engine
        calls: list = []
        engine.service_dispatcher = make_dispatcher(handlers, calls)
        task.run()
        return self._advance(definition, workflow, handlers, before, calls)

    def fire_timers(self, definition: ProcessDefinition, state: dict,
                    handlers: Mapping[str, Handler]) -> StepReport:
        workflow = self.load(definition, state)
        before = {str(t.id) for t in self._ready_manual(workflow)}
        workflow.refresh_timers()
        return self._advance(definition, workflow, handlers, before)

    def rewind(self, definition: ProcessDefinition, state: dict, task_id: str,
               handlers: Mapping[str, Handler]) -> StepReport:
        """Make a completed user task ready again, discarding what came after it in the process."""
        workflow = self.load(definition, state)
        before = {str(t.id) for t in self._ready_manual(workflow)}
        try:
            task = workflow.get_task_from_id(UUID(str(task_id)))
        except Exception:
            task = None
        if task is None or task.state != TaskState.COMPLETED or not task.task_spec.manual:
            raise TaskNotReady(f"任务 {task_id} 不是已办理的用户任务，无法回退")
        workflow.reset_from_task_id(task.id)
        # SpiffWorkflow 3.2.0 deletes the later tasks but leaves their waiting
        # events registered; drop those, or refreshing timers trips over them.
        manager = workflow.event_manager
        for waiting in list(manager.tasks.values()):
            if waiting.workflow.tasks.get(waiting.id) is not waiting:
                manager.remove_task(waiting)
        report = self._advance(definition, workflow, handlers, before - {str(task_id)})
        return report

    def update_data(self, definition: ProcessDefinition, state: dict, updates: dict,
                    handlers: Mapping[str, Handler]) -> StepReport:
        """Write case-level facts into every waiting task and re-arm its timers.

        Used when something outside the process changed a fact the process
        reads, e.g. a due date recomputed after a holiday notice was published.
        """
        workflow = self.load(definition, state)
        before = {str(t.id) for t in self._ready_manual(workflow)}
        self.publish_to_waiting(workflow, updates)
        return self._advance(definition, workflow, handlers, before)

    def ready_tasks(self, definition: ProcessDefinition, state: dict) -> list[TaskView]:
        workflow = self.load(definition, state)
        return [self._view(definition, t) for t in self._ready_manual(workflow)]

    # -- internals ---------------------------------------------------------
    def _advance(self, definition, workflow, handlers, before, calls=None) -> StepReport:
        calls = [] if calls is None else calls
        workflow.script_engine.service_dispatcher = make_dispatcher(handlers, calls)
        try:
            workflow.do_engine_steps()
            published = 0
            # Facts published by service tasks reach the other branches' waiting
            # tasks; re-armed timers may fire and publish more, so repeat (bounded).
            for _ in range(10):
                updates = {}
                for call in calls[published:]:
                    updates.update(call.case_updates)
                published = len(calls)
                if not updates:
                    break
                self.publish_to_waiting(workflow, updates)
                workflow.do_engine_steps()
        finally:
            workflow.script_engine.service_dispatcher = None
        ready = [self._view(definition, t) for t in self._ready_manual(workflow)]
        ready_ids = {t.id for t in ready}
        return StepReport(
            ready=ready,
            created=[t for t in ready if t.id not in before],
            finished=sorted(before - ready_ids),
            service_calls=calls,
            completed=workflow.is_completed(),
            next_wakeup=self._next_wakeup(workflow),
            data=to_plain(self._case_data(workflow)),
            state=self.serializer.dump(workflow),
        )

    @staticmethod
    def publish_to_waiting(workflow, updates: dict) -> None:
        """Put ``updates`` into every ready and waiting task (and re-arm timers that read them)."""
        for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
            task.data.update(updates)
            if isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition):
                # A waiting event re-inherits its parent's data whenever it is
                # refreshed, so the parent must carry the new facts too.
                if task.parent is not None:
                    task.parent.data.update(updates)
                task.internal_data.pop("event_value", None)  # evaluate the timer expression again
        workflow.refresh_timers()

    @staticmethod
    def _ready_manual(workflow):
        return workflow.get_tasks(state=TaskState.READY, manual=True)

    def _ready_task(self, workflow, task_id: str):
        try:
            task = workflow.get_task_from_id(UUID(str(task_id)))
        except (ValueError, KeyError, Exception):
            task = None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(f"任务 {task_id} 已不在待办状态")
        return task

    @staticmethod
    def _view(definition, task) -> TaskView:
        info = definition.user_tasks.get(task.task_spec.bpmn_id)
        return TaskView(
            id=str(task.id),
            spec_name=task.task_spec.bpmn_id,
            title=info.title if info else (task.task_spec.bpmn_name or task.task_spec.name),
            lane=task.task_spec.lane,
            form=info.form if info else "",
            instructions=info.instructions if info else "",
            department=Engine._department(info, task),
        )

    @staticmethod
    def _department(info, task) -> str | None:
        if info is None or not info.department_key:
            return None
        code = task.data.get(info.department_key)
        return str(code) if code not in (None, "") else None

    @staticmethod
    def _case_data(workflow) -> dict:
        """The case's current data: what the waiting tasks carry, newest last, or the last task's.

        Boundary timers wait with a copy of their task's data; merging in order of
        last state change lets the task people are working on win.
        """
        waiting = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
        if waiting:
            merged: dict = {}
            for task in sorted(waiting, key=lambda t: t.last_state_change):
                DeepMerge.merge(merged, task.data)
            return merged
        return dict(workflow.last_task.data) if workflow.last_task else {}

    @staticmethod
    def _next_wakeup(workflow) -> datetime | None:
        times = []
        for event in workflow.waiting_events():
            # Timer events report their armed fire time as ISO text (event_value).
            if event.event_type in TIMER_EVENT_TYPES and isinstance(event.value, str):
                times.append(event.value)
        # An event-based gateway waits as one task for all its events (MultipleEventDefinition), which
        # reports no time of its own: its armed timer's fire time is in the task's internal data.
        for task in workflow.get_tasks(state=TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(definition, MultipleEventDefinition) and \
                    any(isinstance(d, TimerEventDefinition) for d in definition.event_definitions):
                value = task.internal_data.get("event_value")
                if isinstance(value, str):
                    times.append(value)
        moments = []
        for value in times:
            try:
                when = TimerEventDefinition.get_datetime(value)
            except ValueError:
                continue
            if isinstance(when, datetime):
                moments.append(when if when.tzinfo else when.replace(tzinfo=timezone.utc))
        return min(moments) if moments else None
