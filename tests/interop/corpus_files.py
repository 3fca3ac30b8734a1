"""tests/interop/corpus/: diagrams drawn the way Camunda Modeler (Camunda Platform 7 and 8) and bpmn-js
(demo.bpmn.io) draw by default — generated ids (``Process_1``, ``Activity_0k2x9a1``, ``Flow_…``), plain
``bpmn:task`` shapes, JUEL/FEEL conditions where those tools put them, lanes only when a pool was drawn.
Nothing here is tuned to this system: the corpus measures how many such diagrams deploy and run.
"""
import hashlib

from .drawing import Flow, Node, chain, diagram

BPMN_JS = "bpmn-js (https://demo.bpmn.io)"
CAMUNDA = "Camunda Modeler"


def rid(prefix: str, seed: str) -> str:
    """An id the way bpmn-js makes them: the element type and seven base-36 characters."""
    digest = int(hashlib.sha1(seed.encode()).hexdigest(), 16)
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    tail = "".join(chars[(digest >> (5 * i)) % 36] for i in range(6))
    return f"{prefix}_{digest % 2}{tail}"


class Drawing:
    """One diagram being drawn: nodes get default-style ids in drawing order."""

    def __init__(self, name: str, lanes=(), exporter=CAMUNDA):
        self.name, self.lanes, self.exporter = name, list(lanes), exporter
        self.nodes: list[Node] = []
        self.flows: list[Flow] = []
        self.process_id = rid("Process", name) if exporter == CAMUNDA else "Process_1"

    def add(self, kind, label="", lane=None, body="", attrs=None, attached_to=None, prefix=None) -> Node:
        if prefix is None:
            prefix = ("Event" if kind.endswith("Event") else "Gateway" if kind.endswith("Gateway") else "Activity")
        ident = "StartEvent_1" if kind == "startEvent" and not any(n.kind == "startEvent" for n in self.nodes) \
            else rid(prefix, f"{self.name}/{len(self.nodes)}")
        lane = lane or (self.lanes[0] if self.lanes else None)
        node = Node(kind, ident, label, body=body, lane=lane, attrs=attrs or {}, attached_to=attached_to)
        self.nodes.append(node)
        return node

    def flow(self, source: Node, target: Node, condition=None, label="", default_of: Node | None = None) -> Flow:
        flow = Flow(rid("Flow", f"{self.name}/f{len(self.flows)}"), source.id, target.id, condition, label)
        self.flows.append(flow)
        if default_of is not None:
            default_of.attrs["default"] = flow.id
        return flow

    def chain(self, *nodes: Node) -> None:
        for a, b in zip(nodes, nodes[1:]):
            self.flow(a, b)

    def xml(self, **kw) -> str:
        return diagram(self.process_id, self.name, self.nodes, self.flows, lanes=self.lanes,
                       exporter=self.exporter, definitions_id=rid("Definitions", self.name), **kw)


def timer(kind: str, text: str) -> str:
    return (f'      <bpmn:timerEventDefinition id="{rid("TimerEventDefinition", text + kind)}">\n'
            f'        <bpmn:{kind} xsi:type="bpmn:tFormalExpression">{text}</bpmn:{kind}>\n'
            f"      </bpmn:timerEventDefinition>")


OFFICE = ["办事人员", "负责人"]


def corpus() -> dict[str, str]:
    out = {}

    def keep(key, drawing, **kw):
        out[f"corpus/{key}.bpmn"] = drawing.xml(**kw)

    # 1. bpmn-js's new diagram: a start event, nothing else drawn but an end
    d = Drawing("空白流程", exporter=BPMN_JS)
    d.chain(d.add("startEvent"), d.add("endEvent"))
    keep("01_start_end", d)
    # 2-3. a task or a user task drawn without a pool (nobody can be given the work)
    for key, kind in (("02_task_no_pool", "task"), ("03_user_task_no_pool", "userTask")):
        d = Drawing(f"无泳道{kind}", exporter=BPMN_JS)
        d.chain(d.add("startEvent"), d.add(kind, "审核"), d.add("endEvent"))
        keep(key, d)
    # 4-6. a pool with lanes and one, two, three plain tasks
    for n in (1, 2, 3):
        d = Drawing(f"{n}个任务", lanes=OFFICE)
        steps = [d.add("task", f"第{i + 1}步", lane=OFFICE[i % 2]) for i in range(n)]
        d.chain(d.add("startEvent"), *steps, d.add("endEvent"))
        keep(f"0{3 + n}_tasks_in_lanes_{n}", d)
    # 7. a manual task
    d = Drawing("手工送达", lanes=OFFICE)
    d.chain(d.add("startEvent"), d.add("manualTask", "送达文书"), d.add("endEvent"))
    keep("07_manual_task", d)
    # 8. a user task with a Camunda form key and no spiffworkflow form
    d = Drawing("表单键", lanes=OFFICE)
    d.chain(d.add("startEvent"), d.add("userTask", "填写意见", attrs={"camunda:formKey": "embedded:app:forms/opinion.html"}),
            d.add("endEvent"))
    keep("08_user_task_form_key", d)
    # 9-11. exclusive gateway: Python-style condition with a default flow; JUEL; FEEL
    for key, condition in (("09_gateway_python", "approved == True"), ("10_gateway_juel", "${approved}"),
                           ("11_gateway_feel", "=approved")):
        d = Drawing(f"是否同意{key[:2]}", lanes=OFFICE)
        s, check, gw = d.add("startEvent"), d.add("task", "审核"), d.add("exclusiveGateway", "是否同意？")
        yes, no, e1, e2 = d.add("task", "办理", lane="负责人"), d.add("task", "退回"), d.add("endEvent"), d.add("endEvent")
        d.chain(s, check, gw)
        d.flow(gw, yes, condition, "同意")
        d.flow(gw, no, label="不同意", default_of=gw)
        d.chain(yes, e1)
        d.chain(no, e2)
        keep(key, d)
    # 12-13. parallel split and join, in two lanes; an inclusive gateway
    d = Drawing("会签", lanes=OFFICE)
    s, split, a, b, join, e = (d.add("startEvent"), d.add("parallelGateway"), d.add("task", "办事人员意见"),
                               d.add("task", "负责人意见", lane="负责人"), d.add("parallelGateway"), d.add("endEvent"))
    d.chain(s, split)
    d.chain(split, a, join)
    d.chain(split, b, join)
    d.chain(join, e)
    keep("12_parallel", d)
    d = Drawing("包容网关", lanes=OFFICE)
    s, split, a, b, join, e = (d.add("startEvent"), d.add("inclusiveGateway"), d.add("task", "抄送"),
                               d.add("task", "报告", lane="负责人"), d.add("inclusiveGateway"), d.add("endEvent"))
    d.chain(s, split)
    d.flow(split, a, "approved == True")
    d.flow(split, b, "len(items) > 1")
    d.chain(a, join)
    d.chain(b, join)
    d.chain(join, e)
    keep("13_inclusive", d)
    # 14-16. timers as Camunda Modeler writes them: bare ISO duration and date
    for key, kind, text in (("14_timer_pt5m", "timeDuration", "PT5M"), ("15_timer_p1d", "timeDuration", "P1D"),
                            ("16_timer_date", "timeDate", "2020-01-01T08:00:00Z")):
        d = Drawing(f"等待{text}", lanes=OFFICE)
        d.chain(d.add("startEvent"), d.add("intermediateCatchEvent", "等待", body=timer(kind, text)),
                d.add("task", "继续办理"), d.add("endEvent"))
        keep(key, d)
    # 17. an interrupting boundary timer of seven days on a task
    d = Drawing("七日时限", lanes=OFFICE)
    s, t, e = d.add("startEvent"), d.add("task", "办理"), d.add("endEvent")
    late = d.add("boundaryEvent", "超期", body=timer("timeDuration", "P7D"), attached_to=t.id)
    escalate = d.add("task", "督办", lane="负责人")
    e2 = d.add("endEvent")
    d.chain(s, t, e)
    d.chain(late, escalate, e2)
    keep("17_boundary_timer", d)
    # 18. a timer start event
    d = Drawing("定时启动", lanes=OFFICE)
    d.chain(d.add("startEvent", "每天", body=timer("timeCycle", "R/P1D")), d.add("task", "巡查"), d.add("endEvent"))
    keep("18_timer_start", d)
    # 19-20. message start and message catch
    msg = '  <bpmn:message id="Message_1" name="申请到达" />'
    d = Drawing("消息启动", lanes=OFFICE)
    d.chain(d.add("startEvent", "收到申请", body='      <bpmn:messageEventDefinition id="MessageEventDefinition_0s1" messageRef="Message_1" />'),
            d.add("task", "登记"), d.add("endEvent"))
    keep("19_message_start", d, root_extra=msg)
    d = Drawing("等待补正", lanes=OFFICE)
    d.chain(d.add("startEvent"), d.add("task", "通知补正"),
            d.add("intermediateCatchEvent", "收到补正", body='      <bpmn:messageEventDefinition id="MessageEventDefinition_0s2" messageRef="Message_1" />'),
            d.add("task", "审核"), d.add("endEvent"))
    keep("20_message_catch", d, root_extra=msg)
    # 21-22. script tasks: Python, and JavaScript as Camunda 7 users write them
    d = Drawing("脚本Python", lanes=OFFICE)
    d.chain(d.add("startEvent"), d.add("scriptTask", "计算", attrs={"scriptFormat": "python"},
                                       body="      <bpmn:script>total = len(items)</bpmn:script>"),
            d.add("task", "核对"), d.add("endEvent"))
    keep("21_script_python", d)
    d = Drawing("脚本JavaScript", lanes=OFFICE)
    d.chain(d.add("startEvent"), d.add("scriptTask", "计算", attrs={"scriptFormat": "javascript"},
                                       body='      <bpmn:script>execution.setVariable("total", 1);</bpmn:script>'),
            d.add("endEvent"))
    keep("22_script_javascript", d)
    # 23-24. service tasks as Camunda 7 (Java class) and Camunda 8 (job type) write them
    d = Drawing("Java服务", lanes=OFFICE)
    d.chain(d.add("startEvent"), d.add("serviceTask", "发送短信", attrs={"camunda:class": "org.example.SendSms"}),
            d.add("endEvent"))
    keep("23_service_camunda7", d)
    d = Drawing("Zeebe服务", lanes=OFFICE)
    d.chain(d.add("startEvent"), d.add("serviceTask", "发送短信", body=(
        '      <bpmn:extensionElements>\n        <zeebe:taskDefinition type="send-sms" />\n'
        "      </bpmn:extensionElements>")), d.add("endEvent"))
    keep("24_service_zeebe", d)
    # 25. an embedded subprocess with a task inside, drawn in a lane
    d = Drawing("子流程", lanes=OFFICE)
    inner = ('      <bpmn:startEvent id="Event_1sub001" />\n      <bpmn:task id="Activity_1sub002" name="内部核对" />\n'
             '      <bpmn:endEvent id="Event_1sub003" />\n'
             '      <bpmn:sequenceFlow id="Flow_1sub004" sourceRef="Event_1sub001" targetRef="Activity_1sub002" />\n'
             '      <bpmn:sequenceFlow id="Flow_1sub005" sourceRef="Activity_1sub002" targetRef="Event_1sub003" />')
    d.chain(d.add("startEvent"), d.add("subProcess", "核查", body=inner), d.add("endEvent"))
    keep("25_subprocess", d)
    # 26. a call activity calling a process of the same file
    d = Drawing("调用活动", lanes=OFFICE)
    helper_id = rid("Process", "调用活动/helper")
    d.chain(d.add("startEvent"), d.add("callActivity", "归档", attrs={"calledElement": helper_id}), d.add("endEvent"))
    helper = (f'  <bpmn:process id="{helper_id}" isExecutable="true">\n'
              '    <bpmn:startEvent id="Event_0hlp001" />\n    <bpmn:scriptTask id="Activity_0hlp002" name="编号" scriptFormat="python">\n'
              "      <bpmn:script>archived = True</bpmn:script>\n    </bpmn:scriptTask>\n"
              '    <bpmn:endEvent id="Event_0hlp003" />\n'
              '    <bpmn:sequenceFlow id="Flow_0hlp004" sourceRef="Event_0hlp001" targetRef="Activity_0hlp002" />\n'
              '    <bpmn:sequenceFlow id="Flow_0hlp005" sourceRef="Activity_0hlp002" targetRef="Event_0hlp003" />\n'
              "  </bpmn:process>")
    keep("26_call_activity", d, other_processes=helper)
    # 27-28. multi-instance: a cardinality, and Camunda 7's collection attribute
    d = Drawing("三方会商", lanes=OFFICE)
    d.chain(d.add("startEvent"), d.add("task", "会商", body=(
        '      <bpmn:multiInstanceLoopCharacteristics>\n'
        '        <bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">3</bpmn:loopCardinality>\n'
        "      </bpmn:multiInstanceLoopCharacteristics>")), d.add("endEvent"))
    keep("27_multi_cardinality", d)
    d = Drawing("逐项办理", lanes=OFFICE)
    d.chain(d.add("startEvent"), d.add("task", "办理", body=(
        '      <bpmn:multiInstanceLoopCharacteristics camunda:collection="${items}" camunda:elementVariable="item" />')),
        d.add("endEvent"))
    keep("28_multi_camunda_collection", d)
    # 29. a terminate end event after a parallel split
    d = Drawing("终止", lanes=OFFICE)
    s, split, a, b = d.add("startEvent"), d.add("parallelGateway"), d.add("task", "办理"), d.add("task", "等待", lane="负责人")
    term = d.add("endEvent", "终止", body='      <bpmn:terminateEventDefinition id="TerminateEventDefinition_0t1" />')
    e = d.add("endEvent")
    d.chain(s, split)
    d.chain(split, a, term)
    d.chain(split, b, e)
    keep("29_terminate", d)
    # 30. a text annotation and a data object beside the flow
    d = Drawing("注释与数据", lanes=OFFICE, exporter=BPMN_JS)
    t = d.add("task", "登记")
    d.chain(d.add("startEvent"), t, d.add("endEvent"))
    extra = ('    <bpmn:textAnnotation id="TextAnnotation_0ann001">\n      <bpmn:text>收到后当日登记</bpmn:text>\n'
             '    </bpmn:textAnnotation>\n'
             f'    <bpmn:association id="Association_0ann002" sourceRef="{t.id}" targetRef="TextAnnotation_0ann001" />\n'
             '    <bpmn:dataObjectReference id="DataObjectReference_0dat001" name="申请材料" dataObjectRef="DataObject_0dat002" />\n'
             '    <bpmn:dataObject id="DataObject_0dat002" />')
    keep("30_annotation_data", d, process_body=extra)
    # 31. a collaboration: the office's pool and the applicant's, with a message flow
    d = Drawing("协作", lanes=OFFICE)
    reply = d.add("task", "答复")
    d.chain(d.add("startEvent"), reply, d.add("endEvent"))
    text = d.xml(other_processes='  <bpmn:process id="Process_applicant01" isExecutable="false" />')
    text = text.replace("  </bpmn:collaboration>",
                        '    <bpmn:participant id="Participant_0app001" name="申请人" processRef="Process_applicant01" />\n'
                        f'    <bpmn:messageFlow id="Flow_0msg001" sourceRef="{reply.id}" targetRef="Participant_0app001" />\n'
                        "  </bpmn:collaboration>")
    out["corpus/31_collaboration.bpmn"] = text
    # 32. an error boundary event on a subprocess that throws it
    d = Drawing("错误处理", lanes=OFFICE)
    inner = ('      <bpmn:startEvent id="Event_0err001" />\n'
             '      <bpmn:endEvent id="Event_0err002">\n'
             '        <bpmn:errorEventDefinition id="ErrorEventDefinition_0err003" errorRef="Error_0err004" />\n'
             "      </bpmn:endEvent>\n"
             '      <bpmn:sequenceFlow id="Flow_0err005" sourceRef="Event_0err001" targetRef="Event_0err002" />')
    sub = d.add("subProcess", "核验", body=inner)
    s, e = d.add("startEvent"), d.add("endEvent")
    caught = d.add("boundaryEvent", "核验失败", attached_to=sub.id,
                   body='      <bpmn:errorEventDefinition id="ErrorEventDefinition_0err006" errorRef="Error_0err004" />')
    fix, e2 = d.add("task", "人工复核"), d.add("endEvent")
    d.chain(s, sub, e)
    d.chain(caught, fix, e2)
    keep("32_error_boundary", d, root_extra='  <bpmn:error id="Error_0err004" name="核验失败" errorCode="CHECK_FAILED" />')
    # 33. a link event pair
    d = Drawing("链接事件", lanes=OFFICE)
    d.chain(d.add("startEvent"), d.add("intermediateThrowEvent", "转到归档",
                                       body='      <bpmn:linkEventDefinition id="LinkEventDefinition_0lnk001" name="归档" />'))
    d.chain(d.add("intermediateCatchEvent", "归档",
                  body='      <bpmn:linkEventDefinition id="LinkEventDefinition_0lnk002" name="归档" />'),
            d.add("task", "归档"), d.add("endEvent"))
    keep("33_link_events", d)
    return out
