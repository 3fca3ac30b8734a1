"""The process modeler and the case diagram over HTTP (Flask test client, CSRF on)."""
import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case, ProcessDraft, ProcessVersion

from .helpers import REGISTRATION, office_today
from .test_web import csrf, login, register_via_form

KEY = "disclosure_request"
MODELER = f"/modeler/{KEY}"


def meta_token(client, path=MODELER) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def supervisor(client, username="supervisor"):
    login(client, username)
    client.token = meta_token(client)
    return client


def post(client, path, body, token=True):
    headers = {"X-CSRFToken": client.token} if token else {}
    return client.post(path, json=body, headers=headers)


def newest() -> ProcessVersion:
    db.session.expire_all()
    return db.session.execute(select(ProcessVersion).where(ProcessVersion.process_key == KEY)
                              .order_by(ProcessVersion.version.desc()).limit(1)).scalar_one()


def version_count() -> int:
    """Versions of the process under test, and of any process someone deployed (the seed also installs
    the other processes in bpmn/, by nobody)."""
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(ProcessVersion).where(
        (ProcessVersion.process_key == KEY) | ProcessVersion.deployed_by_id.isnot(None))).scalar_one()


def opened(client) -> dict:
    response = client.get(f"{MODELER}/model.json")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def renamed(model: dict, old="审查申请是否完整", new="核对申请材料") -> str:
    assert f'name="{old}"' in model["bpmn"]
    return model["bpmn"].replace(f'name="{old}"', f'name="{new}"')


def case_id_of(location: str) -> int:
    return int(location.rstrip("/").rsplit("/", 1)[1])


# -- who may model -------------------------------------------------------------

@pytest.mark.parametrize("username", ["officer", "auditor", "head"])
def test_only_supervisors_reach_the_modeler_and_deploy(app, username):
    other = app.test_client()
    supervisor(other)  # a valid token from someone else's session is no use either
    client = app.test_client()
    login(client, username)
    assert client.get("/modeler").status_code == 403
    assert client.get(MODELER).status_code == 403
    assert client.get(f"{MODELER}/model.json").status_code == 403
    assert client.get(f"{MODELER}/download").status_code == 403
    token = csrf(client.get("/cases").get_data(as_text=True))
    bpmn = opened(other)["bpmn"].replace("审查申请是否完整", "改名")
    response = client.post(f"{MODELER}/deploy", json={"bpmn": bpmn, "forms": opened(other)["forms"],
                                                      "note": "越权"}, headers={"X-CSRFToken": token})
    assert response.status_code == 403
    assert "流程管理员" in response.get_json()["error"]
    assert version_count() == 1
    assert "流程建模" not in client.get("/cases").get_data(as_text=True)


@pytest.mark.parametrize("username", ["supervisor", "admin"])
def test_supervisors_and_admins_open_the_current_version(app, username):
    client = supervisor(app.test_client(), username)
    listing = client.get("/modeler").get_data(as_text=True)
    assert "政府信息公开申请" in listing and "第 1 版" in listing
    model = opened(client)
    assert model["version"] == 1 and model["draft"] is False
    assert model["bpmn"] == newest().bpmn.decode("utf-8")
    assert "check_completeness.json" in model["forms"]
    assert set(model["operators"]) == {"generate_letter", "clock", "notify", "assess_fee", "family_action"}
    assert "kind" in model["operators"]["generate_letter"]["required"]
    download = client.get(f"{MODELER}/download")
    assert download.data == newest().bpmn
    assert 'filename="disclosure_request-v1.bpmn"' in download.headers["Content-Disposition"]


# -- drafts --------------------------------------------------------------------

def test_a_draft_is_kept_per_supervisor_until_discarded(app):
    alice = supervisor(app.test_client())
    model = opened(alice)
    draft = renamed(model)
    forms = {**model["forms"], "extra_notes.json": '{"type": "object", "properties": {}}'}
    assert post(alice, f"{MODELER}/draft", {"bpmn": draft, "forms": forms}).status_code == 200

    again = opened(alice)
    assert again["draft"] is True and again["draft_stale"] is False
    assert again["bpmn"] == draft and again["forms"] == forms
    assert "有草稿" in alice.get("/modeler").get_data(as_text=True)
    admin = supervisor(app.test_client(), "admin")
    assert opened(admin)["draft"] is False  # drafts are per person
    assert version_count() == 1  # a draft deploys nothing

    assert post(alice, f"{MODELER}/draft/discard", {}).status_code == 200
    assert opened(alice)["draft"] is False
    assert db.session.execute(select(func.count()).select_from(ProcessDraft)).scalar_one() == 0


def test_a_draft_with_a_bad_form_file_name_is_refused(app):
    client = supervisor(app.test_client())
    response = post(client, f"{MODELER}/draft", {"bpmn": opened(client)["bpmn"], "forms": {"../x.json": "{}"}})
    assert response.status_code == 422
    assert "文件名" in response.get_json()["error"]


# -- validation --------------------------------------------------------------

def test_validation_names_each_element_with_its_id_and_name(app):
    client = supervisor(app.test_client())
    model = opened(client)
    broken = model["bpmn"].replace("needs_correction == True", "__import__('os').system('id')") \
        .replace('serviceTaskOperator id="generate_letter" resultVariable="send_correction_notice_result"',
                 'serviceTaskOperator id="shell" resultVariable="send_correction_notice_result"')
    response = post(client, f"{MODELER}/validate", {"bpmn": broken, "forms": model["forms"]})
    assert response.status_code == 200
    result = response.get_json()
    assert result["valid"] is False
    named = {(e["element_id"], e["element_name"]) for e in result["errors"]}
    assert ("f_needs_correction", "需要补正") in named
    assert ("send_correction_notice", "出具补正告知书") in named
    assert all(e["message"] for e in result["errors"])

    missing_form = {k: v for k, v in model["forms"].items() if k != "handle.json"}
    errors = post(client, f"{MODELER}/validate", {"bpmn": model["bpmn"], "forms": missing_form}).get_json()["errors"]
    assert any(e["element_id"] == "handle" and e["element_name"] == "检索并拟办答复" for e in errors), errors

    ok = post(client, f"{MODELER}/validate", {"bpmn": renamed(model), "forms": model["forms"]}).get_json()
    assert ok == {"valid": True, "errors": []}


def test_form_check_validates_json_and_the_meta_schema_and_previews_with_the_form_renderer(app):
    client = supervisor(app.test_client())
    url = "/modeler/forms/check"
    assert "JSON" in post(client, url, {"text": "{not json"}).get_json()["error"]
    bad_schema = post(client, url, {"text": '{"type": "object", "properties": {"a": {"type": "nonsense"}}}'})
    assert bad_schema.status_code == 422 and "JSON Schema" in bad_schema.get_json()["error"]
    good = post(client, url, {"text": '{"type": "object", "title": "回访", "required": ["q"], "properties": '
                                      '{"q": {"type": "string", "title": "回访意见", "maxLength": 500}}}'})
    assert good.status_code == 200
    preview = good.get_json()["preview"]
    assert 'name="q"' in preview and "回访意见" in preview and 'class="req"' in preview


# -- deployment ----------------------------------------------------------------

def test_deploy_with_a_note_makes_a_new_version_that_new_cases_use(app):
    officer = login(app.test_client(), "officer")
    old_case = case_id_of(register_via_form(officer))

    client = supervisor(app.test_client())
    model = opened(client)
    post(client, f"{MODELER}/draft", {"bpmn": model["bpmn"], "forms": model["forms"]})
    no_note = post(client, f"{MODELER}/deploy", {"bpmn": renamed(model), "forms": model["forms"], "note": " "})
    assert no_note.status_code == 422 and version_count() == 1

    response = post(client, f"{MODELER}/deploy", {"bpmn": renamed(model), "forms": model["forms"],
                                                  "note": "“审查申请是否完整”改称“核对申请材料”"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["version"] == 2
    version = newest()
    assert version.version == 2 and version.deployed_by.username == "supervisor"
    assert version.change_note == "“审查申请是否完整”改称“核对申请材料”"
    assert opened(client)["draft"] is False  # the deployed draft is gone

    new_case = case_id_of(register_via_form(officer))
    assert db.session.get(Case, new_case).process_version.version == 2
    assert db.session.get(Case, old_case).process_version.version == 1
    assert "核对申请材料" in officer.get("/").get_data(as_text=True)
    # Each case's diagram is its own version's.
    assert "核对申请材料" in officer.get(f"/cases/{new_case}/diagram.bpmn").get_data(as_text=True)
    assert "审查申请是否完整" in officer.get(f"/cases/{old_case}/diagram.bpmn").get_data(as_text=True)

    same = post(client, f"{MODELER}/deploy", {"bpmn": renamed(model), "forms": model["forms"], "note": "再次"})
    assert same.status_code == 200 and same.get_json() == {**same.get_json(), "version": 2, "new": False}


def test_an_invalid_deploy_stores_nothing_and_marks_the_element(app):
    client = supervisor(app.test_client())
    model = opened(client)
    broken = model["bpmn"].replace("review_result == 'cleared'", "().__class__.__base__.__subclasses__()")
    response = post(client, f"{MODELER}/deploy", {"bpmn": broken, "forms": model["forms"], "note": "试试"})
    assert response.status_code == 422
    assert [e["element_id"] for e in response.get_json()["errors"]] == ["f_review_cleared"]
    assert version_count() == 1


def test_csrf_token_is_required_for_every_write(app):
    client = supervisor(app.test_client())
    model = opened(client)
    for path, body in [(f"{MODELER}/deploy", {"bpmn": renamed(model), "forms": model["forms"], "note": "x"}),
                       (f"{MODELER}/draft", {"bpmn": renamed(model), "forms": model["forms"]}),
                       (f"{MODELER}/validate", {"bpmn": model["bpmn"], "forms": model["forms"]})]:
        assert post(client, path, body, token=False).status_code == 400
        assert client.post(path, json=body, headers={"X-CSRFToken": "forged"}).status_code == 400
    upload = client.post(f"{MODELER}/upload", data={"file": (open_bytes(renamed(model)), "p.bpmn")})
    assert upload.status_code == 400
    assert version_count() == 1 and opened(client)["draft"] is False


# -- upload ------------------------------------------------------------------

def open_bytes(text: str):
    return io.BytesIO(text.encode("utf-8"))


def upload(client, text: str, name="from-camunda.bpmn"):
    return client.post(f"{MODELER}/upload", data={"file": (open_bytes(text), name)},
                       headers={"X-CSRFToken": client.token}, content_type="multipart/form-data")


def test_an_invalid_upload_changes_nothing(app):
    client = supervisor(app.test_client())
    model = opened(client)
    mine = renamed(model, new="我的草稿")
    post(client, f"{MODELER}/draft", {"bpmn": mine, "forms": model["forms"]})

    hostile = [
        model["bpmn"].replace("approval == 'approve'", "10**10**10"),
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        "<bpmn:definitions",
        model["bpmn"].replace('id="disclosure_request"', 'id="other_process"'),
    ]
    for text in hostile:
        response = upload(client, text)
        assert response.status_code == 422, text[:80]
        assert response.get_json()["errors"], text[:80]
        assert opened(client)["bpmn"] == mine
    assert version_count() == 1

    good = renamed(model, new="外部工具修改")
    response = upload(client, good)
    assert response.status_code == 200, response.get_json()
    assert opened(client)["bpmn"] == good and version_count() == 1  # a valid upload becomes the draft


# -- the case diagram ------------------------------------------------------------

def test_case_diagram_marks_completed_active_and_waiting_elements_for_those_who_may_see_the_case(app):
    officer = login(app.test_client(), "officer")
    # Received today, so no deadline timer is due yet.
    page = officer.get(f"/cases/new/{KEY}").get_data(as_text=True)
    response = officer.post(f"/cases/new/{KEY}", data={**REGISTRATION, "received_on": office_today(),
                                                       "csrf_token": csrf(page)})
    case_url = response.headers["Location"]
    case_id = case_id_of(case_url)
    assert 'id="case-diagram"' in officer.get(case_url).get_data(as_text=True)

    states = officer.get(f"/cases/{case_id}/diagram.json").get_json()
    assert states["version"] == 1
    elements = states["elements"]
    assert elements["start"] == elements["clock_start_reply"] == "completed"
    assert elements["check_completeness"] == "active"
    assert "handle" not in elements and "f_start" in states["flows"]

    # The officer finishes the completeness check: handling is active, its deadline timers wait.
    inbox = officer.get("/").get_data(as_text=True)
    task_url = re.search(r'href="(/tasks/[0-9a-f-]+)">审查申请是否完整', inbox).group(1)
    form = officer.get(task_url).get_data(as_text=True)
    version = re.search(r'name="case_version" value="(\d+)"', form).group(1)
    officer.post(task_url, data={"csrf_token": csrf(form), "case_version": version, "needs_correction": "false"})
    elements = officer.get(f"/cases/{case_id}/diagram.json").get_json()["elements"]
    assert elements["check_completeness"] == "completed"
    assert elements["handle"] == "active"
    assert elements["remind_handle"] == elements["overdue_handle"] == "waiting"

    auditor = login(app.test_client(), "auditor")
    assert auditor.get(f"/cases/{case_id}/diagram.json").status_code == 200
    assert auditor.get(f"/cases/{case_id}/diagram.bpmn").data == newest().bpmn

    other_department = login(app.test_client(), "reviewer")  # 保密办: no task of this case is theirs yet
    assert other_department.get(f"/cases/{case_id}/diagram.json").status_code == 404  # same as a missing id (issue 14 §5)
    assert other_department.get(f"/cases/{case_id}/diagram.bpmn").status_code == 404
    assert app.test_client().get(f"/cases/{case_id}/diagram.json").status_code == 302  # not logged in


def test_bpmn_js_is_served_from_node_modules_with_its_licence(client):
    script = client.get("/modeler/vendor/bpmn-js/dist/bpmn-modeler.production.min.js")
    assert script.status_code == 200 and b"bpmn-js" in script.data[:200]
    licence = client.get("/modeler/vendor/bpmn-js/LICENSE").get_data(as_text=True)
    assert "watermark" in licence and "MUST NOT be" in licence
    assert client.get("/modeler/vendor/bpmn-js/package.json").status_code == 404
    assert client.get("/modeler/vendor/bpmn-js/dist/../package.json").status_code == 404
