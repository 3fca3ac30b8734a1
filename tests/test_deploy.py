"""Deploying processes: invalid or hostile BPMN is refused with a message naming the element."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ProcessVersion, User
from app.services import cases, processes
from app.services.errors import Forbidden
from workflows.specs import SpecInvalid

from .helpers import REGISTRATION

BPMN = Path(__file__).resolve().parent.parent / "bpmn" / "disclosure_request.bpmn"


def bundled() -> str:
    return BPMN.read_text(encoding="utf-8")


def forms() -> dict:
    return processes.forms_beside(BPMN, BPMN.read_bytes())


def deploy(text: str, actor=None):
    return processes.deploy(text.encode("utf-8"), forms(), actor=actor, note="test")


def versions() -> int:
    return db.session.execute(select(func.count()).select_from(ProcessVersion)).scalar()


def with_condition(expression: str) -> str:
    return bundled().replace("needs_correction == True", expression.replace("&", "&amp;").replace("<", "&lt;"))


def refused(text: str) -> str:
    before = versions()
    with pytest.raises(SpecInvalid) as info:
        deploy(text)
    db.session.rollback()
    assert versions() == before  # an invalid upload changes nothing
    return str(info.value)


HOSTILE_CONDITIONS = [
    "__import__('os').system('touch /tmp/pwned')",
    "().__class__.__base__.__subclasses__()",
    "needs_correction.__class__.__mro__",
    "getattr(needs_correction, '__class__')",
    "open('/etc/passwd').read()",
    "exec('import os')",
    "10**10**10",
    "'a' * 10**9",
    "[x for x in range(10)]",
    "lambda: 1",
]


@pytest.mark.parametrize("expression", HOSTILE_CONDITIONS)
def test_hostile_gateway_condition_is_refused_naming_the_flow(app, expression):
    message = refused(with_condition(expression))
    assert "f_needs_correction" in message and "需要补正" in message
    assert "条件表达式" in message


def test_hostile_script_task_is_refused(app):
    message = refused(bundled().replace("case_outcome = 'withdrawn'", "import os"))
    assert "mark_withdrawn" in message and "脚本" in message


def test_xxe_and_entity_bombs_are_refused(app):
    xxe = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + \
          bundled().split("?>", 1)[1].replace("收到申请", "&x;")
    assert "DOCTYPE" in refused(xxe)
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<lolz>&lol2;</lolz>'
    assert "DOCTYPE" in refused(bomb)


def test_malformed_xml_and_oversized_files_are_refused(app):
    assert "XML 格式错误" in refused(bundled()[:-40])
    assert "文件过大" in refused(bundled() + " " * (3 * 1024 * 1024))


def test_unsupported_elements_are_named(app):
    text = bundled().replace('<bpmn:exclusiveGateway id="gw_complete"', '<bpmn:complexGateway id="gw_complete"') \
        .replace("</bpmn:exclusiveGateway>\n    <bpmn:serviceTask id=\"send_correction_notice\"",
                 "</bpmn:complexGateway>\n    <bpmn:serviceTask id=\"send_correction_notice\"")
    message = refused(text)
    assert "gw_complete" in message and "复杂网关" in message


def test_unknown_service_operator_and_missing_form_are_named(app):
    message = refused(bundled().replace('serviceTaskOperator id="generate_letter" resultVariable="generate_reply_result"',
                                        'serviceTaskOperator id="shell_exec" resultVariable="generate_reply_result"'))
    assert "generate_reply" in message and "shell_exec" in message
    message = refused(bundled().replace('value="handle.json"', 'value="nope.json"'))
    assert "handle" in message and "nope.json" in message


def test_lane_that_maps_to_nobody_is_refused(app):
    message = refused(bundled().replace('name="保密审查"', 'name="外包审查"'))
    assert "外包审查" in message and "没有对应的角色或部门" in message


def test_only_supervisors_deploy(app):
    officer = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
    with pytest.raises(Forbidden):
        deploy(bundled(), actor=officer)
    supervisor = db.session.execute(select(User).where(User.username == "supervisor")).scalar_one()
    version = deploy(bundled().replace("检索并拟办答复", "检索并拟办"), actor=supervisor)
    assert version.version == 2


def test_new_cases_use_the_new_version_while_running_cases_stay_on_theirs(app):
    officer = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
    old_case = cases.start_case(officer, "disclosure_request", dict(REGISTRATION))
    deploy(bundled().replace('name="审查申请是否完整"', 'name="审查申请材料"'))
    db.session.commit()
    new_case = cases.start_case(officer, "disclosure_request", dict(REGISTRATION))
    assert old_case.process_version.version == 1 and new_case.process_version.version == 2
    assert cases.case_tasks(old_case)[0].title == "审查申请是否完整"
    assert cases.case_tasks(new_case)[0].title == "审查申请材料"
    # The old case still runs to its next step on version 1.
    task = cases.case_tasks(old_case, open_only=True)[0]
    cases.complete_task(officer, task.id, {"needs_correction": False}, old_case.version)
    assert [t.spec_name for t in cases.case_tasks(old_case, open_only=True)] == ["handle"]


def _flask(app, *args, stdin="", env_extra=None):
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], capture_output=True, text=True,
                          env=env, cwd=str(BPMN.parent.parent), input=stdin)


def test_deploy_command_reports_the_element_and_exits_nonzero(app, tmp_path):
    bad = tmp_path / "disclosure_request.bpmn"
    bad.write_text(with_condition("__import__('os').system('id')"), encoding="utf-8")
    for name, raw in forms().items():
        (tmp_path / name).write_bytes(raw)
    db.session.remove()
    result = _flask(app, "deploy", str(bad))
    assert result.returncode == 1
    assert "f_needs_correction" in result.stderr and "Traceback" not in result.stderr
    good = tmp_path / "disclosure_request.bpmn"
    good.write_text(bundled().replace("登记送达", "登记送达情况"), encoding="utf-8")
    result = _flask(app, "deploy", str(good), "--note", "rename")
    assert result.returncode == 0, result.stderr
    assert "deployed disclosure_request v2" in result.stdout


def test_user_commands_create_list_and_issue_tokens(app):
    db.session.remove()
    # The password comes from stdin (or a prompt), never from the command line.
    created = _flask(app, "create-user", "xiaoli", "--role", "officer", "--department", "GKB",
                     stdin="s3cret-pass-2026\n")
    assert created.returncode == 0, created.stderr
    listing = _flask(app, "list-users").stdout.splitlines()
    assert "xiaoli\tofficer\tGKB" in listing and "auditor\tauditor\t" in listing
    token = _flask(app, "create-token", "xiaoli").stdout.strip().splitlines()[-1]
    assert token.startswith("bj_")
    response = app.test_client().get("/api/v1/tasks?scope=claimable", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json() == []  # authenticated; no cases yet
    refused = _flask(app, "create-user", "bad", "--role", "king", stdin="whatever-pass-2026\n")
    assert refused.returncode == 1 and "未知角色" in refused.stderr
