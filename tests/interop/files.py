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


def write_all() -> None:
    for name, text in {**spiff_files()}.items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_all()
