"""A foreign diagram can be brought into service (issue 16 §2): lanes assigned as data (CLI and page),
deployed under a new key, and never silently made a version of an unrelated process."""
import io
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
    assert "flask --app app lane-assign" in refused.output  # the message says how to fix it

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


# -- the modeler: a file made elsewhere opened as a new process, fixed and deployed -------------------------
def supervisor_client(app):
    from tests.test_modeler import supervisor
    return supervisor(app.test_client())


def open_as_new(client, raw: bytes, key: str = ""):
    page = client.get("/modeler").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/modeler/new", data={"file": (io.BytesIO(raw), "drawn-elsewhere.bpmn"), "process_key": key,
                                             "csrf_token": token}, content_type="multipart/form-data")


def corpus_file(name: str) -> bytes:
    return (ROOT / "tests/interop/corpus" / name).read_bytes()


def test_a_foreign_file_opens_as_a_new_process_with_its_problems_then_lanes_are_assigned_and_it_deploys(app):
    client = supervisor_client(app)
    response = open_as_new(client, corpus_file("12_parallel.bpmn"), "countersign")
    assert response.status_code == 302 and response.headers["Location"].endswith("/modeler/countersign")
    assert "新流程，尚未部署" in client.get("/modeler/countersign").get_data(as_text=True)

    model = client.get("/modeler/countersign/model.json").get_json()
    assert model["draft"] and model["validate_on_open"] and model["version"] is None
    assert 'id="countersign"' in model["bpmn"]  # the process took the key it was opened under

    body = {"bpmn": model["bpmn"], "forms": {}}
    errors = client.post("/modeler/countersign/validate", json=body, headers={"X-CSRFToken": client.token}).get_json()
    assert not errors["valid"]
    assert {e["element_id"] for e in errors["errors"]} == {"Lane_1", "Lane_2"}
    assert all("泳道分配" in e["message"] for e in errors["errors"])

    lanes_page = client.get("/modeler/countersign/lanes").get_data(as_text=True)
    assert "办事人员" in lanes_page and "未分配" in lanes_page
    token = re.search(r'name="csrf_token" value="([^"]+)"', lanes_page).group(1)
    for lane, role in (("办事人员", "officer"), ("负责人", "head")):
        done = client.post("/modeler/countersign/lanes", data={"lane": lane, "role": role, "department": "GKB",
                                                               "csrf_token": token})
        assert done.status_code == 302
    assert "未分配" not in client.get("/modeler/countersign/lanes").get_data(as_text=True)

    deployed = client.post("/modeler/countersign/deploy", json={**body, "note": "从 Camunda Modeler 导入"},
                           headers={"X-CSRFToken": client.token})
    assert deployed.status_code == 201, deployed.get_json()
    assert deployed.get_json()["version"] == 1 and processes.latest("countersign").version == 1
    # the version records who worked its lanes when it was deployed
    assert processes.latest("countersign").lane_assignments == {"办事人员": [["officer", "GKB"]],
                                                                 "负责人": [["head", "GKB"]]}
    assert "第 1 版部署时的分配" in client.get("/modeler/countersign/lanes").get_data(as_text=True)


def test_opening_a_file_under_a_key_in_use_is_refused_and_another_key_renames_it(app):
    client = supervisor_client(app)
    taken = REVIEW.read_bytes()  # its process id, petition_review, is deployed
    refused = open_as_new(client, taken)
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/modeler")
    assert "已被使用" in client.get("/modeler").get_data(as_text=True)
    assert open_as_new(client, taken, "petition_review_copy").status_code == 302
    assert 'id="petition_review_copy"' in client.get("/modeler/petition_review_copy/model.json").get_json()["bpmn"]


def test_a_lane_assignment_with_an_unknown_role_is_refused_on_the_page(app):
    client = supervisor_client(app)
    page = client.get("/modeler/petition_review/lanes").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/modeler/petition_review/lanes", data={"lane": "复查", "role": "boss", "csrf_token": token})
    assert "未知角色“boss”" in client.get("/modeler/petition_review/lanes").get_data(as_text=True)


def test_only_supervisors_manage_lanes(app):
    from tests.test_web import login
    client = app.test_client()
    login(client, "officer")
    assert client.get("/modeler/petition_review/lanes").status_code == 403
