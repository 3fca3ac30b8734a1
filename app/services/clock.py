"""The office's notion of "today" (business dates are in China Standard Time)."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def today() -> date:
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()
