"""Static checks on a BPMN tree before anything is deployed.

Every problem is reported as a :class:`SpecError` naming the element (id and
name) so a supervisor can find it on the diagram.  The checks cover what
SpiffWorkflow itself would accept but run wrongly or unsafely: elements it
mis-runs, expressions our restricted evaluator refuses, unknown service
operators, missing forms, and lanes nobody may work in.
"""
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from lxml import etree

from .scripting import (_NOT_CONSTANT, MAX_INSTANCES, ScriptRefused, check_expression, check_instance_count,
                        check_script, check_timer_cycle, constant_value)
from .xml import NSMAP, SPIFF_NS

# Elements SpiffWorkflow 3.2.0 either silently mis-runs (link events) or fails
# on at run time (complex gateways, compensation); refuse them up front.
UNSUPPORTED = {
    "linkEventDefinition": "链接事件（link event）",
    "complexGateway": "复杂网关（complex gateway）",
    "compensateEventDefinition": "补偿事件（compensation）",
}


# Tasks a person works: user tasks with their form; plain tasks (Camunda Modeler's default shape) and
# manual tasks as a confirmation with no fields.
PERSON_TASKS = ("userTask", "manualTask", "task")

# Events the office has no way to deliver to a waiting case: a case would wait for them for ever.
UNDELIVERABLE = {
    "messageEventDefinition": "消息",
    "signalEventDefinition": "信号",
}
CATCHING = ("startEvent", "intermediateCatchEvent", "boundaryEvent")

# An XML id (NCName): a letter or underscore, then letters, digits, ``_``, ``-`` or ``.``.
_XML_ID = re.compile(r"[^\W\d][\w.\-]*")


@dataclass(frozen=True)
class SpecError:
    element_id: str
    element_name: str
    message: str

    def __str__(self) -> str:
        where = self.element_id or "文件"
        if self.element_name:
            where += f"（{self.element_name}）"
        return f"{where}：{self.message}"


def _local(el) -> str:
    return etree.QName(el).localname


def _owner(el):
    """The flow element (or process) an inner node such as a condition belongs to."""
    # spiffworkflow:* extension nodes carry ids of their own (operator names), and
    # event definitions (timerEventDefinition…) ids nobody sees: name the event.
    while el is not None and (el.get("id") is None or etree.QName(el).namespace == SPIFF_NS
                              or _local(el).endswith("EventDefinition")):
        el = el.getparent()
    return el


def _err(el, message: str) -> SpecError:
    owner = _owner(el)
    if owner is None:
        return SpecError("", "", message)
    return SpecError(owner.get("id", ""), owner.get("name", "") or "", message)


def _check(el, source: str | None, checker, what: str, errors: list) -> None:
    if source is None or not source.strip():
        return
    try:
        checker(source.strip())
    except ScriptRefused as exc:
        errors.append(_err(el, f"{what}不被允许：{exc}"))
    except SyntaxError as exc:
        errors.append(_err(el, f"{what}有语法错误：{exc.msg}"))


def spiff_properties(el) -> dict:
    props = {}
    for p in el.xpath("./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property",
                      namespaces=NSMAP):
        props[p.get("name")] = p.get("value")
    return props


def validate_tree(
    root,
    process,
    *,
    operators,
    form_names: Iterable[str],
    lane_known: Callable[[str], bool] | None,
    broken_forms: dict | None = None,
) -> list[SpecError]:
    errors: list[SpecError] = []
    form_names = set(form_names)

    _check_ids(root, errors)
    for el in root.iter(etree.Element):
        name = _local(el)
        if name in UNSUPPORTED:
            errors.append(_err(el, f"不支持{UNSUPPORTED[name]}，引擎无法正确执行"))
        elif name in UNDELIVERABLE and _local(el.getparent()) in CATCHING:
            what = UNDELIVERABLE[name]
            errors.append(_err(el, f"不支持等待{what}的事件：本系统没有向等待中的案件投递{what}的途径，案件会一直停在这里；"
                                   f"请改用人工任务（由办理人确认{what}已到）或定时事件"))
        elif name == "receiveTask":
            errors.append(_err(el, "不支持接收任务（receive task）：本系统没有向等待中的案件投递消息的途径；"
                                   "请改用人工任务（由办理人确认消息已到）"))
    _check_calls(root, errors)
    _check_event_gateways(root, errors)
    _check_engine_requirements(root, operators, errors)

    for el in root.iter(f"{{{NSMAP['bpmn']}}}conditionExpression"):
        _check(el, el.text, check_expression, "条件表达式", errors)
    for tag in ("timeDate", "timeDuration", "timeCycle", "loopCardinality", "completionCondition",
                "condition", "loopCondition"):
        for el in root.iter(f"{{{NSMAP['bpmn']}}}{tag}"):
            _check(el, el.text, check_expression, "表达式", errors)
    for el in root.iter(f"{{{NSMAP['bpmn']}}}script"):
        _check(el, el.text, check_script, "脚本", errors)
    for tag in ("preScript", "postScript"):
        for el in root.iter(f"{{{SPIFF_NS}}}{tag}"):
            _check(el, el.text, check_script, "脚本", errors)
    for tag in ("messagePayload", "payloadExpression"):
        for el in root.iter(f"{{{SPIFF_NS}}}{tag}"):
            _check(el, el.text, check_expression, "消息表达式", errors)

    _check_loops(root, errors)

    for op_el in root.iter(f"{{{SPIFF_NS}}}serviceTaskOperator"):
        op = operators.get(op_el.get("id"))
        params = op_el.xpath("./spiffworkflow:parameters/spiffworkflow:parameter", namespaces=NSMAP)
        if op is None:
            errors.append(_err(op_el, f"未知的服务操作“{op_el.get('id')}”"))
        else:
            for problem in op.check_params({p.get("id") for p in params}):
                errors.append(_err(op_el, problem))
        for p in params:
            _check(op_el, p.get("value"), check_expression, f"参数 {p.get('id')} 的表达式", errors)

    for task in process.iter(f"{{{NSMAP['bpmn']}}}userTask", f"{{{NSMAP['bpmn']}}}startEvent"):
        form = spiff_properties(task).get("formJsonSchemaFilename")
        if form and form in (broken_forms or {}):
            errors.append(_err(task, f"表单文件“{form}”无法解析：{broken_forms[form]}"))
        elif form and form not in form_names:
            errors.append(_err(task, f"找不到表单文件“{form}”"))
        if _local(task) == "userTask" and not form:
            errors.append(_err(task, "用户任务必须指定表单（formJsonSchemaFilename）"))
        department_key = spiff_properties(task).get("departmentFrom")
        if department_key is not None and not _DATA_KEY.fullmatch(department_key.strip()):
            errors.append(_err(task, f"departmentFrom 必须是一个数据项名称（字母、数字、下划线），而不是“{department_key}”"))
        preview = spiff_properties(task).get("previewLetter")
        if preview is not None and not _DATA_KEY.fullmatch(preview.strip()):
            errors.append(_err(task, f"previewLetter 必须是一种文书的代码（字母、数字、下划线），而不是“{preview}”"))

    _check_automatic_cycles(root, errors)

    lane_of = {}
    for lane in process.iter(f"{{{NSMAP['bpmn']}}}lane"):
        for ref in lane.iter(f"{{{NSMAP['bpmn']}}}flowNodeRef"):
            lane_of[(ref.text or "").strip()] = lane
    unassigned = []
    for task in process.iter(*(f"{{{NSMAP['bpmn']}}}{kind}" for kind in PERSON_TASKS)):
        lane = lane_of.get(task.get("id"))
        if lane is None:
            errors.append(_err(task, "人工办理的任务必须放在一个泳道中，否则没有人能办理"))
        elif lane_known is not None and not lane_known(lane.get("name") or "") and lane not in unassigned:
            unassigned.append(lane)
            errors.append(_err(lane, f"泳道“{lane.get('name')}”没有对应的角色或部门：请在“泳道分配”中指定由哪个角色"
                                     "（及部门）办理此泳道的任务"))
    return errors


def _check_engine_requirements(root, operators, errors) -> None:
    """What the engine's parser would refuse one element at a time, found here all at once, in Chinese."""
    bpmn = NSMAP["bpmn"]
    for el in root.iter(f"{{{bpmn}}}serviceTask", f"{{{bpmn}}}sendTask"):
        if el.find("bpmn:extensionElements/spiffworkflow:serviceTaskOperator", NSMAP) is None:
            errors.append(_err(el, "服务任务必须指定本系统的服务操作（serviceTaskOperator），可选："
                                   + "、".join(sorted(operators.operators)) + "；其他建模工具的实现设置（如 camunda:class、"
                                   "zeebe:taskDefinition）本系统不执行"))
    for el in root.iter(f"{{{bpmn}}}multiInstanceLoopCharacteristics"):
        if el.find("bpmn:loopCardinality", NSMAP) is None and el.find("bpmn:loopDataInputRef", NSMAP) is None:
            errors.append(_err(el, "多实例任务必须指定实例数（loopCardinality）或输入集合（loopDataInputRef，案件数据中的列表名）；"
                                   "camunda:collection 等其他工具的属性本系统不读取"))


def _check_event_gateways(root, errors) -> None:
    """SpiffWorkflow 3.2 arms all timers after one event-based gateway with the first one's fire time."""
    bpmn = NSMAP["bpmn"]
    by_id = {el.get("id"): el for el in root.iter(f"{{{bpmn}}}*") if el.get("id")}
    outgoing: dict = {}
    for flow in root.iter(f"{{{bpmn}}}sequenceFlow"):
        outgoing.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    for gateway in root.iter(f"{{{bpmn}}}eventBasedGateway"):
        targets = [by_id.get(target) for target in outgoing.get(gateway.get("id"), [])]
        timers = [t for t in targets if t is not None and t.find("bpmn:timerEventDefinition", NSMAP) is not None]
        if len(timers) > 1:
            names = "、".join(t.get("name") or t.get("id") for t in timers)
            errors.append(_err(gateway, f"事件网关后只能有一个定时事件（现有：{names}）：引擎会让它们在同一时刻触发；"
                                        "请保留最早的一个，其余改在后续环节设置"))


def _check_ids(root, errors) -> None:
    """Every BPMN element's id must be a valid XML id, and unique: references and the diagram rely on it."""
    seen = set()
    for el in root.iter(f"{{{NSMAP['bpmn']}}}*"):
        ident = el.get("id")
        if ident is None:
            continue
        if not _XML_ID.fullmatch(ident):
            errors.append(SpecError(ident, el.get("name") or "", "标识（id）不是合法的 XML 标识：须以字母或下划线开头，"
                                                               "只能含字母、数字、下划线、连字符和点，不能有空格"))
        elif ident in seen:
            errors.append(SpecError(ident, el.get("name") or "", "标识（id）重复：每个元素的标识必须唯一"))
        seen.add(ident)


def called_processes(root) -> dict:
    """process id -> [(call activity element, the process id it calls)], for the processes of the file."""
    calls = {}
    for process in root.iterfind("bpmn:process", NSMAP):
        calls[process.get("id")] = [(el, (el.get("calledElement") or "").strip())
                                    for el in process.iter(f"{{{NSMAP['bpmn']}}}callActivity")]
    return calls


def _check_calls(root, errors) -> None:
    """A call activity calls a process of the same file, and no process calls itself, directly or not."""
    calls = called_processes(root)
    for targets in calls.values():
        for el, target in targets:
            if target not in calls:
                errors.append(_err(el, f"调用活动调用的流程“{target}”不在本文件中（调用活动只能调用同一文件中的流程）"))
    # Processes that call each other in a circle are a strongly connected part of the call graph (or one
    # process calling itself); Tarjan's algorithm finds them in linear time, whatever a hostile file holds.
    edges = {p: [t for _, t in targets if t in calls] for p, targets in calls.items()}
    for component in _strongly_connected(set(calls), edges):
        members = set(component)
        closing = [(p, el, t) for p in calls for el, t in calls[p] if p in members and t in members]
        if len(component) > 1 or closing:
            process, el, _ = closing[0]
            route = " → ".join(sorted(members)) + (f" → {sorted(members)[0]}" if len(members) > 1 else f" → {process}")
            errors.append(_err(el, f"调用活动构成循环调用（{route}），案件会无限展开：请去掉循环"))


_DATA_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


def _check_constant(el, source, checker, what, errors) -> None:
    """Apply a value check to an expression that reads no case data (others are checked at run time)."""
    if not source or not source.strip():
        return
    try:
        check_expression(source.strip())
    except (ScriptRefused, SyntaxError):
        return  # already reported by the expression check
    try:
        value = constant_value(source.strip())
        if value is not _NOT_CONSTANT:
            checker(value)
    except ScriptRefused as exc:
        errors.append(_err(el, f"{what}不被允许：{exc}"))


def _check_loops(root, errors) -> None:
    """Loops the process itself makes (loop tasks, multi-instance, cycle timers) must be bounded."""
    bpmn = NSMAP["bpmn"]
    for el in root.iter(f"{{{bpmn}}}standardLoopCharacteristics"):
        maximum = (el.get("loopMaximum") or "").strip()
        if not maximum.isdigit() or not 1 <= int(maximum) <= MAX_INSTANCES:
            errors.append(_err(el, f"循环任务必须设置 1 到 {MAX_INSTANCES} 之间的最大循环次数（loopMaximum）"))
    for el in root.iter(f"{{{bpmn}}}multiInstanceLoopCharacteristics"):
        # SpiffWorkflow merges each finished instance's data back, element variable included, and then
        # refuses to start the next instance of a sequential loop: it needs an output collection.
        if el.get("isSequential") == "true" and el.find("bpmn:inputDataItem", NSMAP) is not None \
                and el.find("bpmn:outputDataItem", NSMAP) is None:
            errors.append(_err(el, "顺序多实例任务必须同时指定输出集合（loopDataOutputRef）和输出元素（outputDataItem），"
                                   "否则引擎在第二个实例处停止"))
    for el in root.iter(f"{{{bpmn}}}loopCardinality"):
        _check_constant(el, el.text, check_instance_count, "多实例数量", errors)
    for el in root.iter(f"{{{bpmn}}}timeCycle"):
        _check_constant(el, el.text, check_timer_cycle, "周期定时", errors)


# A cycle of sequence flows is fine when something in it waits for a person or
# an event; a cycle of automatic steps would spin inside one engine run.
_WAITING = {"userTask", "manualTask", "receiveTask", "intermediateCatchEvent", "eventBasedGateway"}
_WAITING_BOUNDARY = {"timerEventDefinition", "messageEventDefinition", "signalEventDefinition",
                     "conditionalEventDefinition"}


def _check_automatic_cycles(root, errors) -> None:
    bpmn = NSMAP["bpmn"]
    nodes, edges = {}, {}
    for el in root.iter(etree.Element):
        if etree.QName(el).namespace != bpmn or not el.get("id"):
            continue
        kind = _local(el)
        if kind == "sequenceFlow":
            edges.setdefault(el.get("sourceRef"), []).append(el.get("targetRef"))
        elif kind == "boundaryEvent":
            waits = any(_local(c) in _WAITING_BOUNDARY for c in el.iterchildren(etree.Element))
            nodes[el.get("id")] = (el, waits)
            edges.setdefault(el.get("attachedToRef"), []).append(el.get("id"))
        elif el.getparent() is not None and _local(el.getparent()) in ("process", "subProcess") \
                and kind not in ("laneSet", "extensionElements", "documentation", "dataObject",
                                 "dataObjectReference", "textAnnotation", "association", "ioSpecification"):
            nodes[el.get("id")] = (el, kind in _WAITING)
    automatic = {n for n, (_, waits) in nodes.items() if not waits}
    order = {n: i for i, n in enumerate(nodes)}
    for component in _strongly_connected(automatic, edges):
        if len(component) > 1 or component[0] in edges.get(component[0], []):
            members = sorted(component, key=order.get)
            errors.append(_err(nodes[members[0]][0], "自动环节构成循环（循环中没有用户任务或等待事件），会无限执行："
                                                     + " → ".join(members)))


def _strongly_connected(vertices, edges):
    """Tarjan's algorithm, iterative (a hostile file may nest deeply)."""
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]
    for root in vertices:
        if root in index:
            continue
        work = [(root, iter([t for t in edges.get(root, []) if t in vertices]))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter([t for t in edges.get(child, []) if t in vertices])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    result.append(component)
    return result
