"""Engine state <-> JSON-compatible dict, without the spec.

SpiffWorkflow's serializer embeds the whole parsed spec in every workflow
document.  The spec is stored once per process version instead, so this module
writes and reads the workflow *state* only and re-attaches the shared,
immutable spec object on load.  ``date`` and ``Decimal`` values in case data
are converted explicitly so they round-trip with their types.
"""
from datetime import date
from decimal import Decimal
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import WorkflowConverter
from SpiffWorkflow.bpmn.serializer.migration.version_migration import MIGRATIONS
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

VERSION_KEY = BpmnWorkflowSerializer.VERSION_KEY


def _registry():
    registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
    registry.register(date, lambda v: {"value": v.isoformat()},
                      lambda v: date.fromisoformat(v["value"]), typename="date")
    registry.register(Decimal, lambda v: {"value": str(v)},
                      lambda v: Decimal(v["value"]), typename="Decimal")
    return registry


def to_plain(value):
    """Case data in JSON-compatible form (dates as ISO strings) for storage, display and the API."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items() if not callable(v)}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _parents_first(tasks: dict, root: str) -> dict:
    ordered, stack = {}, [root]
    while stack:
        task_id = stack.pop()
        if task_id in tasks and task_id not in ordered:
            ordered[task_id] = tasks[task_id]
            stack.extend(reversed(tasks[task_id]["children"]))
    for task_id, task in tasks.items():  # anything unreachable keeps its place at the end
        ordered.setdefault(task_id, task)
    return ordered


class StateSerializer:
    """Converts a running :class:`BpmnWorkflow` to and from a plain dict."""

    def __init__(self):
        self.serializer = BpmnWorkflowSerializer(_registry())
        self.registry = self.serializer.registry
        typename = self.registry.typenames[BpmnWorkflow]
        # The registry wraps each converter method in a partial(typename, bound_method).
        self._converter = self.registry.convert_to_dict[typename].args[1].__self__

    @property
    def version(self) -> str:
        return self.serializer.VERSION

    def dump(self, workflow: BpmnWorkflow) -> dict:
        conv = self._converter
        dct = WorkflowConverter.to_dict(conv, workflow)
        dct["subprocesses"] = conv.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        # The library leaves task data for its JSON encoder to convert; we store
        # a plain dict, so convert dates, Decimals etc. in the data ourselves.
        self._convert_task_data(dct["tasks"])
        for sub in dct["subprocesses"].values():
            self._convert_task_data(sub["tasks"])
        dct[VERSION_KEY] = self.version
        return dct

    def _convert_task_data(self, tasks: dict) -> None:
        convert = self.registry.convert
        for task in tasks.values():
            if task.get("data"):
                task["data"] = convert(task["data"])
            delta = task.get("delta")
            if delta and delta.get("updates"):
                delta["updates"] = convert(delta["updates"])

    def load(self, state: dict, spec, subprocess_specs, script_engine) -> BpmnWorkflow:
        dct = dict(state)
        version = dct.pop(VERSION_KEY, self.version)
        if version != self.version and version in MIGRATIONS:
            # Library migrations expect the full document shape; give it one.
            dct["spec"], dct["subprocess_specs"] = {}, {}
            MIGRATIONS[version](dct)
            dct.pop("spec"), dct.pop("subprocess_specs")
        # Task data is stored as deltas against the parent task, so parents must
        # be restored first; JSONB does not keep key order, so re-establish it.
        dct["tasks"] = _parents_first(dct["tasks"], dct["root"])
        for sub in dct["subprocesses"].values():
            sub["tasks"] = _parents_first(sub["tasks"], sub["root"])
        conv = self._converter
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine, deserializing=True)
        workflow.tasks = conv.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        conv.set_default_attributes(workflow, dct)
        conv.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow
