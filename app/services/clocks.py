"""Case clocks: the ledger stored per case, driven by BPMN service tasks, and recomputation.

A clock row keeps the ledger (``entries``) and the last computed due date; the
due date itself is always ``workflows.clocks.compute(ledger, calendar, today)``.
Changing a clock publishes ``<name>_due_date``, ``<name>_remind_at`` and
``<name>_overdue_at`` into the case data, where BPMN timers read them.
"""
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from workflows.clocks import (CLOCK_KINDS, Clock, ClockError, Deadline, Extend, Pause, Promise, Restart, Resume,
                              SetDue, Start, Stop, compute)

from .. import families
from ..extensions import db
from ..models import Case, CaseClock, HumanTask, User
from ..models.types import utcnow
from . import calendar as calendar_service
from . import history
from .clock import today
from .errors import Invalid

ENTRY_TYPES = {"start": Start, "pause": Pause, "resume": Resume, "restart": Restart, "extend": Extend, "stop": Stop,
               "promise": Promise, "set_due": SetDue}
# Not a ledger entry: a clock the case turned out not to need (no correction notice) is removed, so a period
# the case never needed does not count against it (DOMAIN.md section 3).
DISCARD = "discard"
TYPE_NAMES = {cls: name for name, cls in ENTRY_TYPES.items()}
NEVER = "9999-12-31T00:00:00+08:00"  # a timer that must not fire (clock paused or met)


def _short_title(name: str, default: str) -> str:
    """What officers call a stored clock: the title its process family declares, else ``default``."""
    return families.clock_title(name) or default


def title(row: CaseClock) -> str:
    """What to call a stored clock: its family's short title, else the statutory name of its kind."""
    return _short_title(row.name, "") or CLOCK_KINDS[row.kind](date.fromisoformat(row.entries[0]["on"])).name


def _entry_json(entry) -> dict:
    # Unset optional fields (a start's per-case days, an extension's days) are left out: None is their default.
    body = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(entry).items() if v is not None}
    return {"type": TYPE_NAMES[type(entry)], **body}


def rebuild(row: CaseClock) -> Clock:
    start = row.entries[0]
    per_case = {"days": start["days"]} if start.get("days") is not None else {}
    clock = CLOCK_KINDS[row.kind](date.fromisoformat(start["on"]), **per_case)
    for raw in row.entries[1:]:
        fields = {k: v for k, v in raw.items() if k != "type"}
        fields["on"] = date.fromisoformat(fields["on"])
        if "until" in fields:
            fields["until"] = date.fromisoformat(fields["until"])
        clock = clock.add(ENTRY_TYPES[raw["type"]](**fields))
    return clock


def _moment(day: date, at: time) -> str:
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.combine(day, at, tz).isoformat()


def _remind_day(calendar, due: date) -> date:
    """``REMINDER_WORKING_DAYS`` working days before the due date (never before today)."""
    n, day = current_app.config.get("REMINDER_WORKING_DAYS", 3), due
    while n > 0:
        day -= timedelta(days=1)
        if calendar.is_working(day):
            n -= 1
    return day


def timer_facts(name: str, deadline: Deadline, state: str, calendar) -> dict:
    """The case-data keys BPMN timers read for this clock."""
    facts = {f"{name}_due_date": deadline.due_date.isoformat(), f"{name}_provisional": deadline.provisional,
             f"{name}_remind_at": NEVER, f"{name}_overdue_at": NEVER}
    if state == "running":
        overdue_at = _moment(deadline.due_date + timedelta(days=1), time(0, 0))
        facts[f"{name}_overdue_at"] = overdue_at
        # Once the deadline has passed, only the overdue escalation makes sense;
        # a "due soon" reminder sent after the fact would contradict it.
        if datetime.fromisoformat(overdue_at) > datetime.now(timezone.utc):
            facts[f"{name}_remind_at"] = _moment(_remind_day(calendar, deadline.due_date), time(8, 0))
    return facts


def _store(row: CaseClock, clock: Clock, calendar) -> Deadline:
    deadline = compute(clock, calendar, today())
    row.entries = [_entry_json(e) for e in clock.entries]
    row.due_date, row.provisional = deadline.due_date, deadline.provisional
    row.state = clock.state  # running, paused or stopped; whether it was met is computed on reading
    row.depends_on_years = sorted(deadline.depends_on_years)
    row.updated_at = utcnow()
    return deadline


def _as_day(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise Invalid(f"期限登记日期无效：{value!r}") from None


def _as_days(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise Invalid(f"期限天数无效：{value!r}") from None
    if days < 0:
        raise Invalid(f"期限天数无效：{value!r}")
    return days


def apply_action(case: Case, actor: User | None, name: str, action: str, on, reason: str = "",
                 kind: str | None = None, days=None, until=None) -> dict:
    """Carry out one ledger action from a BPMN service task; returns the facts to publish.

    ``days``: on ``start``, the limit this case sets (for kinds whose limit each case sets, e.g. a
    supervision item's deadline); on ``extend``, the days granted (default: the full extension).
    ``until``: the date of ``set_due`` and ``promise``. An extension is notified to the applicant with its
    new date, so ``extend`` also records that date as a promise.
    """
    if action != DISCARD and action not in ENTRY_TYPES:
        raise Invalid(f"未知的期限操作：{action}")
    on = _as_day(on if on not in (None, "") else today())
    days = _as_days(days)
    row = db.session.execute(select(CaseClock).where(CaseClock.case_id == case.id, CaseClock.name == name)
                             ).scalar_one_or_none()
    if action == DISCARD:
        return _discard(case, actor, name, row, reason)
    calendar = calendar_service.current()
    try:
        if action == "start":
            if kind not in CLOCK_KINDS:
                raise Invalid(f"未知的期限种类：{kind}")
            if row is None:
                row = CaseClock(case_id=case.id, name=name, kind=kind)
                db.session.add(row)
            try:
                clock = CLOCK_KINDS[kind](on) if days is None else CLOCK_KINDS[kind](on, days)
            except TypeError:
                raise Invalid(f"期限种类“{kind}”的天数由法律规定，不能逐案设定") from None
        else:
            if row is None:
                raise Invalid(f"期限“{_short_title(name, name)}”尚未开始计算")
            if action == "extend":
                entry = Extend(on=on, reason=reason, days=days)
            elif action in ("promise", "set_due"):
                if until in (None, ""):
                    raise Invalid(f"期限“{_short_title(name, name)}”缺少日期")
                entry = ENTRY_TYPES[action](on=on, until=_as_day(until), reason=reason)
            elif action in ("pause", "restart"):
                entry = ENTRY_TYPES[action](on=on, reason=reason)
            else:
                entry = ENTRY_TYPES[action](on=on)
            clock = rebuild(row).add(entry)
            if action == "extend" and (new_due := compute(clock, calendar, today()).due_date) >= on:
                # The extension notice tells the applicant this date: later recomputation may only bring it forward.
                clock = clock.add(Promise(on, new_due, "延期告知书"))
    except ClockError as exc:
        raise Invalid(str(exc)) from exc
    deadline = _store(row, clock, calendar)
    history.record(case, "clock_changed", actor,
                   f"{_short_title(name, clock.name)}：{_ACTION_LABELS[action]}，到期日 {deadline.due_date}"
                   + ("（暂定）" if deadline.provisional else ""),
                   {"clock": name, "action": action, "on": on.isoformat(), "reason": reason,
                    "due_date": deadline.due_date.isoformat()})
    return timer_facts(name, deadline, row.state, calendar)


_ACTION_LABELS = {"start": "开始计算", "pause": "暂停计算", "resume": "恢复计算", "restart": "重新计算",
                  "extend": "延长", "stop": "已办结", "promise": "书面承诺办结日期", "set_due": "确定延迟答复期限"}


def _discard(case: Case, actor: User | None, name: str, row: CaseClock | None, reason: str) -> dict:
    """Remove a clock the case did not need; its timers are disarmed."""
    title = _short_title(name, name)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
        history.record(case, "clock_changed", actor, f"{title}：不适用（{reason or '本案不需要'}），不计入办理时限",
                       {"clock": name, "action": DISCARD, "reason": reason})
    return {f"{name}_due_date": None, f"{name}_provisional": False, f"{name}_remind_at": NEVER,
            f"{name}_overdue_at": NEVER}


@dataclass
class DeadlineView:
    name: str
    title: str
    due_date: date
    provisional: bool
    state: str
    explanation: list


def deadlines(case: Case) -> list[DeadlineView]:
    """Every clock of the case, computed now (so 'overdue' is always current)."""
    calendar, views = calendar_service.current(), []
    for row in db.session.execute(select(CaseClock).where(CaseClock.case_id == case.id)
                                  .order_by(CaseClock.id)).scalars():
        clock = rebuild(row)
        d = compute(clock, calendar, today())
        # A clock its family gives no short title goes by its statutory name (e.g. 信访事项办理期限).
        views.append(DeadlineView(row.name, _short_title(row.name, clock.name), d.due_date, d.provisional,
                                  d.state, d.explanation))
    return views


def sync_task_due_dates(case: Case, open_rows: list[HumanTask] | None = None) -> None:
    """Open inbox rows carry the earliest running deadline of their case, for sorting and colour.

    ``open_rows``: the case's open rows when the caller already has them (saves a query).
    """
    # The query must see clock rows changed in this transaction; when there are none, the
    # rest of the unit of work (history, inbox rows) waits for the commit's flush.
    if any(isinstance(obj, CaseClock) for obj in (*db.session.new, *db.session.dirty)):
        db.session.flush()
    with db.session.no_autoflush:
        earliest = db.session.execute(select(CaseClock.due_date, CaseClock.provisional).where(
            CaseClock.case_id == case.id, CaseClock.state == "running").order_by(CaseClock.due_date).limit(1)).first()
        due, provisional = earliest if earliest else (None, False)
        if open_rows is None:
            db.session.flush()
            open_rows = db.session.execute(select(HumanTask).options(lazyload("*")).where(
                HumanTask.case_id == case.id, HumanTask.state == "ready")).scalars()
        for task in open_rows:
            task.due_date, task.due_provisional = due, provisional


def recompute(years, actor: User | None, reason: str) -> int:
    """Recompute every open clock that depends on ``years``; returns how many due dates changed.

    Each change is written to the case's history ("due date changed from … to …
    because …") and published to the process, whose timers are re-armed.
    """
    from . import engine_runner, processes
    from .locking import lock_case
    years, calendar, changed = set(years), calendar_service.current(), 0
    rows = db.session.execute(select(CaseClock.id, CaseClock.case_id, CaseClock.depends_on_years)
                              .where(CaseClock.state != "stopped")).all()
    for clock_id, case_id, depends in rows:
        if not years.intersection(depends or []):
            continue
        case = lock_case(case_id)
        row = db.session.get(CaseClock, clock_id)
        old_due, old_provisional = row.due_date, row.provisional
        deadline = _store(row, rebuild(row), calendar)
        if (deadline.due_date, deadline.provisional) == (old_due, old_provisional):
            continue
        changed += 1
        title = _short_title(row.name, row.name)
        history.record(case, "due_date_changed", actor,
                       f"{title}由 {old_due}{'（暂定）' if old_provisional else ''} 改为 {deadline.due_date}"
                       f"{'（暂定）' if deadline.provisional else ''}，因为{reason}",
                       {"clock": row.name, "from": str(old_due), "to": str(deadline.due_date), "reason": reason})
        if case.status == "active":
            definition = processes.definition(case.process_version)
            facts = timer_facts(row.name, deadline, row.state, calendar)
            engine_runner.run(case, actor, lambda engine, handlers: engine.update_data(
                definition, case.engine_state, facts, handlers))
        case.version += 1
    return changed


OVERDUE_PER_PAGE = 50


def overdue_for(user: User, page: int = 1, per_page: int = OVERDUE_PER_PAGE):
    """One page of running clocks past their due date in the head's department (all departments for
    admins), most overdue first: a ``filters.Page`` of (case, clock) pairs with the total count."""
    from .errors import Forbidden
    from .filters import Page
    if not user.has_role("head", "admin"):
        raise Forbidden("只有负责人可以查看超期督办清单")
    where = [CaseClock.state == "running", CaseClock.due_date < today(), Case.status == "active"]
    if not user.has_role("admin"):
        where.append(Case.department_id == user.department_id)
    joined = select(Case, CaseClock).join(CaseClock, CaseClock.case_id == Case.id).where(*where)
    total = db.session.execute(
        select(func.count()).select_from(CaseClock).join(Case, CaseClock.case_id == Case.id).where(*where)).scalar()
    rows = db.session.execute(joined.order_by(CaseClock.due_date, CaseClock.id)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=[(case, clock) for case, clock in rows], total=total, page=page, per_page=per_page)
