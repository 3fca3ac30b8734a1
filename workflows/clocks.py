"""Statutory clocks: a ledger of events per time limit, and its due date.

A :class:`Clock` is a legal time limit (unit, limit, at most one extension)
plus the ledger of what happened to it, in time order.  :func:`compute` turns
a clock, a :class:`~workflows.calendar.WorkCalendar` and today's date into a
:class:`Deadline`: the due date, whether it is provisional, the state, and a
step-by-step explanation in plain Chinese for officers and applicants.

Counting rules (DOMAIN.md 1, 2.2, 2.3, 4), which callers may rely on:

* The start day is day 0; the limit ends at the close of the N-th working
  (or calendar) day after it.
* Pause: the days counted before the pause are used up, and the pause day
  itself counts as used; days while paused do not count; on resume the days
  that remain run again with the resume day as day 0.  A pause recorded after
  the limit had already run out changes nothing.
* Restart (e.g. corrected application received, GIO 30): everything before it
  is discarded and the full limit runs from the restart day as day 0.
* Extension (at most one): its days are added after the due date is computed,
  so the extended due date is the due date plus N (working) days.
* Promise: a due date stated in a letter (e.g. the 延期答复告知书) is a commitment; when a later
  calendar publication moves the computed date past it, the promised date stands (DOMAIN.md 2.3).
* Set due (GIO 35): a reasonable later deadline fixed and notified by the office replaces the
  computed one.  A restart discards promises and fixed dates with everything else.
* Everything here is pure; the application stores the ledger and re-runs
  :func:`compute` whenever the ledger or the calendar changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from workflows.calendar import WorkCalendar

WORKING, CALENDAR = "working", "calendar"
GIO = "《政府信息公开条例》"
XF = "《信访工作条例》"


class ClockError(ValueError):
    """A ledger entry the law or the ledger's order does not allow (message in Chinese)."""


def _as_date(value: date) -> date:
    # datetime is a subclass of date but does not compare with it.
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class Start:
    on: date
    # The limit in days when each case sets its own (e.g. a supervision item's deadline, fixed at
    # registration); None: the limit of the clock's kind.
    days: int | None = None


@dataclass(frozen=True)
class Pause:
    on: date
    reason: str  # what is awaited, e.g. "征求第三方意见"
    basis: str = ""  # the rule that takes this time out of the limit


@dataclass(frozen=True)
class Resume:
    on: date
    note: str = "恢复计算"  # e.g. "收到答复"


@dataclass(frozen=True)
class Restart:
    """The full limit runs again from ``on``.  An extension granted before it is
    discarded with everything else, but still counts as the case's one extension."""

    on: date
    reason: str  # e.g. "收到补正后的申请"


@dataclass(frozen=True)
class Extend:
    on: date
    reason: str
    days: int | None = None  # None: the full extension the clock allows


@dataclass(frozen=True)
class Stop:
    on: date


@dataclass(frozen=True)
class Promise:
    """A letter issued on ``on`` told the applicant the limit ends on ``until``: it never ends later."""

    on: date
    until: date
    reason: str = ""  # the letter, e.g. "延期答复告知书"


@dataclass(frozen=True)
class SetDue:
    """The office fixed a later deadline ``until`` and told the applicant (GIO 35)."""

    on: date
    until: date
    reason: str = ""
    basis: str = ""


Entry = Start | Pause | Resume | Restart | Extend | Stop | Promise | SetDue


def third_party_pause(on: date) -> Pause:
    return Pause(on, "征求第三方意见", f"{GIO}第三十二条、第三十三条")


def agency_consultation_pause(on: date) -> Pause:
    return Pause(on, "征求其他机关意见", f"{GIO}第三十三条、第三十四条")


def fee_pause(on: date) -> Pause:
    # Not settled in the national text (DOMAIN 2.6): the application decides
    # whether to record this pause at all; the default setting is to pause.
    return Pause(on, "等待申请人缴纳信息处理费", "国办函〔2020〕109号及本机关规定")


@dataclass(frozen=True)
class Clock:
    """One statutory time limit and its ledger.  Immutable: :meth:`add` returns a new clock."""

    name: str  # e.g. "答复期限"
    unit: str  # WORKING or CALENDAR
    limit: int
    basis: str  # the article that sets the limit
    start_label: str = "开始计算"  # what happened on day 0, e.g. "收到申请"
    extension: int | None = None
    extension_basis: str = ""
    extension_rule: str = ""  # the rule's words, quoted when a second extension is refused
    entries: tuple = ()

    def __post_init__(self):
        if self.unit not in (WORKING, CALENDAR):
            raise ValueError(f"unknown unit {self.unit!r}")
        if self.limit < 0 or (self.extension is not None and self.extension <= 0):
            raise ValueError("limit and extension must be positive")

    @property
    def state(self) -> str:
        """``new``, ``running``, ``paused`` or ``stopped``, from the ledger alone."""
        state = "new"
        for entry in self.entries:
            if isinstance(entry, Stop):
                return "stopped"
            if isinstance(entry, Pause):
                state = "paused"
            elif isinstance(entry, (Start, Resume, Restart)):
                state = "running"
        return state

    @property
    def extended(self) -> bool:
        return any(isinstance(e, Extend) for e in self.entries)

    def add(self, entry: Entry) -> "Clock":
        """A new clock with ``entry`` appended; raises :class:`ClockError` if it is not allowed."""
        entry = replace(entry, on=_as_date(entry.on))
        if isinstance(entry, (Promise, SetDue)):
            entry = replace(entry, until=_as_date(entry.until))
            if entry.until < entry.on:
                raise ClockError(f"{self.name}的日期{_full(entry.until)}早于登记日期{_full(entry.on)}")
        state = self.state
        if state == "stopped":
            raise ClockError(f"{self.name}已停止计算，不能再登记")
        if isinstance(entry, Start) != (state == "new"):
            raise ClockError(f"{self.name}尚未开始计算" if state == "new" else f"{self.name}已经开始计算")
        if self.entries and entry.on < self.entries[-1].on:
            raise ClockError(f"登记日期{_full(entry.on)}早于上一条记录（{_full(self.entries[-1].on)}）")
        if isinstance(entry, Pause) and state == "paused":
            raise ClockError(f"{self.name}已在暂停中，不能再次暂停")
        if isinstance(entry, Resume) and state != "paused":
            raise ClockError(f"{self.name}未暂停，无需恢复计算")
        if isinstance(entry, Extend):
            self._check_extension(entry)
        if isinstance(entry, Start) and entry.days is not None:
            if isinstance(entry.days, bool) or not isinstance(entry.days, int) or entry.days < 0:
                raise ClockError(f"{self.name}的天数无效：{entry.days!r}")
            return replace(self, limit=entry.days, entries=self.entries + (entry,))
        return replace(self, entries=self.entries + (entry,))

    def _check_extension(self, entry: Extend) -> None:
        if self.extension is None:
            raise ClockError(f"{self.name}依法不得延长（{self.basis}）")
        if self.extended:
            raise ClockError(f"{self.name}只能延长一次：{self.extension_basis}规定{self.extension_rule}")
        if entry.days is not None and not 0 < entry.days <= self.extension:
            raise ClockError(
                f"{self.name}最多延长{self.extension}{_noun(self.unit)}（{self.extension_basis}）"
            )


@dataclass(frozen=True)
class Deadline:
    """The result of :func:`compute`.

    ``state`` is ``running``, ``paused`` (due_date is then the date it would
    fall due if resumed today), ``met`` (stopped on or before due_date), or
    ``overdue`` (today is after due_date and it is still open, or it was
    stopped after due_date: the deadline was not met; the explanation says
    by how much).
    ``depends_on_years`` are the years whose holidays the result depends on:
    recompute when one of them is published or edited.
    """

    due_date: date
    provisional: bool
    state: str
    explanation: list[str] = field(default_factory=list)
    depends_on_years: frozenset = frozenset()


def _full(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _pair(a: date, b: date) -> tuple[str, str]:
    """Two dates for one sentence: month and day only when they share a year."""
    if a.year == b.year:
        return f"{a.month}月{a.day}日", f"{b.month}月{b.day}日"
    return _full(a), _full(b)


def _noun(unit: str) -> str:
    return "个工作日" if unit == WORKING else "日"


def _span(first: date, last: date) -> str:
    return "至".join(_pair(first, last)) if first != last else _pair(first, last)[0]


def _holiday_note(calendar: WorkCalendar, a: date, b: date) -> str | None:
    """One sentence on the holiday breaks and make-up days in (a, b], or None if there are none."""
    parts = []
    breaks = [f"{'、'.join(names)}放假（{_span(first, last)}）" for first, last, names in calendar.holidays_between(a, b)]
    if breaks:
        parts.append("、".join(breaks) + "不计")
    if makeups := calendar.makeup_days_between(a, b):
        same_year = makeups[0].year == makeups[-1].year
        parts.append("、".join(f"{d.month}月{d.day}日" if same_year else _full(d) for d in makeups) + "为调休工作日，计入")
    return "其间" + "；".join(parts) if parts else None


def compute(clock: Clock, calendar: WorkCalendar, today: date) -> Deadline:
    """The due date of ``clock`` as of ``today``, with the reasons; pure and deterministic."""
    if not clock.entries:
        raise ClockError(f"{clock.name}尚未开始计算")
    today, unit, noun = _as_date(today), clock.unit, _noun(clock.unit)
    add = calendar.add_working_days if unit == WORKING else calendar.add_calendar_days
    count = calendar.working_days_between if unit == WORKING else (lambda a, b: (b - a).days)

    def note(a: date, b: date) -> None:
        ranges.append((a, b))
        if unit == WORKING and (sentence := _holiday_note(calendar, a, b)):
            lines.append(sentence)

    start = clock.entries[0].on
    lines = [f"{_full(start)}{clock.start_label}（第0日）"]
    if unit == WORKING and not calendar.is_working(start):
        holiday = calendar.day(start).name
        lines[0] += f"，当日为{holiday + '假日' if holiday else '休息日'}，从下一个工作日起计算"
    anchor, remaining, extra, resumed, extension = start, clock.limit, 0, False, None
    ranges: list[tuple[date, date]] = []
    pause, pause_ignored, stop, stopped_paused = None, False, None, False
    promise, fixed = None, None
    for entry in clock.entries[1:]:
        if isinstance(entry, Promise):
            promise = entry
            continue
        if isinstance(entry, SetDue):
            fixed = entry
            continue
        if isinstance(entry, Pause):
            pause, due_now = entry, add(anchor, remaining + extra)
            pause_ignored = entry.on > due_now
            if pause_ignored:
                lines.append(f"{_full(entry.on)}起{entry.reason}，但期限已于{_full(due_now)}届满，暂停不影响到期日")
                continue
            # The pause day counts as used (the office worked on it); the resume
            # day is day 0 of what remains, so no day is counted twice or lost.
            used = count(anchor, entry.on)
            remaining -= used
            lines.append(f"至{_full(entry.on)}已用{used}{noun}（暂停当日计入），尚余{remaining + extra}{noun}")
            note(anchor, entry.on)
        elif isinstance(entry, (Resume, Stop)) and pause is not None:
            since, until = _pair(pause.on, entry.on)
            what = entry.note if isinstance(entry, Resume) else "停止计算时仍在暂停中"
            if not pause_ignored:
                basis = f"（{pause.basis}）" if pause.basis else ""
                lines.append(f"{since}起{pause.reason}，至{until}{what}，其间不计入{clock.name}{basis}")
                anchor, resumed = entry.on, True
                stopped_paused = isinstance(entry, Stop)
            pause, pause_ignored = None, False
        elif isinstance(entry, Restart):
            # GIO 30: the limit runs from the corrected application; what came before no longer matters.
            lines = [lines[0], f"{_full(entry.on)}{entry.reason}，{clock.name}自当日起重新计算（第0日）"]
            anchor, remaining, extra, resumed, ranges = entry.on, clock.limit, 0, False, []
            pause, pause_ignored, promise, fixed = None, False, None, None
        elif isinstance(entry, Extend):
            if pause is None and entry.on > (old_due := add(anchor, remaining + extra)):
                lines.append(f"注意：延长决定（{_full(entry.on)}）晚于原到期日（{_full(old_due)}）")
            extra, extension = entry.days or clock.extension, entry
        if isinstance(entry, Stop):
            stop = entry

    if pause is not None and not pause_ignored:
        resume_on = max(today, pause.on)
        due = add(resume_on, remaining + extra)
        ranges.append((resume_on, due))
        lines.append(
            f"{_full(pause.on)}起{pause.reason}，目前暂停计算，尚余{remaining + extra}{noun}；"
            f"如{_full(resume_on)}恢复计算，将于{_full(due)}到期"
        )
    elif stopped_paused:  # stopped while paused: it was stopped with days to spare
        due = add(anchor, remaining + extra)
        ranges.append((anchor, due))
    else:
        if remaining >= 0:
            base_due = add(anchor, remaining)
            how = f"自{_full(anchor)}（第0日）起计算余下的" if resumed else f"按{'工作日' if unit == WORKING else '自然日'}计算"
            lines.append(f"{how}{remaining}{noun}，至{_full(base_due)}")
            note(anchor, base_due)
            due = add(base_due, extra)
            if extra:
                why = f"（理由：{extension.reason}）" if extension.reason else ""
                lines.append(
                    f"{_full(extension.on)}经负责人同意延长{extra}{noun}{why}，至{_full(due)}（{clock.extension_basis}）"
                )
                note(base_due, due)
        else:  # the base limit ran out before a pause: only extension days remain
            due = add(anchor, remaining + extra)
            lines.append(f"{_full(extension.on)}经负责人同意延长{extra}{noun}（{clock.extension_basis}）")
            lines.append(f"自{_full(anchor)}（第0日）起计算余下的延长期限{remaining + extra}{noun}，至{_full(due)}")
            note(anchor, due)

    if fixed is not None:
        basis = f"（{fixed.basis}）" if fixed.basis else ""
        lines.append(f"{_full(fixed.on)}{fixed.reason}，{clock.name}确定为{_full(fixed.until)}{basis}")
        due = fixed.until
    if promise is not None and promise.until < due:
        lines.append(f"{_full(promise.on)}已书面告知申请人于{_full(promise.until)}前办结（{promise.reason or '告知书'}），"
                     f"按日历推算的{_full(due)}晚于承诺日期，到期日以承诺日期为准")
        due = promise.until
    if stop is not None:
        late = count(due, stop.on)
        state = "overdue" if stop.on > due else "met"
        lines.append(f"{_full(stop.on)}办结，" + (f"超过期限{late}{noun}" if late > 0 else "在期限内"))
    elif pause is not None and not pause_ignored:
        state = "paused"
    elif today > due:
        state = "overdue"
        lines.append(f"已于{_full(due)}到期，截至{_full(today)}尚未办结，已逾期")
    else:
        state = "running"

    if unit != WORKING and stop is None and not calendar.is_working(due):
        # DOMAIN.md section 4 "Periods": the office's own calendar-day periods are strict; say so when the
        # last day is a rest day, so nobody counts on the next working day.
        rest = calendar.day(due).name
        lines.append(f"注意：到期日{_full(due)}为{rest + '假日' if rest else '休息日'}，本期限按自然日计算，不顺延")

    years: set[int] = set()
    if unit == WORKING:  # calendar-day limits do not depend on any holiday notice
        for a, b in ranges:
            years.update(range(a.year, b.year + 1))
    unpublished = sorted(y for y in years if y not in calendar.published_years)
    if unpublished:
        listed = "、".join(f"{y}年" for y in unpublished)
        lines.append(f"{listed}的节假日安排尚未公布，本期限按周末和固定节日推算，为暂定日期")
    return Deadline(due, bool(unpublished), state, lines, frozenset(years))


# Factories: one per statutory limit, each with its legal source.  Each returns a
# clock whose ledger already holds its Start entry.

def disclosure_correction(received_on: date) -> Clock:
    """补正告知: once, within 7 working days of receipt (GIO 30).  Not extendable."""
    return Clock("补正告知期限", WORKING, 7, f"{GIO}第三十条", "收到申请").add(Start(received_on))


def disclosure_reply(received_on: date) -> Clock:
    """Reply: 20 working days from receipt, extendable once by at most 20 (GIO 33).

    Consultation time is not counted (GIO 33 para. 2): record it with
    :func:`third_party_pause` / :func:`agency_consultation_pause`.  After a
    correction, :class:`Restart` on the day the corrected application arrives (GIO 30).
    """
    return Clock(
        "答复期限", WORKING, 20, f"{GIO}第三十三条", "收到申请", 20, f"{GIO}第三十三条",
        "需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日",
    ).add(Start(received_on))


def third_party_answer(sent_on: date) -> Clock:
    """Third party's opinion: within 15 working days (GIO 32).

    The article counts from the third party's receipt of the letter: pass that
    date when known, else the sending date (the earlier, safe side).
    """
    return Clock("第三方意见期限", WORKING, 15, f"{GIO}第三十二条", "发出征求意见书").add(Start(sent_on))


def fee_payment(notice_on: date) -> Clock:
    """Fee payment: 20 working days counted from the day after the fee notice (FEE).

    "From the day after" is day 0 being the notice day, so the clock starts on
    ``notice_on`` (the day the applicant receives the notice).
    """
    return Clock("缴费期限", WORKING, 20, "国办函〔2020〕109号", "收到收费通知").add(Start(notice_on))


def petition_intake(received_on: date) -> Clock:
    """Accept, forward, assign or redirect: within 15 days of receipt (XF 22)."""
    return Clock("信访事项登记处理期限", CALENDAR, 15, f"{XF}第二十二条", "收到信访事项").add(Start(received_on))


def petition_handling(accepted_on: date) -> Clock:
    """Handling opinion: 60 days from acceptance, extendable once by at most 30 (XF 34)."""
    return Clock(
        "信访事项办理期限", CALENDAR, 60, f"{XF}第三十四条", "受理信访事项", 30, f"{XF}第三十四条",
        "情况复杂的，经本机关、单位负责人批准，可以适当延长办理期限，但延长期限不得超过30日",
    ).add(Start(accepted_on))


def petition_review(replied_on: date) -> Clock:
    """Request for 复查 (or 复核): within 30 days of receiving the written reply (XF 35, 36)."""
    return Clock("请求复查（复核）期限", CALENDAR, 30, f"{XF}第三十五条、第三十六条", "收到书面答复").add(Start(replied_on))


def petition_review_answer(requested_on: date) -> Clock:
    """Answer to a 复查 or 复核 request: within 30 days of receiving it (XF 35, 36)."""
    return Clock("复查（复核）答复期限", CALENDAR, 30, f"{XF}第三十五条、第三十六条", "收到复查（复核）请求").add(Start(requested_on))


DC = "《政府督查工作条例》"


def supervision_item(assigned_on: date, days: int | None = None) -> Clock:
    """A supervision item (督查事项): the deadline the registration sets, ``days`` after assignment.

    Extendable once with the head's approval, by the days between the old and the new due date; the request
    must come before the due date (DOMAIN.md section 5, practice: configurable, at most a year here).
    """
    return Clock(
        "督查事项办理期限", CALENDAR, 0, "督查事项交办要求", "交办督查事项", 366, "督查机构负责人批准",
        "确需延期的，应当在办理期限届满前提出申请，经督查机构负责人批准，延期以一次为限",
    ).add(Start(assigned_on, days))


def supervision_review(concluded_on: date) -> Clock:
    """Request for 复核 of a supervision conclusion: within 30 days (DC 17)."""
    return Clock("申请复核期限", CALENDAR, 30, f"{DC}第十七条", "作出督查结论").add(Start(concluded_on))


def proactive_publication(changed_on: date) -> Clock:
    """Proactive disclosure: publish within 20 working days of the information's creation or change (GIO 26).

    A change (更正) starts the clock again from the day of the change: the changed information is due in its
    turn 20 working days later. Not extendable: the article allows no extension.
    """
    return Clock("主动公开期限", WORKING, 20, f"{GIO}第二十六条", "政府信息形成或者变更").add(Start(changed_on))


# Lets the application rebuild a clock from a stored kind name and start date (and its days, if per case).
CLOCK_KINDS = {f.__name__: f for f in (
    disclosure_correction, disclosure_reply, third_party_answer, fee_payment,
    petition_intake, petition_handling, petition_review, petition_review_answer,
    supervision_item, supervision_review, proactive_publication)}
