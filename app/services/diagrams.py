"""A case on its diagram: the BPMN of the case's own version and the state of each element."""
from workflows.diagram import element_states, sequence_flows, taken_flows

from ..models import User
from . import cases, processes
from .engine_runner import ENGINE


def case_bpmn(user: User, case_id: int) -> bytes:
    """The BPMN of the version this case runs on (not the newest one)."""
    case = cases.get_case(user, case_id)
    return case.process_version.bpmn


def case_states(user: User, case_id: int) -> dict:
    """``{"version": n, "elements": {id: state}, "flows": [ids]}`` for the viewer's markers."""
    case = cases.get_case(user, case_id)
    version = case.process_version
    elements = {}
    if case.engine_state:
        workflow = ENGINE.load(processes.definition(version), case.engine_state)
        elements = element_states(workflow)
    return {"case_id": case.id, "process_key": version.process_key, "version": version.version,
            "status": case.status, "elements": elements,
            "flows": taken_flows(sequence_flows(version.bpmn), elements)}
