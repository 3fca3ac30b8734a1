"""The facts of information submission: the process's own steps that write them, and what is counted from them.

* ``register`` (at submission): the item's row, with an urgent item's late first report (迟报) scored at once;
* ``score`` (after the editors' review): the outcome, where it was adopted, and the points from the settings
  table (:mod:`app.information.settings`), line by line, so a department sees why it has its points;
* ``follow_up``: an urgent incident's follow-up reports (续报), until the department reports it closed.

Items count in the month and year they were submitted. Ranking: points high to low, then more adopted, then
fewer late; departments with equal figures share a rank (1, 1, 3).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case as when, func, select

from app.extensions import db
from app.information import codes, settings, timeliness
from app.models import Department, InformationItem
from app.models.types import utcnow
from app.services import history
from app.services.errors import Forbidden, Invalid

PROCESS_KEY = "information_report"
EDITOR_LANE = "信息编辑"
READER_ROLES = ("head", "auditor", "supervisor", "admin")


def _item(case) -> InformationItem:
    return db.session.execute(select(InformationItem).where(InformationItem.case_id == case.id)).scalar_one()


def register(ctx, call) -> dict:
    """The ``register`` step: the item's facts as submitted; a late urgent first report is scored at once."""
    case, data = ctx.case, call.data
    submitted = timeliness.parse(data["submitted_at"])
    late = bool(data.get("first_report_late"))
    lines = [{"code": codes.LATE, "label": f"迟报：{data.get('late_reason', '')}",
              "points": settings.scores()[codes.LATE]}] if late else []
    item = InformationItem(
        case_id=case.id, department_id=case.department_id, info_type=data["info_type"], title=data["title"],
        submitted_on=submitted.date(), year=submitted.year, month=submitted.month, late=late,
        late_reason=str(data.get("late_reason") or ""), outcome="pending", adopted_in=[], leader_instruction="",
        points=sum(line["points"] for line in lines), score_lines=lines,
        incident_open=data["info_type"] == codes.URGENT, last_report_at=submitted, updated_at=utcnow())
    db.session.add(item)
    if late:
        history.record(case, "information_scored", ctx.actor, f"紧急突发信息迟报，记{lines[0]['points']}分："
                       f"{item.late_reason}", {"lines": lines})
    return {"late": late}


def score(ctx, call) -> dict:
    """The ``score`` step: the editors' outcome and its points (adopted in several places: each counts)."""
    data, item, table = call.data, _item(ctx.case), settings.scores()
    outcome = data.get("review_outcome")
    if outcome not in ("adopted", "rejected"):
        raise Invalid("只有采用或不予采用的信息可以记分")
    places = [p for p in codes.ADOPTION_PLACES if p in (data.get("adopted_in") or [])] if outcome == "adopted" else []
    lines = [line for line in item.score_lines if line["code"] == codes.LATE]
    lines += [{"code": p, "label": codes.ADOPTION_PLACES[p], "points": table[p]} for p in places]
    item.outcome, item.adopted_in = outcome, places
    item.leader_instruction = str(data.get("leader_instruction") or "") if "leader" in places else ""
    item.score_lines, item.points, item.updated_at = lines, sum(line["points"] for line in lines), utcnow()
    what = "、".join(codes.ADOPTION_PLACES[p] for p in places) if places else "不予采用"
    history.record(ctx.case, "information_scored", ctx.actor, f"编辑审核：{what}，本条信息计{item.points}分",
                   {"outcome": outcome, "adopted_in": places, "lines": lines, "points": item.points})
    return {"points": item.points}


def follow_up(ctx, call) -> dict:
    """The ``follow_up`` step: an urgent incident's follow-up report (续报); closed when the department says so."""
    item, closed = _item(ctx.case), bool(call.data.get("incident_closed"))
    item.last_report_at, item.incident_open, item.updated_at = utcnow(), not closed, utcnow()
    history.record(ctx.case, "information_follow_up", ctx.actor,
                   "续报" + ("，事件处置完毕，结束续报" if closed else ""), {"closed": closed})
    return {"closed": closed}


# -- who reads what ----------------------------------------------------------------------------------------

def is_editor(user) -> bool:
    from app.services.access import may_work_lane
    return may_work_lane(user, PROCESS_KEY, EDITOR_LANE)


def may_submit(user) -> bool:
    """Whether the user's department submits information (and so has a page of its own items and points)."""
    from app.services import processes
    from app.services.access import may_start
    from app.services.errors import NotFound
    if not (user.is_authenticated and user.department_id):
        return False
    try:
        version = processes.latest(PROCESS_KEY)
    except NotFound:
        return False
    return may_start(user, PROCESS_KEY, processes.definition(version).start_lane)


def may_read(user) -> bool:
    """Rankings, the on-call view and the bulletin: heads, auditors, supervisors, administrators, editors."""
    return bool(user.is_authenticated and user.is_active and (user.has_role(*READER_ROLES) or is_editor(user)))


def require_reader(user) -> None:
    if not may_read(user):
        raise Forbidden("只有负责人、信息编辑和审计、管理人员可以查看政务信息考核")


# -- counting ----------------------------------------------------------------------------------------------

@dataclass
class Standing:
    department: str  # code
    name: str
    points: int
    adopted: int
    submitted: int
    late: int
    rank: int = 0


def period(year, month=None) -> tuple[int, int | None]:
    """A checked (year, month); :class:`Invalid` naming the field otherwise."""
    errors = {}
    try:
        year = int(year)
        if not 1900 <= year <= 2999:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = "年份应为四位数字，例如 2026"
    if month not in (None, ""):
        try:
            month = int(month)
            if not 1 <= month <= 12:
                raise ValueError
        except (TypeError, ValueError):
            errors["month"] = "月份应为 1 到 12"
    else:
        month = None
    if errors:
        raise Invalid("统计期间有误", errors)
    return year, month


def ranking(year: int, month: int | None = None) -> list[Standing]:
    """Each department that submitted in the period, with its points and counts, ranked."""
    where = [InformationItem.year == year] + ([InformationItem.month == month] if month else [])
    rows = db.session.execute(
        select(Department.code, Department.name, func.coalesce(func.sum(InformationItem.points), 0),
               func.sum(when((InformationItem.outcome == "adopted", 1), else_=0)), func.count(InformationItem.id),
               func.sum(when((InformationItem.late.is_(True), 1), else_=0)))
        .join(Department, Department.id == InformationItem.department_id).where(*where)
        .group_by(Department.code, Department.name)).all()
    standings = [Standing(code, name, int(points), int(adopted), int(submitted), int(late))
                 for code, name, points, adopted, submitted, late in rows]
    standings.sort(key=lambda s: (-s.points, -s.adopted, s.late, s.department))
    for position, s in enumerate(standings, 1):
        previous = standings[position - 2] if position > 1 else None
        same = previous and (previous.points, previous.adopted, previous.late) == (s.points, s.adopted, s.late)
        s.rank = previous.rank if same else position
    return standings


def department_items(user, year: int) -> list[InformationItem]:
    """The items of the user's own department in ``year``, newest first (the department's own view)."""
    if user.department_id is None:
        raise Forbidden("您的账号没有所属部门")
    return list(db.session.execute(select(InformationItem).where(
        InformationItem.department_id == user.department_id, InformationItem.year == year)
        .order_by(InformationItem.submitted_on.desc(), InformationItem.id.desc())).scalars())


def open_incidents() -> list[InformationItem]:
    """Urgent incidents still being followed up, late first reports first, then oldest last report first."""
    return list(db.session.execute(select(InformationItem).where(
        InformationItem.info_type == codes.URGENT, InformationItem.incident_open.is_(True))
        .order_by(InformationItem.late.desc(), InformationItem.last_report_at)).scalars())


def csv_text(standings: list[Standing]) -> str:
    """The ranking as CSV (UTF-8 with BOM, so Excel opens the Chinese correctly)."""
    import csv
    import io
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["排名", "单位", "得分", "采用条数", "报送条数", "迟报条数"])
    for s in standings:
        writer.writerow([s.rank, s.name, s.points, s.adopted, s.submitted, s.late])
    return out.getvalue()
