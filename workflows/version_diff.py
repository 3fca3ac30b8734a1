"""A readable summary of what changed between two versions of a process.

Works on the BPMN bytes and form files of the two versions (no engine, no
Flask): elements are matched by id, which is what SpiffWorkflow aligns on when
it migrates a case, so the summary and the migration agree on what "the same
task" is.  Diagram-only changes (shapes, coordinates) are not reported.
"""
import json
from dataclasses import dataclass, field
from typing import Mapping

from lxml import etree

from .validation import spiff_properties
from .xml import NSMAP, SPIFF_NS, parse_bpmn_xml

BPMN = NSMAP["bpmn"]
KIND_WORDS = {
    "userTask": "用户任务", "serviceTask": "服务任务", "scriptTask": "脚本任务", "manualTask": "人工任务",
    "task": "任务", "startEvent": "开始事件", "endEvent": "结束事件", "boundaryEvent": "边界事件",
    "intermediateCatchEvent": "中间事件", "intermediateThrowEvent": "中间事件", "exclusiveGateway": "排他网关",
    "parallelGateway": "并行网关", "inclusiveGateway": "包容网关", "eventBasedGateway": "事件网关",
    "sequenceFlow": "连线", "subProcess": "子流程", "callActivity": "调用活动",
}
CHANGE_WORDS = {
    "added": "新增", "removed": "删除", "renamed": "改名", "lane": "调整泳道", "condition": "修改条件",
    "form": "更换表单", "timer": "修改定时", "script": "修改脚本", "service": "修改服务调用",
    "flow": "改变连接", "type": "改变类型", "form_added": "新增表单文件", "form_removed": "删除表单文件",
    "form_changed": "修改表单内容",
}


@dataclass(frozen=True)
class Change:
    kind: str  # a key of CHANGE_WORDS
    element_id: str
    element_name: str = ""
    element_type: str = ""
    before: str = ""
    after: str = ""

    @property
    def label(self) -> str:
        kind = KIND_WORDS.get(self.element_type, self.element_type)
        name = f"“{self.element_name}”" if self.element_name else ""
        return f"{kind}{name}（{self.element_id}）" if kind else f"{name}（{self.element_id}）"

    def __str__(self) -> str:
        word = CHANGE_WORDS[self.kind]
        if self.kind in ("form_added", "form_removed", "form_changed"):
            return f"{word}：{self.element_id}"
        if self.kind in ("added", "removed"):
            return f"{word}{self.label}"
        return f"{self.label}{word}：{self.before or '（无）'} → {self.after or '（无）'}"


@dataclass
class VersionDiff:
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def lines(self) -> list[str]:
        return [str(c) for c in self.changes]

    def __bool__(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class _Element:
    id: str
    type: str
    name: str
    lane: str
    form: str
    condition: str
    timer: str
    script: str
    service: str
    source: str
    target: str


def _text(el, path) -> str:
    found = el.find(path, NSMAP)
    return (found.text or "").strip() if found is not None else ""


def _service(el) -> str:
    op = el.find(f"bpmn:extensionElements/{{{SPIFF_NS}}}serviceTaskOperator", NSMAP)
    if op is None:
        return ""
    params = [f"{p.get('id')}={p.get('value')}" for p in
              op.xpath("./spiffworkflow:parameters/spiffworkflow:parameter", namespaces=NSMAP)]
    return f"{op.get('id')}({', '.join(sorted(params))})"


def _elements(bpmn: bytes) -> dict[str, _Element]:
    root = parse_bpmn_xml(bpmn)
    lanes = {}
    for lane in root.iter(f"{{{BPMN}}}lane"):
        for ref in lane.iter(f"{{{BPMN}}}flowNodeRef"):
            lanes[(ref.text or "").strip()] = lane.get("name") or lane.get("id")
    elements = {}
    for process in root.findall("bpmn:process", NSMAP):
        for el in process.iter(etree.Element):
            kind = etree.QName(el).localname
            if etree.QName(el).namespace != BPMN or kind not in KIND_WORDS or not el.get("id"):
                continue
            timer = " ".join(_text(el, f"bpmn:timerEventDefinition/bpmn:{t}")
                             for t in ("timeDate", "timeDuration", "timeCycle")).strip()
            elements[el.get("id")] = _Element(
                id=el.get("id"), type=kind, name=el.get("name") or "", lane=lanes.get(el.get("id"), ""),
                form=spiff_properties(el).get("formJsonSchemaFilename", ""),
                condition=_text(el, "bpmn:conditionExpression"), timer=timer,
                script=_text(el, "bpmn:script"), service=_service(el),
                source=el.get("sourceRef", "") or el.get("attachedToRef", ""), target=el.get("targetRef", ""),
            )
    return elements


def _schema(raw) -> object:
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return raw


def diff_versions(old_bpmn: bytes, new_bpmn: bytes, old_forms: Mapping[str, bytes | str] | None = None,
                  new_forms: Mapping[str, bytes | str] | None = None) -> VersionDiff:
    """What changed from ``old`` to ``new``: added/removed/renamed elements, lanes, conditions, forms…"""
    old, new = _elements(old_bpmn), _elements(new_bpmn)
    changes: list[Change] = []
    for el_id, el in old.items():
        if el_id not in new:
            changes.append(Change("removed", el_id, el.name, el.type))
    for el_id, el in new.items():
        if el_id not in old:
            changes.append(Change("added", el_id, el.name, el.type))
    for el_id, a in old.items():
        b = new.get(el_id)
        if b is None:
            continue

        def change(kind, before, after):
            changes.append(Change(kind, el_id, b.name or a.name, b.type, before, after))

        if a.type != b.type:
            change("type", KIND_WORDS.get(a.type, a.type), KIND_WORDS.get(b.type, b.type))
        for kind, attr in (("renamed", "name"), ("lane", "lane"), ("condition", "condition"), ("form", "form"),
                           ("timer", "timer"), ("script", "script"), ("service", "service")):
            if getattr(a, attr) != getattr(b, attr):
                change(kind, getattr(a, attr), getattr(b, attr))
        if a.type == "sequenceFlow" and (a.source, a.target) != (b.source, b.target):
            change("flow", f"{a.source} → {a.target}", f"{b.source} → {b.target}")
    old_forms, new_forms = old_forms or {}, new_forms or {}
    for name in sorted(set(old_forms) | set(new_forms)):
        if name not in new_forms:
            changes.append(Change("form_removed", name))
        elif name not in old_forms:
            changes.append(Change("form_added", name))
        elif _schema(old_forms[name]) != _schema(new_forms[name]):
            changes.append(Change("form_changed", name))
    order = list(CHANGE_WORDS)
    changes.sort(key=lambda c: order.index(c.kind))
    return VersionDiff(changes)
