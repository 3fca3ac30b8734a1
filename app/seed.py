"""Demo data: departments, one user per role, lane assignments, the processes in bpmn/.

Idempotent: running it again adds only what is missing.
"""
from pathlib import Path

from sqlalchemy import select

from .extensions import db
from .models import Department, User
from .services import calendar, processes, users
from .services import lanes as lane_service

DEMO_PASSWORD = "banjian-demo"

DEPARTMENTS = [("GKB", "政务公开办"), ("BMB", "保密办"), ("DCS", "督查室"), ("XFJ", "信访局"), ("SJ", "上级机关"),
               ("BGT", "市政府办公室"), ("SSJ", "省级机关"), ("BGS", "办公室"), ("ZJJ", "住房和城乡建设局"),
               ("WJW", "卫生健康委员会")]

# The bodies (机关) and who is above whom, for petition reviews (XF 35–36): the office's departments belong to
# 示范市人民政府办公室 (BGT, the configured agency); its superior is 示范市人民政府 (SJ, 复查), whose superior is
# 示范省人民政府 (SSJ, 复核). code -> (parent code, letterhead, document series prefix, is a 信访部门).
BODIES = {
    "SSJ": (None, "示范省人民政府", "示省政", False),
    "SJ": ("SSJ", "示范市人民政府", "示政", False),
    "BGT": ("SJ", "示范市人民政府办公室", "示政办", False),
    "GKB": ("BGT", None, None, False),
    "BMB": ("BGT", None, None, False),
    "DCS": ("BGT", None, None, False),
    "XFJ": ("BGT", None, None, True),
    "BGS": ("BGT", None, None, False),
    "ZJJ": ("BGT", None, None, False),
    "WJW": ("BGT", None, None, False),
}

# username, display name, roles, department
DEMO_USERS = [
    ("officer", "王登记", ["officer"], "GKB"),
    ("officer2", "李承办", ["officer"], "GKB"),
    ("reviewer", "赵保密", ["officer"], "BMB"),
    ("head", "陈主任", ["head"], "GKB"),
    ("supervisor", "周流程", ["supervisor"], None),
    ("auditor", "吴审计", ["auditor"], None),
    ("admin", "郑管理", ["admin"], None),
    ("xfofficer", "孙信访", ["officer"], "XFJ"),
    ("dcofficer", "钱督查", ["officer"], "DCS"),
    ("dchead", "冯督查", ["head"], "DCS"),
    # A second head of the office: reviews a conclusion the first one signed off (DC 17 recusal).
    ("dchead2", "卫督查", ["head"], "DCS"),
    ("reviewer_up", "蒋复查", ["officer"], "SJ"),
    ("reviewer_top", "韩复核", ["officer"], "SSJ"),
    ("infoeditor", "刘编辑", ["officer"], "BGS"),
    ("zjofficer", "黄住建", ["officer"], "ZJJ"),
    ("zjhead", "林局长", ["head"], "ZJJ"),
    ("wjofficer", "何卫健", ["officer"], "WJW"),
    ("wjhead", "郭主任", ["head"], "WJW"),
]

# Who works which lane: data, not code (process key -> lane -> [(role, department)]).
LANES = {
    "disclosure_request": {
        "登记": [("officer", "GKB")],
        "承办": [("officer", "GKB")],
        "保密审查": [("officer", "BMB")],
        "负责人": [("head", "GKB")],
    },
    # The petition office registers and decides intake; the accepting body's department handles the matter
    # and its head approves an extension (XF 34).
    "petition": {
        "信访登记": [("officer", "XFJ")],
        # Handling and its extension go to the department chosen at intake (departmentFrom="handling_unit").
        "信访办理": [("officer", None)],
        "负责人": [("head", None)],
    },
    # Review (复查) and re-review (复核) of a petition's answer belong to the body one level up (XF 35–36):
    # 上级机关 (SJ) reviews the office's answers, 省级机关 (SSJ) re-reviews SJ's; the request names its
    # deciding body and the answer is routed to it (app.petition.reviews).
    "petition_review": {
        "复查": [("officer", "SJ"), ("officer", "SSJ")],
    },
    # The supervision office (督查室) registers, verifies and records review requests; each department's part
    # goes to that department (departmentFrom="department"); the office's head approves extensions, receives
    # escalations, signs off closure and decides reviews.
    "supervision": {
        "督查登记": [("officer", "DCS")],
        "承办": [("officer", None)],
        "督查负责人": [("head", "DCS")],
    },
    # Proactive disclosure (主动公开): a department drafts and publishes its own information; the confidentiality
    # office reviews it first (先审后发, GIO 17); the drafting department's head approves (departmentFrom=
    # "drafting_department"). In the demo the two line departments draft.
    "proactive_disclosure": {
        "公开起草": [("officer", "ZJJ"), ("officer", "WJW")],
        "保密审查": [("officer", "BMB")],
        "公开审批": [("head", None)],
    },
    # Government-information submission (政务信息报送): departments submit, the office's editors (办公室) review,
    # adopt and score; follow-up reports of an incident go back to the submitting department.
    "information_report": {
        "信息报送": [("officer", "ZJJ"), ("officer", "WJW")],
        "信息编辑": [("officer", "BGS")],
    },
}


def _department(code):
    return db.session.execute(select(Department).where(Department.code == code)).scalar_one_or_none()


def seed_departments():
    for code, name in DEPARTMENTS:
        if _department(code) is None:
            db.session.add(Department(code=code, name=name))
    db.session.flush()
    for code, (parent, letterhead, abbreviation, petition_office) in BODIES.items():
        dept = _department(code)
        if dept.parent_id is None and dept.letterhead is None:  # never overwrite what an administrator set
            dept.parent = _department(parent) if parent else None
            dept.letterhead, dept.abbreviation = letterhead, abbreviation
            dept.is_petition_office = petition_office
    db.session.flush()


def seed_lanes(lanes=LANES):
    """The demo's lane assignments, through the same service supervisors use (page 泳道分配, ``lane-assign``)."""
    for process_key, by_lane in lanes.items():
        for lane, grants in by_lane.items():
            for role, dept_code in grants:
                lane_service.assign(None, process_key, lane, role, dept_code)
    db.session.flush()


def seed_users(password=DEMO_PASSWORD):
    for username, name, roles, dept in DEMO_USERS:
        if db.session.execute(select(User).where(User.username == username)).scalar_one_or_none() is None:
            users.create_user(username, password, roles, dept, display_name=name)


def deploy_bundled(bpmn_dir: str) -> list:
    deployed = []
    for path in sorted(Path(bpmn_dir).glob("*.bpmn")):
        bpmn = path.read_bytes()
        version = processes.deploy(bpmn, processes.forms_beside(path, bpmn), actor=None,
                                   note=f"随系统安装：{path.name}")
        deployed.append(version)
    return deployed


class DemoRefused(RuntimeError):
    """Demo users have a published password: never on a production system."""


def seed_demo(bpmn_dir: str) -> list:
    """Load the demo (users with the published password :data:`DEMO_PASSWORD`); refused in production."""
    from flask import current_app
    if current_app.config.get("BANJIAN_ENV") == "production":
        raise DemoRefused("BANJIAN_ENV=production: demo users with a published password are never created "
                          "on a production system")
    calendar.seed_from_library()
    seed_departments()
    seed_lanes()
    seed_users()
    versions = deploy_bundled(bpmn_dir)
    db.session.commit()
    return versions


def seed_demo_cases() -> dict[str, int]:
    """A few demo cases of each process family that declares some (``flask seed-demo`` only: the tests seed
    without them). Skipped for a family whose processes already have cases, so running it again adds nothing."""
    from . import families
    from .models import Case
    users = {u.username: u for u in db.session.execute(select(User)).scalars()}
    made = {}
    for family in families.families():
        if family.demo is None or db.session.execute(
                select(Case.id).where(Case.process_key.in_(family.processes)).limit(1)).first():
            continue
        made[family.title] = family.demo(users)
    return made
