"""Where a case stands on its diagram: the state of each BPMN element, from the engine state.

Pure SpiffWorkflow: the case page's viewer marks the elements this returns.
An element can have several task instances (loops, a task done twice after a
correction); the most current state wins, so a task being worked again shows
as active rather than completed.
"""
from SpiffWorkflow.util.task import TaskState

COMPLETED, ACTIVE, WAITING = "completed", "active", "waiting"
_RANK = {COMPLETED: 1, WAITING: 2, ACTIVE: 3}


def _state_of(task) -> str | None:
    if task.state in (TaskState.READY, TaskState.STARTED, TaskState.ERROR):
        return ACTIVE  # a person (or an incident) holds the case here
    if task.state == TaskState.WAITING:
        return WAITING  # timers, messages, an event-based gateway
    if task.state == TaskState.COMPLETED:
        return COMPLETED
    return None  # FUTURE, LIKELY, MAYBE: not reached; CANCELLED: never ran


def element_states(workflow) -> dict[str, str]:
    """``{bpmn element id: "completed" | "active" | "waiting"}`` for the elements a case has reached.

    Engine-internal specs (start/end markers, boundary-event splits) carry no
    BPMN id and are left out.
    """
    states: dict[str, str] = {}
    for task in workflow.get_tasks():
        element = getattr(task.task_spec, "bpmn_id", None)
        state = _state_of(task)
        if element is None or state is None:
            continue
        if _RANK[state] > _RANK.get(states.get(element), 0):
            states[element] = state
    return states


def taken_flows(spec_flows: dict[str, tuple[str, str]], states: dict[str, str]) -> list[str]:
    """Sequence flows whose source finished and whose target was reached (drawn as travelled)."""
    return sorted(flow for flow, (source, target) in spec_flows.items()
                  if states.get(source) == COMPLETED and target in states)


def sequence_flows(bpmn: bytes) -> dict[str, tuple[str, str]]:
    """``{flow id: (source id, target id)}`` of a BPMN file."""
    from .xml import NSMAP, parse_bpmn_xml
    root = parse_bpmn_xml(bpmn)
    return {flow.get("id"): (flow.get("sourceRef"), flow.get("targetRef"))
            for flow in root.iterfind(".//bpmn:sequenceFlow", NSMAP)}
