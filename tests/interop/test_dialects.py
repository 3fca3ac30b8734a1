"""What other modelers write, read the way the engine needs it (workflows/dialects.py)."""
import pytest

from workflows.dialects import inherit_subprocess_lanes, quote_iso_timers
from workflows.xml import parse_bpmn_xml

HEAD = b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p">'
TAIL = b"</bpmn:process></bpmn:definitions>"


def timer_text(text: str) -> str:
    root = parse_bpmn_xml(HEAD + f'<bpmn:intermediateCatchEvent id="e"><bpmn:timerEventDefinition id="t">'
                                 f"<bpmn:timeDuration>{text}</bpmn:timeDuration></bpmn:timerEventDefinition>"
                                 f"</bpmn:intermediateCatchEvent>".encode() + TAIL)
    quote_iso_timers(root)
    return root.find(".//{*}timeDuration").text


@pytest.mark.parametrize("bare", ["PT5M", "P7D", "P1Y2M3DT4H5M6S", "2026-03-01", "2026-03-01T09:00:00Z",
                                  "2026-03-01T09:00:00+08:00", "R3/PT1H", "R/P1D"])
def test_a_bare_iso_value_becomes_a_quoted_text(bare):
    assert timer_text(bare) == f"'{bare}'"


@pytest.mark.parametrize("expression", ["reply_overdue_at", "'P3D'", "P", "PT", "days(3)", "PT5M + x"])
def test_an_expression_stays_an_expression(expression):
    assert timer_text(expression) == expression


def test_tasks_drawn_inside_nested_subprocesses_work_in_the_lane_of_the_outer_one():
    root = parse_bpmn_xml(HEAD + b'<bpmn:laneSet id="ls"><bpmn:lane id="l" name="L"><bpmn:flowNodeRef>s1'
                                 b'</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet><bpmn:subProcess id="s1">'
                                 b'<bpmn:subProcess id="s2"><bpmn:task id="t"/></bpmn:subProcess>'
                                 b'<bpmn:sequenceFlow id="f" sourceRef="s2" targetRef="s2"/></bpmn:subProcess>' + TAIL)
    inherit_subprocess_lanes(root.find("{*}process"))
    assert [r.text for r in root.iter("{*}flowNodeRef")] == ["s1", "s2", "t"]
