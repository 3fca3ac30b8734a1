"""A foreign diagram can be brought into service (issue 16 §2): lanes assigned as data (CLI and page),
deployed under a new key, and never silently made a version of an unrelated process."""
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import LaneAssignment, ProcessVersion
from app.services import processes
from app.services.processes import OtherOrigin

ROOT = Path(__file__).resolve().parents[2]
REVIEW = ROOT / "bpmn" / "petition_review.bpmn"


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=list(args))
        db.session.remove()
        return result
    return run


def as_new_process(tmp_path, key="review_copy") -> Path:
    """The app's own petition_review.bpmn saved under a new process id, with its forms beside it."""
    text = REVIEW.read_text(encoding="utf-8").replace('id="petition_review"', f'id="{key}"')
    target = tmp_path / f"{key}.bpmn"
    target.write_text(text, encoding="utf-8")
    for name, raw in processes.forms_beside(REVIEW, REVIEW.read_bytes()).items():
        (tmp_path / name).write_bytes(raw)
    return target


def test_an_existing_process_under_a_new_key_deploys_once_its_lane_is_assigned_on_the_command_line(cli, tmp_path):
    path = as_new_process(tmp_path)
    refused = cli("deploy", str(path))
    assert refused.exit_code != 0
    assert "泳道“复查”没有对应的角色或部门" in refused.output and "泳道分配" in refused.output

    assigned = cli("lane-assign", "review_copy", "复查", "--role", "officer", "--department", "SJ")
    assert assigned.exit_code == 0, assigned.output
    assert "review_copy / 复查: officer of SJ" in assigned.output

    deployed = cli("deploy", str(path), "--note", "复查流程副本")
    assert deployed.exit_code == 0, deployed.output
    assert re.search(r"deployed review_copy v1", deployed.output)


@pytest.mark.parametrize("args,field", [
    (["--role", "boss"], "未知角色“boss”"),
    (["--role", "officer", "--department", "NOPE"], "未知部门代码“NOPE”"),
])
def test_lane_assign_refuses_an_unknown_role_or_department_and_changes_nothing(cli, args, field):
    before = db.session.execute(select(LaneAssignment)).scalars().all()
    result = cli("lane-assign", "review_copy", "复查", *args)
    assert result.exit_code != 0 and field in result.output
    assert len(db.session.execute(select(LaneAssignment)).scalars().all()) == len(before)


def test_lane_assign_twice_is_one_assignment(cli):
    for _ in range(2):
        assert cli("lane-assign", "review_copy", "复查", "--role", "officer").exit_code == 0
    rows = db.session.execute(select(LaneAssignment).where(LaneAssignment.process_key == "review_copy")).scalars()
    assert len(list(rows)) == 1


def drawn_elsewhere() -> bytes:
    """An unrelated diagram that happens to use the same process id (another bpmn:definitions id)."""
    return REVIEW.read_text(encoding="utf-8").replace(
        'id="Definitions_petition_review"', 'id="Definitions_0a1b2c3"').replace(
        'name="信访事项复查复核"', 'name="另一张图"').encode("utf-8")


def test_a_file_of_another_origin_under_an_existing_key_is_not_silently_a_new_version(app):
    forms = processes.forms_beside(REVIEW, REVIEW.read_bytes())
    with pytest.raises(OtherOrigin) as refused:
        processes.deploy(drawn_elsewhere(), forms, actor=None, note="x")
    db.session.rollback()
    assert "另一张流程图" in refused.value.message and refused.value.status == 409
    assert processes.latest("petition_review").version == 1

    version = processes.deploy(drawn_elsewhere(), forms, actor=None, note="确认替换", other_origin=True)
    db.session.commit()
    assert version.version == 2


def test_the_cli_deploy_of_another_origin_asks_for_other_origin(cli, tmp_path):
    path = tmp_path / "petition_review.bpmn"
    path.write_bytes(drawn_elsewhere())
    for name, raw in processes.forms_beside(REVIEW, REVIEW.read_bytes()).items():
        (tmp_path / name).write_bytes(raw)
    refused = cli("deploy", str(path))
    assert refused.exit_code != 0 and "--other-origin" in refused.output
    assert cli("deploy", str(path), "--other-origin").exit_code == 0
    assert processes.latest("petition_review").version == 2


def test_the_same_diagram_edited_in_the_modeler_is_the_same_origin(app):
    edited = REVIEW.read_text(encoding="utf-8").replace('name="信访事项复查复核"', 'name="信访事项复查复核（修订）"')
    version = processes.deploy(edited.encode("utf-8"), processes.forms_beside(REVIEW, REVIEW.read_bytes()),
                               actor=None, note="改名")
    assert isinstance(version, ProcessVersion) and version.version == 2
