"""Lane assignments: which role (and optionally which department) works each lane of a process.

They are data supervisors manage (page 泳道分配, CLI ``lane-assign``), so a diagram drawn anywhere can be
brought into service: deploy checks that every lane holding a task maps to someone.  The demo's own
assignments are seeded from ``app/seed.py`` through :func:`assign` too.
"""
from sqlalchemy import select

from ..extensions import db
from ..models import ROLES, Department, LaneAssignment, User
from .errors import Forbidden, Invalid, NotFound

MANAGER_ROLES = ("supervisor", "admin")
MAX_LANE = 100


def may_manage(user: User | None) -> bool:
    """Supervisors and admins manage lanes; ``None`` is the command line (an administrator at the server)."""
    return user is None or (user.is_active and user.has_role(*MANAGER_ROLES))


def _require(user: User | None) -> None:
    if not may_manage(user):
        raise Forbidden("只有流程管理员可以分配泳道")


def assignments(process_key: str) -> list[LaneAssignment]:
    return list(db.session.execute(select(LaneAssignment).where(LaneAssignment.process_key == process_key)
                                   .order_by(LaneAssignment.lane, LaneAssignment.id)).scalars())


def assign(user: User | None, process_key: str, lane: str, role: str,
           department_code: str | None = None) -> LaneAssignment:
    """Let ``role`` (of ``department_code``, or of any department) work ``lane``; idempotent.

    Raises :class:`Invalid` naming the field for an empty lane, an unknown role or department.
    """
    _require(user)
    process_key, lane = (process_key or "").strip(), (lane or "").strip()
    errors = {}
    if not process_key or len(process_key) > 100:
        errors["process_key"] = "请填写流程标识（不超过 100 字）"
    if not lane or len(lane) > MAX_LANE:
        errors["lane"] = f"请填写泳道名称（与流程图中泳道的名称一致，不超过 {MAX_LANE} 字）"
    if role not in ROLES:
        errors["role"] = f"未知角色“{role}”，可选：" + "、".join(f"{k}（{v}）" for k, v in ROLES.items())
    department = None
    if department_code:
        department = db.session.execute(
            select(Department).where(Department.code == department_code.strip())).scalar_one_or_none()
        if department is None:
            errors["department"] = f"未知部门代码“{department_code}”"
    if errors:
        raise Invalid("泳道分配有误：" + "；".join(errors.values()), errors)
    existing = db.session.execute(select(LaneAssignment).where(
        LaneAssignment.process_key == process_key, LaneAssignment.lane == lane, LaneAssignment.role == role,
        LaneAssignment.department_id == (department.id if department else None))).scalar_one_or_none()
    if existing is not None:
        return existing
    row = LaneAssignment(process_key=process_key, lane=lane, role=role, department=department)
    db.session.add(row)
    db.session.flush()
    return row


def remove(user: User | None, assignment_id: int) -> None:
    _require(user)
    row = db.session.get(LaneAssignment, assignment_id)
    if row is None:
        raise NotFound("该泳道分配不存在")
    db.session.delete(row)
    db.session.flush()


def diagram_lanes(bpmn: bytes) -> list[str]:
    """The names of the lanes drawn in a diagram's main process, in drawing order (empty if unreadable)."""
    from workflows.specs import SpecInvalid, main_process
    from workflows.xml import NSMAP, XmlRefused, parse_bpmn_xml
    try:
        process = main_process(parse_bpmn_xml(bpmn))
    except (XmlRefused, SpecInvalid):
        return []
    names = [(lane.get("name") or "").strip() for lane in process.iter(f"{{{NSMAP['bpmn']}}}lane")]
    return list(dict.fromkeys(n for n in names if n))


def page(user: User, process_key: str) -> dict:
    """What the 泳道分配 page shows: the assignments, and each lane of the diagram (the user's draft, else
    the newest version) with whether it is assigned."""
    _require(user)
    from ..models import ProcessDraft, ProcessVersion
    draft = db.session.execute(select(ProcessDraft).where(ProcessDraft.process_key == process_key,
                                                          ProcessDraft.user_id == user.id)).scalar_one_or_none()
    latest = db.session.execute(select(ProcessVersion).where(ProcessVersion.process_key == process_key)
                                .order_by(ProcessVersion.version.desc()).limit(1)).scalar_one_or_none()
    rows = assignments(process_key)
    drawn = diagram_lanes((draft or latest).bpmn) if (draft or latest) else []
    assigned = {r.lane for r in rows}
    return {
        "process_key": process_key, "rows": rows, "roles": ROLES,
        "lanes": [{"name": n, "assigned": n in assigned} for n in drawn],
        "departments": list(db.session.execute(select(Department).order_by(Department.code)).scalars()),
        "deployed": latest,
    }


def snapshot(process_key: str, lane_names) -> dict:
    """{lane: [[role, department code or None], …]} for ``lane_names`` as assigned now (recorded per version)."""
    wanted = set(lane_names)
    out: dict = {}
    for row in assignments(process_key):
        if row.lane in wanted:
            out.setdefault(row.lane, []).append([row.role, row.department.code if row.department else None])
    return out
