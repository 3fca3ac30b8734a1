"""Information processing fees (信息处理费, 国办函〔2020〕109号《政府信息公开信息处理费管理办法》; GIO 42).

One method per application, never both:

- 按件 (per request): counted per applicant per calendar month. Up to 10 requests free; the 11th to the 30th
  ¥100 each; from the 31st on, each further block of 10 adds ¥100 per request (31–40 ¥200, 41–50 ¥300, …).
- 按量 (per volume): per application, by the pages (or equivalent) provided. Up to 30 pages free; the pages
  from 31 to 100 ¥10 each; from 101 to 200 ¥20 each; from 201 on ¥40 each (each rate applies to the pages
  in its band).

The applicant pays within 20 working days (the ``fee_payment`` clock); unpaid → not processed (annual
report row 六.2). Whether the payment period pauses the reply clock is the setting
``FEE_PAUSES_REPLY_CLOCK`` (default: paused; the national text does not settle it).
"""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import Case

METHODS = {"per_request": "按件计收", "per_volume": "按量计收"}
FREE_REQUESTS_PER_MONTH = 10
FREE_PAGES = 30
# (first page of the band, yuan per page), in order.
VOLUME_BANDS = ((31, 10), (101, 20), (201, 40))


def per_request_fee(nth_in_month: int) -> int:
    """The fee in yuan for the applicant's ``nth_in_month`` request of a calendar month (1 = the first)."""
    if nth_in_month < 1:
        raise ValueError("requests are counted from 1")
    if nth_in_month <= FREE_REQUESTS_PER_MONTH:
        return 0
    if nth_in_month <= 30:
        return 100
    return 100 * (2 + (nth_in_month - 31) // 10)


def per_volume_fee(pages: int) -> int:
    """The fee in yuan for one application providing ``pages`` pages (each band at its own rate)."""
    if pages < 0:
        raise ValueError("pages cannot be negative")
    total = 0
    bounds = [first for first, _ in VOLUME_BANDS[1:]] + [None]
    for (first, rate), next_first in zip(VOLUME_BANDS, bounds):
        last = pages if next_first is None else min(pages, next_first - 1)
        if last >= first:
            total += (last - first + 1) * rate
    return total


def applicant_key(data: dict) -> tuple[str, str] | None:
    """Who the applicant is, for counting per applicant: the organisation's credit code or the ID number."""
    if data.get("org_credit_code"):
        return ("org_credit_code", str(data["org_credit_code"]).strip().upper())
    if data.get("id_number"):
        return ("id_number", str(data["id_number"]).strip().upper())
    return None


def nth_request_in_month(case: Case) -> int:
    """Which request of its calendar month this is for the applicant (by legal receipt date, then number)."""
    data = case.data or {}
    key = applicant_key(data)
    received_on = date.fromisoformat(str(data["received_on"]))
    if key is None:
        return 1
    month_start = received_on.replace(day=1)
    field = Case.data[key[0]].as_string()
    received = Case.data["received_on"].as_string()
    earlier = db.session.execute(select(func.count()).select_from(Case).where(
        Case.process_key == case.process_key, Case.id != case.id, func.upper(field) == key[1],
        received >= month_start.isoformat(), received <= received_on.isoformat(),
        (received < received_on.isoformat()) | (Case.id < case.id))).scalar()
    return earlier + 1


def assess_fee(case: Case, method: str, pages=None) -> dict:
    """The fee for ``case`` by ``method`` (the ``assess_fee`` service task): the case data it publishes."""
    if method == "per_request":
        nth = nth_request_in_month(case)
        amount, basis = per_request_fee(nth), f"本月第{nth}件申请"
    elif method == "per_volume":
        try:
            pages = int(pages)
        except (TypeError, ValueError):
            raise ValueError("按量计收须填写页数") from None
        amount, basis = per_volume_fee(pages), f"共{pages}页"
    else:
        raise ValueError(f"unknown fee method {method!r}")
    return {"fee_amount": amount, "fee_basis": basis,
            "fee_pauses_reply": bool(current_app.config.get("FEE_PAUSES_REPLY_CLOCK", True))}
