"""The BPMN files of tests/interop, as their author drew them (``python -m tests.interop.files`` rewrites them).

- ``spiff/``: SpiffWorkflow-style files that together use every ``spiffworkflow:`` extension the engine reads
  (and one foreign ``camunda:`` extension), for the modeler round trip.
- ``cases/``: one file per point of issue 16 §3, each either running to its end or refused naming the element.
- ``corpus/``: diagrams drawn the way Camunda Modeler and bpmn-js draw by default, for the closing figure.
"""
from pathlib import Path

from .drawing import Flow, Node, chain, diagram

HERE = Path(__file__).resolve().parent
FORM = "interop_note.json"


def props(*pairs, extra=""):
    items = "".join(f'\n          <spiffworkflow:property name="{k}" value="{v}" />' for k, v in pairs)
    return (f"      <bpmn:extensionElements>\n        <spiffworkflow:properties>{items}\n"
            f"        </spiffworkflow:properties>{extra}\n      </bpmn:extensionElements>")


def user(id_, name, lane, extra="", form=FORM, body_after=""):
    return Node("userTask", id_, name, props(("formJsonSchemaFilename", form), extra=extra) + body_after, lane=lane)


def timer(kind, text, event_id):
    return (f'      <bpmn:timerEventDefinition id="TimerEventDefinition_{event_id}">\n'
            f'        <bpmn:{kind} xsi:type="bpmn:tFormalExpression">{text}</bpmn:{kind}>\n'
            f'      </bpmn:timerEventDefinition>')


def start(lane="办事人员"):
    return Node("startEvent", "StartEvent_1", "开始", lane=lane)


def end(id_="Event_end", lane="办事人员"):
    return Node("endEvent", id_, "结束", lane=lane)


# -- spiff/: every extension ------------------------------------------------------------------------------
def spiff_files() -> dict[str, str]:
    lanes = ["办事人员", "负责人"]
    s = start()
    script = Node("scriptTask", "Activity_script", "计算份数", lane="办事人员", attrs={"scriptFormat": "python"}, body=(
        "      <bpmn:extensionElements>\n        <spiffworkflow:unitTests>\n"
        '          <spiffworkflow:unitTest id="ScriptUnitTest_1">\n'
        '            <spiffworkflow:inputJson>{"n": 1}</spiffworkflow:inputJson>\n'
        '            <spiffworkflow:expectedOutputJson>{"n": 2, "copies": [1, 2]}</spiffworkflow:expectedOutputJson>\n'
        "          </spiffworkflow:unitTest>\n        </spiffworkflow:unitTests>\n"
        "      </bpmn:extensionElements>\n"
        "      <bpmn:script>n = 2\ncopies = [1, 2]</bpmn:script>"))
    fill = user("Activity_fill", "填写意见", "办事人员", extra=(
        "\n        <spiffworkflow:instructionsForEndUser>请填写办理意见。</spiffworkflow:instructionsForEndUser>"
        "\n        <spiffworkflow:preScript>prepared = True</spiffworkflow:preScript>"
        "\n        <spiffworkflow:postScript>filled = note != ''</spiffworkflow:postScript>"
        "\n        <spiffworkflow:variableName>fill_result</spiffworkflow:variableName>"
        '\n        <spiffworkflow:taskMetadataValues>\n          <spiffworkflow:taskMetadataValue name="priority" value="n" />'
        "\n        </spiffworkflow:taskMetadataValues>"
        '\n        <camunda:properties>\n          <camunda:property name="kept" value="untouched" />\n        </camunda:properties>'))
    each = user("Activity_each", "逐份确认", "负责人", body_after=(
        '\n      <bpmn:multiInstanceLoopCharacteristics spiffworkflow:scriptsOnInstances="true">\n'
        "        <bpmn:loopDataInputRef>copies</bpmn:loopDataInputRef>\n"
        "        <bpmn:loopDataOutputRef>confirmations</bpmn:loopDataOutputRef>\n"
        '        <bpmn:inputDataItem id="copy" name="copy" />\n'
        '        <bpmn:outputDataItem id="confirmation" name="confirmation" />\n'
        "      </bpmn:multiInstanceLoopCharacteristics>"))
    service = Node("serviceTask", "Activity_notify", "通知负责人", lane="办事人员", body=(
        "      <bpmn:extensionElements>\n"
        '        <spiffworkflow:serviceTaskOperator id="notify" resultVariable="notify_result">\n'
        "          <spiffworkflow:parameters>\n"
        '            <spiffworkflow:parameter id="lane" type="str" value="\'负责人\'" />\n'
        '            <spiffworkflow:parameter id="message" type="str" value="\'请确认\'" />\n'
        "          </spiffworkflow:parameters>\n"
        '          <spiffworkflow:retry retries="2" backoff_base="3" />\n'
        "        </spiffworkflow:serviceTaskOperator>\n"
        "        <spiffworkflow:preScript>asked = True</spiffworkflow:preScript>\n"
        "      </bpmn:extensionElements>"))
    gw = Node("exclusiveGateway", "Gateway_1", "是否填写", lane="办事人员", attrs={"default": "Flow_default"})
    remind = Node("boundaryEvent", "Event_remind", "三日未办", lane="办事人员", attached_to="Activity_fill",
                  attrs={"cancelActivity": "false"}, body=timer("timeDuration", "'P3D'", "remind"))
    e1, e2 = end(), end("Event_end_remind")
    nodes = [s, script, fill, gw, service, each, e1, remind, e2]
    flows = chain(s, script, fill, gw) + [
        Flow("Flow_yes", "Gateway_1", "Activity_notify", "filled == True", name="已填写"),
        Flow("Flow_default", "Gateway_1", "Event_end"),
        Flow("Flow_5", "Activity_notify", "Activity_each"), Flow("Flow_6", "Activity_each", "Event_end"),
        Flow("Flow_7", "Event_remind", "Event_end_remind")]
    main = diagram("spiff_extensions", "扩展全集", nodes, flows, lanes=lanes, exporter="bpmn-js (https://demo.bpmn.io)",
                   process_body=props(("trackingPrefix", "EXT")))

    # messages: payload, variable, correlations (process variable and collaboration keys), messagePath
    s2 = start()
    send = Node("intermediateThrowEvent", "Event_send", "发出回执", lane="办事人员", body=(
        '      <bpmn:messageEventDefinition id="MessageEventDefinition_send" messageRef="Message_receipt">\n'
        "        <bpmn:extensionElements>\n"
        "          <spiffworkflow:messagePayload>{'case_no': case_no}</spiffworkflow:messagePayload>\n"
        "          <spiffworkflow:messageVariable>receipt</spiffworkflow:messageVariable>\n"
        "          <spiffworkflow:processVariableCorrelation>\n"
        "            <spiffworkflow:propertyId>case_no</spiffworkflow:propertyId>\n"
        "            <spiffworkflow:expression>case_no</spiffworkflow:expression>\n"
        "          </spiffworkflow:processVariableCorrelation>\n"
        "        </bpmn:extensionElements>\n"
        "      </bpmn:messageEventDefinition>"))
    confirm = user("Activity_confirm", "确认送达", "办事人员")
    e3 = end()
    root_extra = ('  <bpmn:message id="Message_receipt" name="receipt" />\n'
                  '  <bpmn:correlationProperty id="case_no" name="案件编号">\n'
                  '    <bpmn:correlationPropertyRetrievalExpression messageRef="Message_receipt">\n'
                  "      <bpmn:messagePath>case_no</bpmn:messagePath>\n"
                  "    </bpmn:correlationPropertyRetrievalExpression>\n  </bpmn:correlationProperty>")
    messages = diagram("spiff_messages", "消息扩展", [s2, send, confirm, e3], chain(s2, send, confirm, e3),
                       lanes=["办事人员"], root_extra=root_extra, exporter="bpmn-js (https://demo.bpmn.io)",
                       process_body=props(("trackingPrefix", "MSG")))
    messages = messages.replace('</bpmn:collaboration>', '  <bpmn:correlationKey id="CorrelationKey_1" name="MainCorrelationKey">\n'
                                '      <bpmn:correlationPropertyRef>case_no</bpmn:correlationPropertyRef>\n'
                                '    </bpmn:correlationKey>\n  </bpmn:collaboration>')
    return {"spiff/spiff_extensions.bpmn": main, "spiff/spiff_messages.bpmn": messages}


# -- cases/: issue 16 §3, one construct per file -----------------------------------------------------------
def simple(key, name, middle: list[Node], *, lanes=("办事人员",), **kw) -> str:
    s, e = start(lanes[0] if lanes else None), end(lane=lanes[0] if lanes else None)
    nodes = [s, *middle, e]
    return diagram(key, name, nodes, chain(*nodes), lanes=lanes, **kw)


def mi_task(input_ref="departments", sequential=False, output=False):
    seq = ' isSequential="true"' if sequential else ""
    out_ref = "        <bpmn:loopDataOutputRef>answers</bpmn:loopDataOutputRef>\n" if output else ""
    out_item = '        <bpmn:outputDataItem id="note" name="note" />\n' if output else ""
    return user("Activity_each", "各部门确认", "办事人员", body_after=(
        f"\n      <bpmn:multiInstanceLoopCharacteristics{seq}>\n"
        f"        <bpmn:loopDataInputRef>{input_ref}</bpmn:loopDataInputRef>\n{out_ref}"
        f'        <bpmn:inputDataItem id="department" name="department" />\n{out_item}'
        "      </bpmn:multiInstanceLoopCharacteristics>"))


def case_files() -> dict[str, str]:
    files = {}
    files["plain_task"] = simple("interop_plain_task", "普通任务", [Node("task", "Activity_1", "核对材料", lane="办事人员")])
    files["manual_task"] = simple("interop_manual_task", "手工任务",
                                  [Node("manualTask", "Activity_1", "现场送达", lane="办事人员")])
    files["task_outside_lanes"] = simple("interop_task_no_lane", "无泳道任务", [Node("task", "Activity_1", "核对材料")],
                                         lanes=())
    files["unquoted_timers"] = simple("interop_unquoted_timers", "未加引号的定时", [
        Node("intermediateCatchEvent", "Event_wait", "等待五分钟", lane="办事人员",
             body=timer("timeDuration", "PT5M", "wait")),
        user("Activity_1", "办理", "办事人员"),
    ])
    # a boundary duration and a fixed date, as Camunda Modeler's timer panel writes them
    b_user = user("Activity_1", "办理", "办事人员")
    s, e, e2, e3 = start(), end(), end("Event_late"), end("Event_fixed")
    late = Node("boundaryEvent", "Event_7d", "七日未办", lane="办事人员", attached_to="Activity_1",
                body=timer("timeDuration", "P7D", "late"))
    fixed = Node("boundaryEvent", "Event_date", "指定日期", lane="办事人员", attached_to="Activity_1",
                 attrs={"cancelActivity": "false"}, body=timer("timeDate", "2020-03-01T09:00:00Z", "fixed"))
    files["unquoted_boundary_timers"] = diagram(
        "interop_unquoted_boundary", "边界定时", [s, b_user, e, late, e2, fixed, e3],
        chain(s, b_user, e) + [Flow("Flow_late", "Event_7d", "Event_late"), Flow("Flow_fixed", "Event_date", "Event_fixed")],
        lanes=["办事人员"])
    s, gw, t1, t2, e1, e2 = (start(), Node("eventBasedGateway", "Gateway_1", "等待", lane="办事人员"),
                             Node("intermediateCatchEvent", "Event_soon", "五分钟后", lane="办事人员",
                                  body=timer("timeDuration", "PT5M", "soon")),
                             Node("intermediateCatchEvent", "Event_later", "一天后", lane="办事人员",
                                  body=timer("timeDuration", "P1D", "later")),
                             end(), end("Event_end_later"))
    files["event_gateway_timers"] = diagram(
        "interop_event_gateway", "事件网关定时", [s, gw, t1, t2, e1, e2],
        [Flow("Flow_1", "StartEvent_1", "Gateway_1"), Flow("Flow_2", "Gateway_1", "Event_soon"),
         Flow("Flow_3", "Gateway_1", "Event_later"), Flow("Flow_4", "Event_soon", "Event_end"),
         Flow("Flow_5", "Event_later", "Event_end_later")], lanes=["办事人员"])
    # one timer against a condition on case data (the office's usual "wait, unless …")
    s, gw, t1, c1, e1, e2 = (start(), Node("eventBasedGateway", "Gateway_1", "等待", lane="办事人员"),
                             Node("intermediateCatchEvent", "Event_soon", "五分钟后", lane="办事人员",
                                  body=timer("timeDuration", "PT5M", "soon")),
                             Node("intermediateCatchEvent", "Event_withdrawn", "申请人撤回", lane="办事人员", body=(
                                 '      <bpmn:conditionalEventDefinition id="ConditionalEventDefinition_1">\n'
                                 '        <bpmn:condition xsi:type="bpmn:tFormalExpression">withdrawn == True</bpmn:condition>\n'
                                 "      </bpmn:conditionalEventDefinition>")),
                             end(), end("Event_end_withdrawn"))
    files["event_gateway_timer"] = diagram(
        "interop_event_gateway_one", "事件网关定时（单个）", [s, gw, t1, c1, e1, e2],
        [Flow("Flow_1", "StartEvent_1", "Gateway_1"), Flow("Flow_2", "Gateway_1", "Event_soon"),
         Flow("Flow_3", "Gateway_1", "Event_withdrawn"), Flow("Flow_4", "Event_soon", "Event_end"),
         Flow("Flow_5", "Event_withdrawn", "Event_end_withdrawn")], lanes=["办事人员"])
    files["message_catch"] = simple("interop_message_catch", "等待消息", [
        Node("intermediateCatchEvent", "Event_msg", "等待回执", lane="办事人员",
             body='      <bpmn:messageEventDefinition id="MessageEventDefinition_1" messageRef="Message_1" />')],
        root_extra='  <bpmn:message id="Message_1" name="receipt" />')
    files["signal_catch"] = simple("interop_signal_catch", "等待信号", [
        Node("intermediateCatchEvent", "Event_sig", "等待通知", lane="办事人员",
             body='      <bpmn:signalEventDefinition id="SignalEventDefinition_1" signalRef="Signal_1" />')],
        root_extra='  <bpmn:signal id="Signal_1" name="go" />')
    files["recursive_call"] = simple("interop_recursive", "调用自身", [
        Node("callActivity", "Activity_call", "再办一次", lane="办事人员", attrs={"calledElement": "interop_recursive"})])
    callee = ('  <bpmn:process id="Process_helper" isExecutable="true">\n'
              '    <bpmn:startEvent id="Event_h_start" />\n'
              '    <bpmn:callActivity id="Activity_back" name="回调主流程" calledElement="interop_mutual" />\n'
              '    <bpmn:endEvent id="Event_h_end" />\n'
              '    <bpmn:sequenceFlow id="Flow_h1" sourceRef="Event_h_start" targetRef="Activity_back" />\n'
              '    <bpmn:sequenceFlow id="Flow_h2" sourceRef="Activity_back" targetRef="Event_h_end" />\n'
              '  </bpmn:process>')
    files["mutual_call"] = simple("interop_mutual", "互相调用", [
        Node("callActivity", "Activity_call", "调用辅助流程", lane="办事人员", attrs={"calledElement": "Process_helper"})],
        other_processes=callee)
    files["multi_instance"] = simple("interop_multi_instance", "多实例", [mi_task()])
    files["multi_instance_sequential"] = simple("interop_multi_sequential", "顺序多实例",
                                                [mi_task(sequential=True, output=True)])
    files["multi_instance_sequential_no_output"] = simple("interop_multi_sequential_bare", "顺序多实例无输出",
                                                          [mi_task(sequential=True)])
    latin = simple("interop_latin1", "Procédure", [user("Activity_1", "Vérifier", "Bureau")], lanes=("Bureau",),
                   encoding="ISO-8859-1").replace("开始", "Début").replace("结束", "Fin")
    files["latin1"] = latin
    files["no_process_id"] = simple(None, "无标识", [user("Activity_1", "办理", "办事人员")])
    files["invalid_ids"] = simple("interop_bad_ids", "错误标识", [user("1 办理", "办理", "办事人员")])
    # a collaboration: the office's executable pool and the applicant's pool, joined by message flows
    s, t, e = start(), user("Activity_1", "答复申请人", "办事人员"), end()
    applicant = ('  <bpmn:process id="Process_applicant" isExecutable="false" />')
    collab = diagram("interop_collaboration", "协作图", [s, t, e], chain(s, t, e), lanes=["办事人员"],
                     other_processes=applicant)
    collab = collab.replace("  </bpmn:collaboration>",
                            '    <bpmn:participant id="Participant_applicant" name="申请人" processRef="Process_applicant" />\n'
                            '    <bpmn:messageFlow id="MessageFlow_1" sourceRef="Activity_1" targetRef="Participant_applicant" />\n'
                            "  </bpmn:collaboration>")
    collab = collab.replace("    </bpmndi:BPMNPlane>",
                            '      <bpmndi:BPMNShape id="Participant_applicant_di" bpmnElement="Participant_applicant" isHorizontal="true">\n'
                            '        <dc:Bounds x="130" y="330" width="500" height="60" />\n      </bpmndi:BPMNShape>\n'
                            '      <bpmndi:BPMNEdge id="MessageFlow_1_di" bpmnElement="MessageFlow_1">\n'
                            '        <di:waypoint x="410" y="220" />\n        <di:waypoint x="410" y="330" />\n'
                            "      </bpmndi:BPMNEdge>\n    </bpmndi:BPMNPlane>")
    files["collaboration"] = collab
    files["form_without_type"] = simple("interop_form_no_type", "表单无类型",
                                        [user("Activity_1", "填写", "办事人员", form="untyped_note.json")])
    files["bad_condition"] = diagram(
        "interop_bad_condition", "错误条件",
        [start(), Node("exclusiveGateway", "Gateway_1", "是否同意", lane="办事人员", attrs={"default": "Flow_no"}),
         end(), end("Event_no")],
        [Flow("Flow_1", "StartEvent_1", "Gateway_1"),
         Flow("Flow_yes", "Gateway_1", "Event_end", "__import__('os')", name="同意"),
         Flow("Flow_no", "Gateway_1", "Event_no")], lanes=["办事人员"])
    return {f"cases/{name}.bpmn": text for name, text in files.items()}


def write_all() -> None:
    from .corpus_files import corpus
    for name, text in {**spiff_files(), **case_files(), **corpus()}.items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("iso-8859-1" if 'encoding="ISO-8859-1"' in text else "utf-8"))


if __name__ == "__main__":
    write_all()
