"""The supervision bulletin (督查通报): for a period, every item by department — on time, late, overdue,
returned — and the departments ranked.

Read from the cases' data (DOMAIN.md section 6 "Supervision item" keys and the process's own
``progress_reports`` / ``returns`` / ``item_due_date``), so the bulletin says what the process recorded.

Rules, per department and item (``as_of`` is the end of the period, or today if that is earlier):

* an item belongs to the period when its due date (after any extension) falls in it (DOMAIN.md section 5:
  rates and rankings count only items due within the period);
* the department's part is *finished* when its latest report (from the history, since the last return from
  verification) says so; it finished *on time* when that report came on or before the due date, else *late*;
  an unfinished part whose due date is before ``as_of`` is *overdue*, otherwise it is not yet due
  (*in progress*) and is listed but not counted;
* *returned*: the items verification sent back to the department at least once;
* ranking: on-time rate (on time ÷ counted items) high to low, then fewer overdue, fewer late, fewer
  returned; a department with no counted item is listed apart (本期无到期事项), never ranked last;
* the bulletin is issued with a document number of the office's own series (:func:`issue`).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.letters.render import html_to_pdf, render_html
from app.models import Case, CaseEvent, Department, HumanTask
from app.supervision import codes

PROCESS_KEY = "supervision"
HEAD_LANE = "督查负责人"


@dataclass
class ItemLine:
    tracking_number: str
    ledger_number: str
    title: str
    due_date: datetime.date
    role: str  # 牵头 or 配合
    standing: str  # a code of codes.STANDINGS
    finished_on: datetime.date | None
    returned: bool

    @property
    def standing_label(self) -> str:
        return codes.STANDINGS[self.standing].label


@dataclass
class DepartmentLine:
    code: str
    name: str
    items: list[ItemLine] = field(default_factory=list)
    rank: int = 0

    @property
    def counted(self) -> list[ItemLine]:
        """The items the rates count: finished, or past their due date (not the ones not yet due)."""
        return [item for item in self.items if item.standing != "in_progress"]

    def count(self, standing: str) -> int:
        return sum(1 for item in self.items if item.standing == standing)

    @property
    def returned(self) -> int:
        return sum(1 for item in self.counted if item.returned)

    @property
    def on_time_rate(self) -> float:
        return self.count("on_time") / len(self.counted) if self.counted else 0.0

    def sort_key(self):
        return (-self.on_time_rate, self.count("overdue"), self.count("late"), self.returned, self.code)


@dataclass
class Bulletin:
    start: datetime.date
    end: datetime.date
    as_of: datetime.date
    departments: list[DepartmentLine]  # ranked, in rank order
    item_count: int
    # Departments with supervision items but none counted in the period: listed as such, not ranked.
    nothing_due: list[DepartmentLine] = field(default_factory=list)
    number: str = ""


def _day(value) -> datetime.date | None:
    return datetime.date.fromisoformat(str(value)[:10]) if value else None


@dataclass
class Part:
    """One department's part of one item, as its history says: the latest report since the last return."""
    finished_on: datetime.date | None = None
    returned: bool = False


def parts_from_history(case_ids: list[int], local_date) -> dict[int, dict[int, Part]]:
    """``{case id: {department id: Part}}`` from the completed report and verification tasks, in history order.

    A report counts the moment its department submits it (the process collects a round only when every
    department of the round has reported); a verification that sends the item back voids every report before it.
    """
    parts: dict[int, dict[int, Part]] = {case_id: {} for case_id in case_ids}
    if not case_ids:
        return parts
    rows = db.session.execute(
        select(CaseEvent.case_id, CaseEvent.payload, HumanTask.department_id, HumanTask.completed_at)
        .join(HumanTask, HumanTask.id == CaseEvent.task_id)
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.type == "task_completed",
               HumanTask.spec_name.in_(("report_progress", "verify")))
        .order_by(CaseEvent.case_id, CaseEvent.seq)).all()
    for case_id, payload, department_id, completed_at in rows:
        submitted = (payload or {}).get("submitted") or {}
        if payload.get("spec_name") == "verify":
            if submitted.get("verification_result") == "returned":
                for part in parts[case_id].values():
                    part.finished_on, part.returned = None, True
            continue
        part = parts[case_id].setdefault(department_id, Part())
        finished = submitted.get("report_status") == "completed"
        part.finished_on = local_date(completed_at) if finished else None
    return parts


def standing(part: Part | None, due: datetime.date, as_of: datetime.date) -> str:
    """on_time / late / overdue / in_progress (see the module rules)."""
    if part is not None and part.finished_on is not None:
        return "on_time" if part.finished_on <= due else "late"
    return "overdue" if due < as_of else "in_progress"


def build(start: datetime.date, end: datetime.date, today: datetime.date, local_date=None) -> Bulletin:
    """The bulletin of the period ``start``–``end`` (inclusive) as the cases stand on ``today``.

    ``local_date(utc_datetime)``: the office's calendar date of a moment (default: the configured time zone).
    """
    if end < start:
        raise ValueError("the period ends before it starts")
    local_date = local_date or _office_date
    as_of = min(end, today)
    departments = db.session.execute(select(Department.id, Department.code, Department.name)).all()
    id_of = {code: dept_id for dept_id, code, _ in departments}
    names = {code: name for _, code, name in departments}
    chosen, involved = [], {}
    for case in db.session.execute(select(Case).where(Case.process_key == PROCESS_KEY,
                                                      Case.status.in_(("active", "completed")))
                                   .order_by(Case.id)).scalars():
        data = case.data or {}
        due = _day(data.get("item_due_date") or data.get("due_date"))
        for code in _departments(data):
            involved.setdefault(code, DepartmentLine(code, names.get(code, code)))
        if due is not None and start <= due <= end:
            chosen.append((case, data, due))
    parts = parts_from_history([case.id for case, _, _ in chosen], local_date)
    by_department: dict[str, DepartmentLine] = {}
    for case, data, due in chosen:
        for code in _departments(data):
            part = parts[case.id].get(id_of.get(code))
            line = by_department.setdefault(code, involved[code])
            line.items.append(ItemLine(case.tracking_number, data.get("ledger_number", ""), data.get("title", ""),
                                       due, "牵头" if code == data.get("lead_department") else "配合",
                                       standing(part, due, as_of), part.finished_on if part else None,
                                       bool(part and part.returned)))
    ranked = sorted((line for line in by_department.values() if line.counted), key=DepartmentLine.sort_key)
    for position, line in enumerate(ranked, 1):
        line.rank = position
    nothing_due = sorted((line for line in involved.values() if not line.counted), key=lambda line: line.code)
    return Bulletin(start, end, as_of, ranked, len(chosen), nothing_due)


def _departments(data: dict) -> list[str]:
    codes_ = data.get("departments") or [data.get("lead_department"), *(data.get("co_departments") or [])]
    return list(dict.fromkeys(c for c in codes_ if c))


BULLETIN_SERIES = "督通报"


def issue(start: datetime.date, end: datetime.date, today: datetime.date) -> Bulletin:
    """:func:`build`, numbered in the office's bulletin series (the caller commits, so no number is skipped
    unless the transaction fails)."""
    from app.services.handlers import document_number
    bulletin = build(start, end, today)
    bulletin.number = document_number(BULLETIN_SERIES, today.year)
    return bulletin


def _office_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def may_read(user) -> bool:
    """The bulletin is for whoever heads supervision (works its 督查负责人 lane), and administrators."""
    from app.services.access import may_work_lane
    return user.is_authenticated and (user.has_role("admin") or may_work_lane(user, PROCESS_KEY, HEAD_LANE))


def require_reader(user) -> None:
    from app.services.errors import Forbidden
    if not may_read(user):
        raise Forbidden("只有督查室负责人可以生成督查通报")


def render(bulletin: Bulletin, agency: dict, issued_on: datetime.date) -> bytes:
    """The bulletin as PDF bytes, through the letters' WeasyPrint renderer."""
    html = render_html("supervision/letters/bulletin.html", {
        "bulletin": bulletin, "agency": agency, "issued_on": issued_on, "standings": codes.STANDINGS,
        "title_lines": [agency["name"], "督查事项办理情况通报"], "document_number": bulletin.number,
    })
    return html_to_pdf(html)
