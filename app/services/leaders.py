"""Leader-assigned cases (领导包案): a head attached to a case follows it, whatever department it belongs to.

Who may attach: an administrator, or the head of the case's own department. Who may be attached: an active
user with the role head. The leader then sees the case in the inbox section 包案 and may read it
(:func:`app.services.access.visible_cases_clause`); working its tasks still needs the lanes. Attaching is
written to the case's history.
"""
from sqlalchemy import select

from ..extensions import db
from ..models import Case, CaseLeader, User
from . import access, history
from .cases import command
from .errors import Conflict, Forbidden, Invalid
from .locking import lock_case

LEADER_ROLE = "head"


def may_attach(actor: User, case: Case) -> bool:
    if not actor.is_active:
        return False
    if actor.has_role("admin"):
        return True
    return actor.has_role("head") and actor.department_id is not None and actor.department_id == case.department_id


@command
def attach(actor: User, case_id: int, username: str) -> CaseLeader:
    """Attach the head ``username`` to the case as its 包案领导; refused for anyone but an admin or the head
    of the case's department, for a user who is not an active head, and for a leader already attached."""
    case = lock_case(case_id)
    access.require_view(actor, case)
    if not may_attach(actor, case):
        raise Forbidden("只有系统管理员或案件所属部门的负责人可以确定包案领导")
    leader = db.session.execute(select(User).where(User.username == (username or "").strip())).scalar_one_or_none()
    if leader is None or not leader.is_active or not leader.has_role(LEADER_ROLE):
        raise Invalid("包案领导应为在职的负责人", {"username": "请填写负责人的用户名"})
    if db.session.execute(select(CaseLeader.id).where(CaseLeader.case_id == case.id,
                                                      CaseLeader.user_id == leader.id)).first():
        raise Conflict(f"{leader.display_name}已是本案的包案领导")
    row = CaseLeader(case_id=case.id, user_id=leader.id, attached_by_id=actor.id)
    db.session.add(row)
    case.version += 1
    history.record(case, "leader_attached", actor, f"确定包案领导：{leader.display_name}",
                   {"leader": leader.username, "leader_name": leader.display_name})
    db.session.commit()
    return row


def eligible(actor: User, case: Case) -> list[User]:
    """The active heads ``actor`` may attach to the case (by name), not those already attached; [] for someone
    who may not attach a leader."""
    if not may_attach(actor, case):
        return []
    attached = set(db.session.execute(select(CaseLeader.user_id).where(CaseLeader.case_id == case.id)).scalars())
    heads = db.session.execute(select(User).where(User.active.is_(True))).scalars()
    return sorted((u for u in heads if u.has_role(LEADER_ROLE) and u.id not in attached),
                  key=lambda u: u.display_name)


def leaders_of(user: User, case: Case) -> list[CaseLeader]:
    access.require_view(user, case)
    return list(db.session.execute(select(CaseLeader).where(CaseLeader.case_id == case.id)
                                   .order_by(CaseLeader.id)).scalars())


def led_cases(user: User) -> list[Case]:
    """The cases ``user`` leads (包案), newest first."""
    return list(db.session.execute(
        select(Case).join(CaseLeader, CaseLeader.case_id == Case.id).where(CaseLeader.user_id == user.id)
        .order_by(Case.id.desc())).scalars())
