"""Draw BPMN files the way Camunda Modeler and bpmn-js write them by default.

Used once to write the files under tests/interop/ (they are committed, and the tests read the files):
``python -m tests.interop.drawing`` rewrites them.  Default-style means what those tools produce when a
person just draws: ids such as ``Process_1``, ``StartEvent_1``, ``Activity_…``, ``Flow_…``;
``isExecutable``; ``bpmn:incoming``/``bpmn:outgoing`` on every node; a ``bpmndi`` shape for every node
and an edge for every flow; a collaboration with a participant when there are lanes.
"""
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

SIZES = {"task": (100, 80), "event": (36, 36), "gateway": (50, 50)}
NAMESPACES = ('xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
              'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
              'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
              'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
              'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
              'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
              'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
              'xmlns:modeler="http://camunda.org/schema/modeler/1.0" '
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')


@dataclass
class Node:
    kind: str                 # bpmn local name: task, userTask, startEvent, exclusiveGateway, …
    id: str
    name: str = ""
    body: str = ""            # inner XML (extension elements, event definitions, loop characteristics)
    lane: str | None = None
    attached_to: str | None = None
    attrs: dict = field(default_factory=dict)

    @property
    def shape(self) -> str:
        if self.kind.endswith("Event"):
            return "event"
        if self.kind.endswith("Gateway"):
            return "gateway"
        return "task"


@dataclass
class Flow:
    id: str
    source: str
    target: str
    condition: str | None = None
    name: str = ""


def diagram(process_id: str | None, name: str, nodes: list[Node], flows: list[Flow], *, lanes=(),
            process_body: str = "", root_extra: str = "", exporter: str = "Camunda Modeler",
            other_processes: str = "", executable: bool = True, encoding: str = "UTF-8",
            definitions_id: str | None = None) -> str:
    """One BPMN document; ``lanes`` (names, top to bottom) puts the process in a pool with those lanes."""
    lanes = list(lanes)
    incoming, outgoing = {}, {}
    for f in flows:
        outgoing.setdefault(f.source, []).append(f.id)
        incoming.setdefault(f.target, []).append(f.id)
    # layout: left to right in drawing order, one row per lane; boundary events on their host's edge
    lane_height, column, pos = 200, 150, {}
    main = [n for n in nodes if n.attached_to is None]
    for i, n in enumerate(main):
        w, h = SIZES[n.shape]
        row = lanes.index(n.lane) if n.lane in lanes else 0
        cx, cy = 260 + i * column, 180 + row * lane_height
        pos[n.id] = (cx - w // 2, cy - h // 2, w, h)
    for n in nodes:
        if n.attached_to:
            hx, hy, hw, hh = pos[n.attached_to]
            pos[n.id] = (hx + hw - 30, hy + hh - 18, 36, 36)

    p_attr = f' id="{process_id}"' if process_id else ""
    out = [f'<?xml version="1.0" encoding="{encoding}"?>',
           f'<bpmn:definitions {NAMESPACES} id="{definitions_id or "Definitions_" + (process_id or "x")[:20]}" '
           f'targetNamespace="http://bpmn.io/schema/bpmn" exporter="{exporter}" exporterVersion="5.17.0"'
           + (' modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.20.0"'
              if exporter == "Camunda Modeler" else "") + ">"]
    if lanes:
        out.append(f'  <bpmn:collaboration id="Collaboration_1">\n'
                   f'    <bpmn:participant id="Participant_1" name={quoteattr(name)} processRef="{process_id}" />'
                   f'\n  </bpmn:collaboration>')
    out.append(f'  <bpmn:process{p_attr} name={quoteattr(name)} isExecutable="{str(executable).lower()}">')
    if process_body:
        out.append(process_body)
    if lanes:
        out.append('    <bpmn:laneSet id="LaneSet_1">')
        for i, lane in enumerate(lanes):
            out.append(f'      <bpmn:lane id="Lane_{i + 1}" name={quoteattr(lane)}>')
            out += [f'        <bpmn:flowNodeRef>{n.id}</bpmn:flowNodeRef>' for n in nodes if n.lane == lane]
            out.append('      </bpmn:lane>')
        out.append('    </bpmn:laneSet>')
    for n in nodes:
        attrs = "".join(f" {k}={quoteattr(v)}" for k, v in n.attrs.items())
        if n.attached_to:
            attrs += f' attachedToRef="{n.attached_to}"'
        inner = [n.body] if n.body else []
        inner += [f"      <bpmn:incoming>{i}</bpmn:incoming>" for i in incoming.get(n.id, [])]
        inner += [f"      <bpmn:outgoing>{o}</bpmn:outgoing>" for o in outgoing.get(n.id, [])]
        label = f" name={quoteattr(n.name)}" if n.name else ""
        out.append(f'    <bpmn:{n.kind} id="{n.id}"{label}{attrs}>\n' + "\n".join(inner) + f'\n    </bpmn:{n.kind}>')
    for f in flows:
        label = f" name={quoteattr(f.name)}" if f.name else ""
        head = f'    <bpmn:sequenceFlow id="{f.id}"{label} sourceRef="{f.source}" targetRef="{f.target}"'
        if f.condition is None:
            out.append(head + " />")
        else:
            out.append(head + f'>\n      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
                              f'{escape(f.condition)}</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>')
    out.append("  </bpmn:process>")
    if other_processes:
        out.append(other_processes)
    if root_extra:
        out.append(root_extra)
    plane_of = "Collaboration_1" if lanes else process_id
    out.append(f'  <bpmndi:BPMNDiagram id="BPMNDiagram_1">\n    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="{plane_of}">')
    if lanes:
        width = 200 + len(main) * column
        out.append(f'      <bpmndi:BPMNShape id="Participant_1_di" bpmnElement="Participant_1" isHorizontal="true">\n'
                   f'        <dc:Bounds x="130" y="80" width="{width}" height="{lane_height * len(lanes)}" />\n'
                   f'      </bpmndi:BPMNShape>')
        for i, _ in enumerate(lanes):
            out.append(f'      <bpmndi:BPMNShape id="Lane_{i + 1}_di" bpmnElement="Lane_{i + 1}" isHorizontal="true">\n'
                       f'        <dc:Bounds x="160" y="{80 + i * lane_height}" width="{width - 30}" height="{lane_height}" />\n'
                       f'      </bpmndi:BPMNShape>')
    for n in nodes:
        x, y, w, h = pos[n.id]
        marker = ' isMarkerVisible="true"' if n.kind == "exclusiveGateway" else ""  # as both tools write it
        out.append(f'      <bpmndi:BPMNShape id="{n.id}_di" bpmnElement="{n.id}"{marker}>\n'
                   f'        <dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" />\n'
                   f'      </bpmndi:BPMNShape>')
    for f in flows:
        (sx, sy, sw, sh), (tx, ty, tw, th) = pos[f.source], pos[f.target]
        out.append(f'      <bpmndi:BPMNEdge id="{f.id}_di" bpmnElement="{f.id}">\n'
                   f'        <di:waypoint x="{sx + sw}" y="{sy + sh // 2}" />\n'
                   f'        <di:waypoint x="{tx}" y="{ty + th // 2}" />\n'
                   f'      </bpmndi:BPMNEdge>')
    out.append("    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n</bpmn:definitions>\n")
    return "\n".join(out)


def chain(*nodes: Node) -> list[Flow]:
    """Sequence flows joining ``nodes`` one after the other (Flow_1, Flow_2, …)."""
    return [Flow(f"Flow_{i + 1}", a.id, b.id) for i, (a, b) in enumerate(zip(nodes, nodes[1:]))]
