"""Remedies after a reply (DOMAIN 2.7; 《行政复议法》, 《行政诉讼法》): reconsideration and litigation records on a
closed disclosure request.

Officers record them on the case; the process is never reopened. Every addition and change is a history
event with the values before and after. They feed section 四 of the annual report (app.reports.annual).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Case, Remedy, User
from ..models.types import utcnow
from ..services import access, history
from ..services.cases import command
from ..services.clock import today
from ..services.errors import Conflict, Forbidden, Invalid, NotFound
from ..services.locking import lock_case

PROCESS_KEY = "disclosure_request"
RECORDER_ROLES = ("officer", "head", "admin")
OPEN_STATUSES = ("active", "suspended", "incident")

KINDS = {"reconsideration": "行政复议", "litigation_direct": "行政诉讼（未经复议直接起诉）",
         "litigation_after_reconsideration": "行政诉讼（复议后起诉）"}
OUTCOMES = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}
FIELDS = ("kind", "filed_on", "body", "outcome", "decided_on", "documents")


def _date(raw, name: str, errors: dict, required: bool) -> date | None:
    if raw in (None, ""):
        if required:
            errors[name] = "必填"
        return None
    try:
        value = date.fromisoformat(str(raw).strip())
    except ValueError:
        errors[name] = "应为日期，如 2026-03-01"
        return None
    if value > today():
        errors[name] = "不能晚于今天"
    return value


def _received_on(case: Case) -> date | None:
    try:
        return date.fromisoformat(str(case.data.get("received_on")))
    except ValueError:
        return None


def validate(case: Case, values: dict) -> dict:
    """The cleaned values of a remedy form, or :class:`Invalid` naming every wrong field."""
    errors: dict[str, str] = {}
    kind = values.get("kind")
    if kind not in KINDS:
        errors["kind"] = "请选择行政复议或行政诉讼的类别"
    body = str(values.get("body") or "").strip()
    if not body:
        errors["body"] = "请填写复议机关或受理法院"
    elif len(body) > 200:
        errors["body"] = "不能超过 200 字"
    filed_on = _date(values.get("filed_on"), "filed_on", errors, required=True)
    received_on = _received_on(case)
    if filed_on and received_on and filed_on < received_on and "filed_on" not in errors:
        errors["filed_on"] = f"不能早于收到申请的日期（{received_on.isoformat()}）"
    outcome = values.get("outcome") or "pending"
    if outcome not in OUTCOMES:
        errors["outcome"] = "请选择结果"
    decided_on = _date(values.get("decided_on"), "decided_on", errors, required=outcome not in ("pending",))
    if outcome == "pending" and decided_on is not None:
        errors["decided_on"] = "尚未审结的，不填审结日期"
    if decided_on and filed_on and decided_on < filed_on and "decided_on" not in errors:
        errors["decided_on"] = "不能早于提起日期"
    documents = str(values.get("documents") or "").strip()
    if len(documents) > 2000:
        errors["documents"] = "不能超过 2000 字"
    if errors:
        raise Invalid("复议诉讼信息有误，请检查标出的字段", errors)
    return {"kind": kind, "filed_on": filed_on, "body": body, "outcome": outcome, "decided_on": decided_on,
            "documents": documents}


def applies_to(case: Case) -> bool:
    """Remedies are recorded on disclosure requests."""
    return case.process_key == PROCESS_KEY


def may_record(user: User, case: Case) -> bool:
    """Whether ``user`` may record remedies on ``case`` now (for showing the form)."""
    return applies_to(case) and user.has_role(*RECORDER_ROLES) and case.status not in OPEN_STATUSES


def _require_recorder(user: User, case: Case) -> None:
    access.require_view(user, case)
    if not user.has_role(*RECORDER_ROLES):
        raise Forbidden("只有办事人员、负责人和管理员可以登记行政复议、行政诉讼情况")
    if case.process_key != PROCESS_KEY:
        raise Conflict("只有政府信息公开申请案件登记行政复议、行政诉讼情况")
    if case.status in OPEN_STATUSES:
        raise Conflict("案件尚未办结：答复作出后才能登记行政复议、行政诉讼情况")


def _snapshot(remedy: Remedy) -> dict:
    return {name: (v.isoformat() if isinstance(v := getattr(remedy, name), date) else v) for name in FIELDS}


def _summary(remedy: Remedy) -> str:
    return f"{KINDS[remedy.kind]}（{remedy.body}，{remedy.filed_on.isoformat()}）：{OUTCOMES[remedy.outcome]}"


@command
def add(user: User, case_id: int, values: dict) -> Remedy:
    """Record a reconsideration or lawsuit on a closed disclosure case (history: remedy_added)."""
    case = lock_case(case_id)
    _require_recorder(user, case)
    remedy = Remedy(case_id=case.id, created_by_id=user.id, **validate(case, values))
    db.session.add(remedy)
    db.session.flush()
    case.version += 1
    history.record(case, "remedy_added", user, f"登记{_summary(remedy)}",
                   {"remedy_id": remedy.id, "after": _snapshot(remedy)})
    db.session.commit()
    return remedy


@command
def update(user: User, remedy_id: int, values: dict) -> Remedy:
    """Change a remedy (e.g. its decision arrived); the history keeps the values before and after."""
    remedy = db.session.get(Remedy, remedy_id)
    if remedy is None:
        raise NotFound("复议诉讼记录不存在")
    case = lock_case(remedy.case_id)
    _require_recorder(user, case)
    before = _snapshot(remedy)
    for name, value in validate(case, {**before, **values}).items():
        setattr(remedy, name, value)
    after = _snapshot(remedy)
    if after != before:
        remedy.updated_at = utcnow()
        case.version += 1
        history.record(case, "remedy_updated", user, f"更新{_summary(remedy)}",
                       {"remedy_id": remedy.id, "before": {k: v for k, v in before.items() if after[k] != v},
                        "after": {k: v for k, v in after.items() if before[k] != v}})
    db.session.commit()
    return remedy


def remedies_of(user: User, case: Case) -> list[Remedy]:
    access.require_view(user, case)
    return list(db.session.execute(select(Remedy).where(Remedy.case_id == case.id).order_by(Remedy.filed_on,
                                                                                            Remedy.id)).scalars())


def as_dict(remedy: Remedy) -> dict:
    return {"id": remedy.id, **_snapshot(remedy), "kind_label": KINDS[remedy.kind],
            "outcome_label": OUTCOMES[remedy.outcome]}
