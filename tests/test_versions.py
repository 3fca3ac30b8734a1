"""Process versions: new cases start on the newest, running cases stay on theirs unless a supervisor
migrates them, and only cases whose current step still means the same thing are migrated."""
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Case, CaseEvent, HumanTask, User
from app.services import processes, versions
from app.services.errors import Conflict, Forbidden
from workflows.version_diff import diff_versions

from .helpers import Api, office_today

BPMN = Path(__file__).resolve().parent.parent / "bpmn" / "disclosure_request.bpmn"
CORRECTION = {"needs_correction": True, "correction_items": "请明确所需信息的年份和区域。",
              "correction_deadline": "2030-12-31"}

# Version 2: the completeness check is renamed, a new step 初步研判 comes after it, and the
# correction step gets another form (so a case waiting there cannot be moved safely).
NEW_TASK = """<bpmn:userTask id="initial_review" name="初步研判">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="initial_review.json" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f_initial_done" sourceRef="initial_review" targetRef="merge_handle" />
    """
INITIAL_REVIEW_FORM = {"title": "初步研判", "type": "object", "additionalProperties": False,
                       "properties": {"review_note": {"type": "string", "title": "研判意见", "maxLength": 500}}}


def v1_text() -> str:
    return BPMN.read_text(encoding="utf-8")


def v1_forms() -> dict:
    return processes.forms_beside(BPMN, BPMN.read_bytes())


def v2_text() -> str:
    text = v1_text()
    for old, new in [
        ('name="审查申请是否完整"', 'name="审查申请材料"'),
        ('sourceRef="clock_waive_correction" targetRef="merge_handle"',
         'sourceRef="clock_waive_correction" targetRef="initial_review"'),
        ('<bpmn:sequenceFlow id="f_to_handle"', NEW_TASK + '<bpmn:sequenceFlow id="f_to_handle"'),
        ("<bpmn:flowNodeRef>handle</bpmn:flowNodeRef>",
         "<bpmn:flowNodeRef>handle</bpmn:flowNodeRef>\n        <bpmn:flowNodeRef>initial_review</bpmn:flowNodeRef>"),
        ('value="receive_correction.json"', 'value="receive_correction_v2.json"'),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def v2_forms() -> dict:
    forms = v1_forms()
    return {**forms, "initial_review.json": json.dumps(INITIAL_REVIEW_FORM, ensure_ascii=False).encode(),
            "receive_correction_v2.json": forms["receive_correction.json"]}


def user(name) -> User:
    return db.session.execute(select(User).where(User.username == name)).scalar_one()


def deploy_v2():
    version = processes.deploy(v2_text().encode(), v2_forms(), actor=user("supervisor"), note="新增初步研判环节")
    db.session.commit()
    return version


@pytest.fixture
def office(client):
    return {name: Api(client, name) for name in ("officer", "reviewer", "head")}


def finish(office, case_id, extra_steps=()):
    """Run a case at the completeness check to its archive, through the API."""
    officer = office["officer"]
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    for spec_name, data in extra_steps:
        officer.complete(case_id, spec_name, data)
    officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": "disclosed"})
    office["reviewer"].complete(case_id, "confidentiality_review", {"review_result": "cleared"})
    office["head"].complete(case_id, "approve_reply", {"approval": "approve"})
    officer.complete(case_id, "record_delivery", {"delivered_by": "email", "delivered_on": "2026-03-20"})
    case = officer.case(case_id)
    assert case["status"] == "archived"
    return case


def spec_names(case) -> list[str]:
    return [t["spec_name"] for t in case["tasks"]]


def events(case_id, type_) -> list[CaseEvent]:
    return list(db.session.execute(select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.type == type_)
                                   .order_by(CaseEvent.seq)).scalars())


# -- deploy: new cases on the new version, running cases finish on theirs ------------
def test_new_cases_start_on_the_new_version_and_old_cases_finish_on_theirs(office):
    officer = office["officer"]
    old = officer.register()
    deploy_v2()
    new = officer.register()
    assert officer.open_task(old["id"])["name"] == "审查申请是否完整"
    assert officer.open_task(new["id"])["name"] == "审查申请材料"

    done_old = finish(office, old["id"])
    assert "initial_review" not in spec_names(done_old)
    done_new = finish(office, new["id"], [("initial_review", {"review_note": "需求明确"})])
    assert "initial_review" in spec_names(done_new)
    by_id = {c.id: c.process_version.version for c in db.session.execute(select(Case)).scalars()}
    assert by_id[old["id"]] == 1 and by_id[new["id"]] == 2


def test_version_list_shows_who_when_note_and_hash(app):
    deploy_v2()
    rows = versions.version_list(user("supervisor"), "disclosure_request")
    assert [r.version for r in rows] == [2, 1]
    assert rows[0].deployed_by.username == "supervisor" and rows[0].change_note == "新增初步研判环节"
    assert re.fullmatch(r"[0-9a-f]{64}", rows[0].content_hash) and rows[0].content_hash != rows[1].content_hash
    assert rows[0].deployed_at is not None
    summary = {p.process_key: p for p in versions.process_list(user("auditor"))}["disclosure_request"]
    assert (summary.newest, summary.versions) == (2, 2)


# -- the readable summary of a change ------------------------------------------------
def test_diff_names_added_renamed_rewired_and_form_changes(app):
    deploy_v2()
    diff = versions.compare(user("supervisor"), "disclosure_request", 1, 2)
    lines = diff.lines()
    assert "新增用户任务“初步研判”（initial_review）" in lines
    assert "新增连线（f_initial_done）" in lines
    [renamed] = diff.of("renamed")
    assert (renamed.element_id, renamed.before, renamed.after) == ("check_completeness", "审查申请是否完整", "审查申请材料")
    [rewired] = diff.of("flow")
    assert rewired.element_id == "f_correction_waived" and rewired.after == "clock_waive_correction → initial_review"
    [form] = diff.of("form")
    assert (form.element_id, form.before, form.after) == ("receive_correction", "receive_correction.json",
                                                         "receive_correction_v2.json")
    assert {c.element_id for c in diff.of("form_added")} == {"initial_review.json", "receive_correction_v2.json"}
    assert not diff.of("removed") and not diff.of("condition") and not diff.of("lane")
    assert not diff_versions(v1_text().encode(), v1_text().encode(), v1_forms(), v1_forms())


def test_diff_names_removed_elements_lane_moves_and_condition_changes():
    old = v1_text()
    new = old.replace("needs_correction == True", "needs_correction == True and correction_items != ''") \
        .replace("        <bpmn:flowNodeRef>record_delivery</bpmn:flowNodeRef>\n", "") \
        .replace("<bpmn:flowNodeRef>handle</bpmn:flowNodeRef>",
                 "<bpmn:flowNodeRef>handle</bpmn:flowNodeRef>\n        <bpmn:flowNodeRef>record_delivery</bpmn:flowNodeRef>")
    new = re.sub(r'\s*<bpmn:endEvent id="end_reminded"[^>]*>.*?</bpmn:endEvent>', "", new, flags=re.S)
    diff = diff_versions(old.encode(), new.encode())
    [lane] = diff.of("lane")
    assert (lane.element_id, lane.before, lane.after) == ("record_delivery", "登记", "承办")
    assert str(lane) == "用户任务“登记送达”（record_delivery）调整泳道：登记 → 承办"
    [condition] = diff.of("condition")
    assert condition.element_id == "f_needs_correction" and condition.element_name == "需要补正"
    assert condition.after == "needs_correction == True and correction_items != ''"
    assert [c.element_id for c in diff.of("removed")] == ["end_reminded"]


# -- migration -----------------------------------------------------------------------
def test_preview_lists_a_safe_case_and_an_unsafe_one_with_the_reason(office):
    officer = office["officer"]
    safe = officer.register()
    waiting = officer.register(received_on=office_today())  # a correction is asked before the reply is due
    officer.complete(waiting["id"], "check_completeness", CORRECTION)
    deploy_v2()
    target, previews = versions.preview(user("supervisor"), "disclosure_request")
    assert target.version == 2
    verdicts = {p.case.id: p for p in previews}
    assert set(verdicts) == {safe["id"], waiting["id"]}
    assert verdicts[safe["id"]].safe and verdicts[safe["id"]].reason == ""
    assert not verdicts[waiting["id"]].safe
    assert "“登记补正结果”（receive_correction）" in verdicts[waiting["id"]].reason
    assert "表单" in verdicts[waiting["id"]].reason
    # A preview changes nothing.
    db.session.expire_all()
    assert {c.process_version.version for c in db.session.execute(select(Case)).scalars()} == {1}


def test_migrating_moves_the_safe_case_and_leaves_the_unsafe_one_alone(office):
    officer = office["officer"]
    safe = officer.register()
    waiting = officer.register(received_on=office_today())  # a correction is asked before the reply is due
    officer.complete(waiting["id"], "check_completeness", CORRECTION)
    row_before = officer.open_task(safe["id"])
    waiting_before = officer.case(waiting["id"])
    deploy_v2()

    results = versions.migrate_all_safe(user("supervisor"), "disclosure_request")
    outcome = {r.case_id: r for r in results}
    assert outcome[safe["id"]].migrated and not outcome[waiting["id"]].migrated
    assert "receive_correction" in outcome[waiting["id"]].reason

    moved = officer.case(safe["id"])
    [event] = events(safe["id"], "case_migrated")
    assert event.summary == "流程版本迁移：从第 1 版迁移到第 2 版" and event.actor_name == "周流程"
    assert moved["version"] == safe["version"] + 1
    # The inbox row is the same task, now with the new version's title.
    row = db.session.get(HumanTask, row_before["id"])
    assert row.state == "ready" and row.title == "审查申请材料"
    assert officer.open_task(safe["id"])["name"] == "审查申请材料"
    # It continues on version 2: the new step appears after the completeness check.
    done = finish(office, safe["id"], [("initial_review", {"review_note": "迁移后继续办理"})])
    assert "initial_review" in spec_names(done)

    left = officer.case(waiting["id"])
    assert left["version"] == waiting_before["version"] and not events(waiting["id"], "case_migrated")
    assert db.session.get(Case, waiting["id"]).process_version.version == 1
    assert officer.open_task(waiting["id"])["spec_name"] == "receive_correction"
    with pytest.raises(Conflict, match="receive_correction"):
        versions.migrate_case(user("supervisor"), waiting["id"])


def test_a_case_already_on_the_newest_version_is_not_listed(office):
    deploy_v2()
    office["officer"].register()
    assert versions.preview(user("admin"), "disclosure_request")[1] == []


@pytest.mark.parametrize("name", ["officer", "head", "auditor"])
def test_only_supervisors_and_admins_migrate(office, name):
    case = office["officer"].register()
    deploy_v2()
    with pytest.raises(Forbidden):
        versions.preview(user(name), "disclosure_request")
    with pytest.raises(Forbidden):
        versions.migrate_case(user(name), case["id"])
    with pytest.raises(Forbidden):
        versions.migrate_all_safe(user(name), "disclosure_request")
    assert db.session.get(Case, case["id"]).process_version.version == 1


# -- pages -----------------------------------------------------------------------------
def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def login(client, username):
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": "banjian-demo", "csrf_token": token})
    assert response.status_code == 302


def test_supervisor_pages_list_compare_preview_and_migrate(app, office):
    officer = office["officer"]
    safe = officer.register()
    waiting = officer.register(received_on=office_today())  # a correction is asked before the reply is due
    officer.complete(waiting["id"], "check_completeness", CORRECTION)
    deploy_v2()
    client = app.test_client()
    login(client, "supervisor")

    index = client.get("/versions/").get_data(as_text=True)
    assert 'href="/versions/">流程版本</a>' in index  # the nav link
    assert "政府信息公开申请" in index and "第 2 版" in index
    listing = client.get("/versions/disclosure_request").get_data(as_text=True)
    assert "新增初步研判环节" in listing and "周流程" in listing
    compare = client.get("/versions/disclosure_request/compare?old=1&new=2").get_data(as_text=True)
    assert "改名" in compare and "审查申请材料" in compare and "初步研判" in compare

    page = client.get("/versions/disclosure_request/migration").get_data(as_text=True)
    assert "可以迁移" in page and "不能迁移" in page and "登记补正结果" in page
    url = f"/versions/disclosure_request/migration/{safe['id']}"
    assert client.post(url).status_code == 400  # no CSRF token, nothing happens
    assert db.session.get(Case, safe["id"]).process_version.version == 1
    # Without the confirmation box ticked nothing moves, and the page says why (the confirmation is new).
    response = client.post(url, data={"csrf_token": csrf(page)}, follow_redirects=True)
    assert "请先勾选确认" in response.get_data(as_text=True)
    assert db.session.get(Case, safe["id"]).process_version.version == 1
    assert f"确认把 {safe['tracking_number']} 迁移到第 2 版" in page
    response = client.post(url, data={"csrf_token": csrf(page), "confirm": "yes"}, follow_redirects=True)
    assert response.status_code == 200 and "已迁移到第 2 版" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, safe["id"]).process_version.version == 2

    response = client.post("/versions/disclosure_request/migration/all", data={"csrf_token": csrf(page),
                                                                            "confirm": "yes"},
                           follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "已迁移 0 件；未迁移 1 件" in body and waiting["tracking_number"] in body


@pytest.mark.parametrize("name", ["officer", "auditor"])
def test_migration_pages_are_refused_to_officers_and_auditors(app, office, name):
    case = office["officer"].register()
    deploy_v2()
    client = app.test_client()
    login(client, name)
    assert client.get("/versions/disclosure_request/migration").status_code == 403
    page = client.get("/inbox/").get_data(as_text=True)
    response = client.post(f"/versions/disclosure_request/migration/{case['id']}", data={"csrf_token": csrf(page)})
    assert response.status_code == 403
    assert "/versions/" not in page  # no nav link for them
    db.session.expire_all()
    assert db.session.get(Case, case["id"]).process_version.version == 1


# -- the migration rules on a small process, engine only ---------------------------------
SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="x">
  <bpmn:process id="small" isExecutable="true">
    <bpmn:laneSet><bpmn:lane id="L1" name="LANE_A">TASKS_A</bpmn:lane><bpmn:lane id="L2" name="承办">TASKS_B</bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    BODY
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""


def _task(task_id, name, form="f.json"):
    return (f'<bpmn:userTask id="{task_id}" name="{name}"><bpmn:extensionElements><spiffworkflow:properties>'
            f'<spiffworkflow:property name="formJsonSchemaFilename" value="{form}"/></spiffworkflow:properties>'
            f'</bpmn:extensionElements></bpmn:userTask>')


def _small(tasks, lane_a="登记", in_lane_a=("a",)):
    """start -> tasks... -> end; ``tasks`` is a list of (id, name[, form])."""
    ids = ["start"] + [t[0] for t in tasks] + ["end"]
    flows = "".join(f'<bpmn:sequenceFlow id="f_{s}_{t}" sourceRef="{s}" targetRef="{t}"/>' for s, t in zip(ids, ids[1:]))
    refs_a = "".join(f"<bpmn:flowNodeRef>{t[0]}</bpmn:flowNodeRef>" for t in tasks if t[0] in in_lane_a)
    refs_b = "".join(f"<bpmn:flowNodeRef>{t[0]}</bpmn:flowNodeRef>" for t in tasks if t[0] not in in_lane_a)
    body = "".join(_task(*t) for t in tasks) + flows
    bpmn = SMALL.replace("BODY", body).replace("TASKS_A", refs_a).replace("TASKS_B", refs_b).replace("LANE_A", lane_a)
    from app.services.operators import OPERATORS
    from workflows.specs import load_definition
    forms = {"f.json": b'{"type": "object"}', "g.json": b'{"type": "object", "title": "other"}'}
    return load_definition(bpmn.encode(), forms, operators=OPERATORS)


V1 = [("a", "登记材料"), ("b", "办理")]


def _at(spec_name):
    from workflows.engine import Engine
    engine, definition = Engine(), _small(V1)
    report = engine.start(definition, {}, {})
    if spec_name == "b":
        report = engine.complete(definition, report.state, report.ready[0].id, {}, {})
    assert [t.spec_name for t in report.ready] == [spec_name]
    return engine, definition, report


@pytest.mark.parametrize("at, new_tasks, kwargs, reason", [
    ("a", [("b", "办理")], {}, "当前环节“登记材料”（a）在新版本中已删除"),
    ("b", [("b", "办理")], {}, "已办理的环节“登记材料”（a）在新版本中已删除，办理记录无法对应"),
    ("a", [("a", "登记材料", "g.json"), ("b", "办理")], {}, "当前环节“登记材料”（a）在新版本中改变了表单或扩展属性"),
    ("a", V1, {"lane_a": "承办", "in_lane_a": ()}, "当前环节“登记材料”（a）在新版本中改变了泳道"),
])
def test_migration_check_refuses_with_the_reason(at, new_tasks, kwargs, reason):
    from workflows import migration
    engine, old, report = _at(at)
    verdict = migration.check(engine, old, _small(new_tasks, **kwargs), report.state)
    assert not verdict.safe and verdict.reason == reason
    with pytest.raises(migration.MigrationUnsafe, match=reason):
        migration.migrate(engine, old, _small(new_tasks, **kwargs), report.state, {})


def test_migration_keeps_the_ready_task_and_its_data_and_follows_the_new_flow():
    from workflows import migration
    engine, old, report = _at("a")
    new = _small([("a", "登记申请材料"), ("c", "复核"), ("b", "办理")], in_lane_a=("a", "c"))
    assert migration.check(engine, old, new, report.state).safe
    state = dict(report.state)
    moved = migration.migrate(engine, old, new, state, {})
    assert state == report.state  # the input state is not modified
    assert [(t.id, t.title) for t in moved.ready] == [(report.ready[0].id, "登记申请材料")]
    after = engine.complete(new, moved.state, moved.ready[0].id, {"note": "ok"}, {})
    assert [t.spec_name for t in after.ready] == ["c"] and after.data["note"] == "ok"
