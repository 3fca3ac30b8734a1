"""What information submission adds to the generic commands, reached through :mod:`app.families`.

``check_start``: the submitting department is the registering officer's (revisions and follow-up reports go back
to it); the recorded times must be real times, in order and not in the future; an urgent incident's first report
is judged against the office's time limits (:mod:`app.information.timeliness`) and a late one is flagged.
"""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from flask import current_app

from app.information import codes, timeliness

_TIMES = {"submitted_at": "报送时间", "event_occurred_at": "事件发生时间", "phone_reported_at": "电话首报时间"}


def check_start(user, data: dict) -> tuple[dict, dict]:
    if user.department is None:
        return {}, {"_form": "政务信息须由所属部门报送：您的账号没有所属部门"}
    errors, moments = {}, {}
    derived = {"submitting_department": user.department.code,
               "submitted_at": str(data.get("submitted_at") or timeliness.now_text())}
    now = datetime.datetime.now(ZoneInfo(current_app.config["TIMEZONE"]))
    for key, label in _TIMES.items():
        raw = derived[key] if key == "submitted_at" else data.get(key)
        if raw in (None, ""):
            continue
        moment = timeliness.parse(raw)
        if moment is None:
            errors[key] = f"“{label}”不是有效的时间：{timeliness.FORMAT_HELP}"
        elif moment > now + datetime.timedelta(minutes=1):
            errors[key] = f"“{label}”不能晚于现在"
        else:
            moments[key] = moment
    if errors:
        return derived, errors
    event = moments.get("event_occurred_at")
    for key in ("phone_reported_at", "submitted_at"):
        if event and key in moments and moments[key] < event:
            errors[key] = f"“{_TIMES[key]}”不能早于事件发生时间"
    if errors:
        return derived, errors
    if data.get("info_type") == codes.URGENT:
        late, reason = timeliness.judge(event, moments.get("phone_reported_at"), moments["submitted_at"])
        derived.update({"first_report_late": late, "late_reason": reason, "incident_closed": False})
    else:
        derived.update({"first_report_late": False, "late_reason": "", "incident_closed": True})
    return derived, {}
