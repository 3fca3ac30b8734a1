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

DEPARTMENTS = [("GKB", "政务公开办"), ("BMB", "保密办"), ("DCS", "督查室"), ("XFJ", "信访局"), ("SJ", "上级机关")]

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
    ("reviewer_up", "蒋复查", ["officer"], "SJ"),
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
    # in the demo one department, 上级机关, records the request and answers it.
    "petition_review": {
        "复查": [("officer", "SJ")],
    },
    # The supervision office (督查室) registers, verifies and records review requests; each department's part
    # goes to that department (departmentFrom="department"); the office's head approves extensions, receives
    # escalations, signs off closure and decides reviews.
    "supervision": {
        "督查登记": [("officer", "DCS")],
        "承办": [("officer", None)],
        "督查负责人": [("head", "DCS")],
    },
}


def _department(code):
    return db.session.execute(select(Department).where(Department.code == code)).scalar_one_or_none()


def seed_departments():
    for code, name in DEPARTMENTS:
        if _department(code) is None:
            db.session.add(Department(code=code, name=name))
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


def seed_demo(bpmn_dir: str) -> list:
    calendar.seed_from_library()
    seed_departments()
    seed_lanes()
    seed_users()
    versions = deploy_bundled(bpmn_dir)
    db.session.commit()
    return versions
