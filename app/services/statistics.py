"""Department statistics: per department and process, what came in, what was closed, and how punctually.

:func:`department_statistics` is the one entry point (page, CSV and API all use it). Definitions, for a
period ``[date_from, date_to]`` of office dates (``TIMEZONE``, Asia/Shanghai; both days included):

- **department**: the department of the case (``case_file.department_id``, the registering officer's);
  cases without one are grouped as 未分配部门.
- **received** (受理): cases whose legal receipt date (``received_on`` in the case data, GIO 31; DOMAIN.md
  section 3) falls in the period — not the day they were registered, which may be later; a case without a
  receipt date (a process that records none) counts on the office date it was created.
- **closed**: cases whose ``completed_at`` falls in the period and whose status is no longer open (open is
  ``active``, ``suspended`` or ``incident``). Of these:
  - **completed** (办结): every ending of the procedure itself — ``completed``, ``archived``, ``withdrawn``
    (视为放弃申请: the law ends the request, the office has done its part) and any other outcome a process
    sets;
  - **terminated** (终止): ended by an administrator (``terminated``) — counted apart, never as completed
    and never judged on time or late.
- **completion rate** (办结率) = completed / received, both counted in the same period: a throughput
  ratio, so a period that clears an earlier backlog can exceed 100 %; None when nothing was received.
- **on time / late**: each completed case is judged by :mod:`workflows.on_time` from its clock ledger as
  computed on the day it closed (the clocks the process names in ``onTimeClocks``, else all of them);
  **on-time rate** (按期办结率) = on time / (on time + late); cases with no verdict are left out; None when
  no case was judged.
- **overdue now** (当前超期): a snapshot as of today, whatever the period — open cases with a deciding
  clock still running past its due date (the stored due date, as the overdue list shows it).
- **average days to close** (平均办理天数): mean calendar days from the legal receipt date (else the office date
  of creation) to the office date of completion, over the completed cases; None when there are none.
- Periods a case never needed do not count against it: a disclosure request that needed no correction has no
  correction clock (the process discards it), so only its reply clock judges it.

Access: heads see their own department only; auditors, supervisors and administrators see every
department; anyone else is refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, case, func, or_, select

from workflows.on_time import deciding_clock_names
from workflows.validation import spiff_properties
from workflows.xml import NSMAP, parse_bpmn_xml

from ..extensions import db
from ..models import Case, CaseClock, CaseFact, Department, ProcessVersion, User
from . import processes
from .clock import today
from .errors import Forbidden, Invalid

OPEN_STATUSES = ("active", "suspended", "incident")
TERMINATED = "terminated"
ALL_DEPARTMENTS_ROLES = ("auditor", "supervisor", "admin")
NO_DEPARTMENT = "未分配部门"
MAX_DAYS = 3660  # a period of at most ten years keeps the page and the queries bounded


@dataclass
class Figures:
    received: int = 0
    completed: int = 0
    terminated: int = 0
    on_time: int = 0
    late: int = 0
    overdue_now: int = 0
    days_to_close: int = 0  # summed over the completed cases; the average is derived

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.received if self.received else None

    @property
    def on_time_rate(self) -> float | None:
        judged = self.on_time + self.late
        return self.on_time / judged if judged else None

    @property
    def average_days(self) -> float | None:
        return self.days_to_close / self.completed if self.completed else None

    def add(self, other: "Figures") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict:
        rounded = {"completion_rate": self.completion_rate, "on_time_rate": self.on_time_rate,
                   "average_days_to_close": self.average_days}
        return {**{f.name: getattr(self, f.name) for f in fields(self) if f.name != "days_to_close"},
                **{k: None if v is None else round(v, 4) for k, v in rounded.items()}}


@dataclass
class Row:
    department_code: str
    department_name: str
    process_key: str
    process_name: str
    figures: Figures

    def as_dict(self) -> dict:
        return {"department_code": self.department_code or None, "department_name": self.department_name,
                "process_key": self.process_key, "process_name": self.process_name, **self.figures.as_dict()}


@dataclass
class Report:
    date_from: date
    date_to: date
    scope: str  # the department's name, or 全部部门
    rows: list[Row]
    by_process: list[Row] = field(default_factory=list)  # department "合计" per process
    total: Figures = field(default_factory=Figures)

    def as_dict(self) -> dict:
        return {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(), "scope": self.scope,
                "rows": [r.as_dict() for r in self.rows],
                "by_process": [{"process_key": r.process_key, "process_name": r.process_name, **r.figures.as_dict()}
                               for r in self.by_process],
                "total": self.total.as_dict()}


# -- the period -----------------------------------------------------------------------------------------------

def presets(day: date) -> dict[str, tuple[date, date]]:
    """本月 / 本季度 / 本年 around ``day``."""
    q_month = 3 * ((day.month - 1) // 3) + 1
    return {"month": (day.replace(day=1), _month_end(day.year, day.month)),
            "quarter": (date(day.year, q_month, 1), _month_end(day.year, q_month + 2)),
            "year": (date(day.year, 1, 1), date(day.year, 12, 31))}


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def parse_period(raw_from: str | None, raw_to: str | None, preset: str | None = None) -> tuple[date, date]:
    """The period from request arguments: a preset, or two ISO dates; this month when nothing is given."""
    if preset or not (raw_from or raw_to):
        choices = presets(today())
        if (preset or "month") not in choices:
            raise Invalid("未知的统计期间", {"preset": "应为 month、quarter 或 year"})
        return choices[preset or "month"]
    errors, days = {}, {}
    for name, raw in (("from", raw_from), ("to", raw_to)):
        try:
            days[name] = date.fromisoformat((raw or "").strip())
        except ValueError:
            errors[name] = "应为日期，如 2026-03-01"
    if errors:
        raise Invalid("统计期间的日期无效", errors)
    if days["from"] > days["to"]:
        raise Invalid("起始日期晚于截止日期", {"from": "不得晚于截止日期"})
    if (days["to"] - days["from"]).days > MAX_DAYS:
        raise Invalid("统计期间不能超过十年", {"to": "期间过长"})
    return days["from"], days["to"]


def _office_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def receipt_day(received_on: str | None, created_at: datetime) -> date:
    """The legal receipt date of a case (GIO 31), else the office date it was registered: the day the case
    counts as received in the statistics (``case_fact.counted_on``)."""
    try:
        return date.fromisoformat(received_on[:10]) if received_on else _office_day(created_at)
    except ValueError:
        return _office_day(created_at)


# -- access ---------------------------------------------------------------------------------------------------

def department_scope(user: User) -> int | None:
    """None: every department; else the one department id the user may see. Refuses everyone else."""
    if user.has_role(*ALL_DEPARTMENTS_ROLES):
        return None
    if user.has_role("head"):
        if user.department_id is None:
            raise Forbidden("负责人未归属任何部门，无法查看部门统计")
        return user.department_id
    raise Forbidden("只有负责人、审计人员和管理员可以查看部门统计")


# -- which clocks decide, per process version -----------------------------------------------------------------

_deciding_cache: dict[str, frozenset[str] | None] = {}


def _deciding(version_ids) -> dict[int, frozenset[str] | None]:
    """``onTimeClocks`` of each version, read from its BPMN (cached by content hash)."""
    result = {}
    rows = db.session.execute(select(ProcessVersion.id, ProcessVersion.content_hash)
                              .where(ProcessVersion.id.in_(set(version_ids)))).all()
    for version_id, content_hash in rows:
        if content_hash not in _deciding_cache:
            bpmn = db.session.execute(select(ProcessVersion.bpmn).where(ProcessVersion.id == version_id)).scalar()
            process = next((p for p in parse_bpmn_xml(bpmn).findall("bpmn:process", NSMAP)
                            if p.get("isExecutable", "true") == "true"), None)
            _deciding_cache[content_hash] = deciding_clock_names(spiff_properties(process)) \
                if process is not None else None
        result[version_id] = _deciding_cache[content_hash]
    return result


def deciding_clocks(version_ids) -> dict[int, frozenset[str] | None]:
    """The clocks that decide on-time for each process version (its ``onTimeClocks``; None: all clocks)."""
    return _deciding(version_ids)


# -- the figures ----------------------------------------------------------------------------------------------

def department_statistics(user: User, date_from: date, date_to: date) -> Report:
    """Figures per (department, process) for the period, with totals per process and overall.

    Received and closed figures are aggregates over ``case_fact`` (written with every change of a case:
    app.services.facts), so the cost grows with the number of groups, not with the cases in the period;
    only the overdue-now snapshot reads clocks, and only of open cases past their due date."""
    scope = department_scope(user)

    def scoped(query):
        return query.where(CaseFact.department_id == scope) if scope is not None else query

    cells: dict[tuple, Figures] = {}

    def cell(department_id, process_key) -> Figures:
        return cells.setdefault((department_id, process_key), Figures())

    group = (CaseFact.department_id, CaseFact.process_key)
    for department_id, process_key, n in db.session.execute(scoped(
            select(*group, func.count()).where(CaseFact.counted_on.between(date_from, date_to)).group_by(*group))):
        cell(department_id, process_key).received = n

    completed = CaseFact.status != TERMINATED
    for row in db.session.execute(scoped(
            select(*group,
                   func.count().filter(completed).label("completed"),
                   func.count().filter(CaseFact.status == TERMINATED).label("terminated"),
                   func.count().filter(completed, CaseFact.on_time.is_(True)).label("on_time"),
                   func.count().filter(completed, CaseFact.on_time.is_(False)).label("late"),
                   func.coalesce(func.sum(case((completed, CaseFact.days_to_close), else_=0)), 0).label("days"))
            .where(CaseFact.closed_on.between(date_from, date_to)).group_by(*group))):
        figures = cell(row.department_id, row.process_key)
        figures.completed, figures.terminated = row.completed, row.terminated
        figures.on_time, figures.late, figures.days_to_close = row.on_time, row.late, int(row.days)

    # Overdue now: open cases with a deciding clock still running past its due date, counted in SQL in one
    # grouped query. Which clocks decide depends on the process version (its BPMN): versions are few, so the
    # deciding clock names of every version are read (cached) and folded into the query.
    overdue = [Case.status.in_(OPEN_STATUSES), CaseClock.state == "running", CaseClock.due_date < today()]
    if scope is not None:
        overdue.append(Case.department_id == scope)
    by_names: dict[frozenset[str] | None, list[int]] = {}
    for version_id, names in _deciding(db.session.execute(select(ProcessVersion.id)).scalars()).items():
        by_names.setdefault(names, []).append(version_id)
    deciding = or_(*(Case.process_version_id.in_(versions) if names is None else
                     and_(Case.process_version_id.in_(versions), CaseClock.name.in_(sorted(names)))
                     for names, versions in by_names.items()))
    for department_id, process_key, n in db.session.execute(
            select(Case.department_id, Case.process_key, func.count(Case.id.distinct()))
            .join(CaseClock, CaseClock.case_id == Case.id).where(*overdue, deciding)
            .group_by(Case.department_id, Case.process_key)) if by_names else ():
        cell(department_id, process_key).overdue_now = n

    return _report(scope, date_from, date_to, cells)


def _report(scope, date_from, date_to, cells) -> Report:
    departments = {d.id: d for d in db.session.execute(select(Department)).scalars()}
    names = {v.process_key: v.name for v in processes.deployed_keys()}
    # Every deployed process is shown (a new one, e.g. supervision, appears once deployed), plus any
    # process that still has cases but is no longer among the newest versions.
    keys = sorted(set(names) | {key for _, key in cells})
    department_ids = [scope] if scope is not None else \
        sorted({d for d, _ in cells}, key=lambda d: (d is None, departments[d].code if d in departments else ""))

    rows, by_process, total = [], [], Figures()
    for key in keys:
        sub = Figures()
        for department_id in department_ids:
            figures = cells.get((department_id, key), Figures())
            sub.add(figures)
            if not figures.empty() or scope is not None:
                dept = departments.get(department_id)
                rows.append(Row(dept.code if dept else "", dept.name if dept else NO_DEPARTMENT,
                                key, names.get(key, key), figures))
        by_process.append(Row("", "合计", key, names.get(key, key), sub))
        total.add(sub)
    rows.sort(key=lambda r: (r.department_code == "", r.department_code, r.process_key))
    label = (departments[scope].name if scope in departments else NO_DEPARTMENT) if scope is not None else "全部部门"
    return Report(date_from, date_to, label, rows, by_process, total)
