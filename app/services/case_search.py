"""Searching the cases a user may read (GET /api/v1/cases): the inbox's filters that apply to a case, paged.

Same rules as the inbox (:mod:`app.services.filters`): free text and party names never search a case whose
confidential fields are hidden from the user; every bad parameter is named in one 422.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, not_, or_, select

from .. import families
from ..extensions import db
from ..ids import parse_int
from ..models import Case
from . import access
from .errors import Invalid
from .filters import MAX_TEXT, PER_PAGE_DEFAULT, PER_PAGE_MAX, _data_text, _like, check_text, text_clause

STATUSES = ("active", "suspended", "incident", "terminated", "archived", "withdrawn", "completed")
SORTS = {"created_at": Case.created_at, "tracking_number": Case.tracking_number, "process": Case.process_key,
         "status": Case.status, "received_on": _data_text("received_on"), "applicant": _data_text("applicant_name")}


@dataclass
class CaseFilter:
    process: str = ""
    status: str = ""
    party: str = ""
    tracking: str = ""
    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "created_at"
    order: str = "desc"
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT

    @classmethod
    def from_args(cls, args) -> "CaseFilter":
        errors: dict[str, str] = {}
        value = lambda key: str(args.get(key) or "").strip()  # noqa: E731
        f = cls()
        for key in ("process", "party", "tracking"):
            if len(value(key)) > MAX_TEXT:
                errors[key] = f"不能超过 {MAX_TEXT} 个字符"
            else:
                setattr(f, key, value(key))
        for key, allowed in (("status", STATUSES), ("sort", tuple(SORTS)), ("order", ("asc", "desc"))):
            if value(key):
                if value(key) not in allowed:
                    errors[key] = f"可选：{'、'.join(allowed)}"
                else:
                    setattr(f, key, value(key))
        for key in ("date_from", "date_to"):
            if value(key):
                try:
                    setattr(f, key, date.fromisoformat(value(key)))
                except ValueError:
                    errors[key] = "日期格式应为 YYYY-MM-DD"
        for key, low, high in (("page", 1, 100_000), ("per_page", 1, PER_PAGE_MAX)):
            if value(key):
                number = parse_int(value(key), low, high)
                if number is None:
                    errors[key] = f"应为 {low} 到 {high} 之间的整数"
                else:
                    setattr(f, key, number)
        try:
            f.q = check_text(value("q"))
        except Invalid as exc:
            errors.update(exc.fields)
        if errors:
            raise Invalid("查询参数有误：" + "；".join(f"{k}：{m}" for k, m in errors.items()), errors)
        return f

    def to_args(self) -> dict[str, str]:
        defaults = CaseFilter()
        return {k: (v.isoformat() if isinstance(v, date) else str(v)) for k, v in vars(self).items()
                if v != getattr(defaults, k) and k != "page"}


def search(user, f: CaseFilter) -> tuple[list[Case], int]:
    """One page of the cases ``user`` may read that match, and the number of all matches."""
    where = [access.visible_cases_clause(user)]
    if f.process:
        where.append(Case.process_key == f.process)
    if f.status:
        where.append(Case.status == f.status)
    if f.tracking:
        where.append(_like(Case.tracking_number, f.tracking))
    if f.party or f.q:
        from .reading import hidden_clause
        where.append(not_(hidden_clause(user)))
    if f.party:
        where.append(or_(*(_like(_data_text(k), f.party) for k in families.party_keys())))
    if f.q:
        where.append(text_clause(f.q))
    if f.date_from:
        where.append(_data_text("received_on") >= f.date_from.isoformat())
    if f.date_to:
        where.append(_data_text("received_on") <= f.date_to.isoformat())
    total = db.session.execute(select(func.count()).select_from(Case).where(*where)).scalar()
    key = SORTS[f.sort]
    rows = db.session.execute(select(Case).where(*where)
                              .order_by(key.is_(None), key.desc() if f.order == "desc" else key.asc(), Case.id)
                              .limit(f.per_page).offset((f.page - 1) * f.per_page)).scalars().all()
    return list(rows), total
