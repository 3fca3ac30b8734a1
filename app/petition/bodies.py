"""Which body (机关) a petition letter speaks for, and which body decides a review (XF 22–23, 35–36).

Bodies are departments with a letterhead; a department without one is an internal office of the nearest
ancestor that has one (``Department.parent`` is the body one level up, 上级机关). When no department in the
chain has a letterhead the configured agency (``AGENCY``) speaks, as before the hierarchy existed.

- :func:`body_of` — the body a department belongs to;
- :func:`superior` — the body one level up from a body: it decides a 复查 of that body's answer, and the
  body above that decides the 复核 (XF 35–36), so the same body never answers both;
- :func:`letterhead` — the ``agency`` mapping the letters print (name, document series prefix, contact);
- :func:`is_petition_office` — whether a department is (in) a 信访部门: its intake notices cite XF 22, any
  other body's XF 23.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Department

# A cycle in the configured hierarchy must not hang a request.
_MAX_DEPTH = 20


def department(code: str | None) -> Department | None:
    if not code:
        return None
    return db.session.execute(select(Department).where(Department.code == code)).scalar_one_or_none()


def body_of(dept: Department | None) -> Department | None:
    """The nearest of ``dept`` and its ancestors with a letterhead, or ``None`` (the configured agency)."""
    for _ in range(_MAX_DEPTH):
        if dept is None or dept.letterhead:
            return dept
        dept = dept.parent
    return None


def superior(body: Department | None) -> Department | None:
    """The body one level up from ``body``; ``None`` when there is none configured (or ``body`` is ``None``,
    the configured agency without a row of its own: it has no known superior)."""
    if body is None:
        return None
    return body_of(body.parent)


def letterhead(body: Department | None) -> dict:
    """The ``agency`` mapping of the letters for ``body``: its name, document series prefix and counter key
    (``code``). The configured agency's own row keeps the configured counter, so its numbers never restart."""
    agency = dict(current_app.config["AGENCY"])
    if body is None:
        return agency
    # Contact details are the configured office's unless the body is another one: then they are left out
    # rather than printing someone else's address under this body's name.
    same = body.letterhead == agency.get("name")
    return {**(agency if same else {}), "code": agency["code"] if same else body.code,
            "name": body.letterhead, "abbreviation": body.abbreviation or body.letterhead,
            "body_code": body.code}


def is_petition_office(dept: Department | None) -> bool:
    """Whether ``dept`` or one of the departments above it is a 信访部门."""
    for _ in range(_MAX_DEPTH):
        if dept is None:
            return False
        if dept.is_petition_office:
            return True
        dept = dept.parent
    return False
