"""Local rules of information submission, as settings (local rules differ: DOMAIN.md "make them configurable").

``INFORMATION_SCORES`` (app config): points per outcome — each place an item was adopted (codes.ADOPTION_PLACES)
and ``late`` for an urgent item reported late (迟报, a negative number).
``INFORMATION_URGENT_LIMITS`` (app config): minutes after the event within which the first report (by phone,
recorded) and the written report of an urgent incident (紧急突发) must reach the office.
"""
from flask import current_app

DEFAULT_SCORES = {"local": 1, "superior": 3, "leader": 5, "late": -2}
DEFAULT_URGENT_LIMITS = {"first_report_minutes": 30, "written_report_minutes": 60}


def scores() -> dict[str, int]:
    return {**DEFAULT_SCORES, **current_app.config.get("INFORMATION_SCORES", {})}


def urgent_limits() -> dict[str, int]:
    return {**DEFAULT_URGENT_LIMITS, **current_app.config.get("INFORMATION_URGENT_LIMITS", {})}
