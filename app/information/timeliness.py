"""Time limits of urgent incident reports (紧急突发): parsing the recorded times and judging the first report.

Times are typed as ``YYYY-MM-DD HH:MM`` in the office's time zone (what a duty officer writes in the log).
"""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from flask import current_app

from app.information import settings

FORMAT = "%Y-%m-%d %H:%M"
FORMAT_HELP = "请按“年-月-日 时:分”填写，例如 2026-03-02 14:30"


def now_text() -> str:
    """Now in the office's time zone, as the forms write times."""
    return datetime.datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).strftime(FORMAT)


def parse(text) -> datetime.datetime | None:
    """The moment ``text`` names (office time zone), or None when it is not a real time in the format."""
    try:
        moment = datetime.datetime.strptime(str(text).strip().replace("T", " "), FORMAT)
    except ValueError:
        return None
    return moment.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def _minutes(since: datetime.datetime, until: datetime.datetime) -> int:
    return int((until - since).total_seconds() // 60)


def judge(event_at: datetime.datetime, phoned_at: datetime.datetime | None,
          written_at: datetime.datetime) -> tuple[bool, str]:
    """``(late, reason)`` for an urgent incident: the first report (a recorded phone call, else the written
    report) within the first-report limit, and the written report within its own limit."""
    limits, reasons = settings.urgent_limits(), []
    first = phoned_at or written_at
    how = "电话首报" if phoned_at else "首报（无电话报告记录，以书面报告计）"
    if _minutes(event_at, first) > limits["first_report_minutes"]:
        reasons.append(f"事件发生后{_minutes(event_at, first)}分钟才{how}，超过{limits['first_report_minutes']}分钟的时限")
    if _minutes(event_at, written_at) > limits["written_report_minutes"]:
        reasons.append(f"事件发生后{_minutes(event_at, written_at)}分钟才书面报告，"
                       f"超过{limits['written_report_minutes']}分钟的时限")
    return bool(reasons), "；".join(reasons)
