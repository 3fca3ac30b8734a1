"""The office's bulletin 《政务信息》: an issue (期) collects the items adopted for the bulletin (本级刊物采用)
that no earlier issue carried, numbered without gaps per year, and is kept as the PDF it was issued as."""
from __future__ import annotations

import hashlib

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.information import scores
from app.letters.render import html_to_pdf, render_html
from app.letters.values import paragraphs
from app.models import Case, InformationBulletin, InformationItem
from app.services.clock import today
from app.services.cases import command
from app.services.errors import Forbidden, Invalid, NotFound
from app.services.numbers import next_number


def pending() -> list[tuple[InformationItem, Case]]:
    """Items adopted for the bulletin and not yet in an issue, in order of submission."""
    rows = db.session.execute(select(InformationItem, Case).join(Case, Case.id == InformationItem.case_id).where(
        InformationItem.outcome == "adopted", InformationItem.bulletin_id.is_(None))
        .order_by(InformationItem.submitted_on, InformationItem.id)).all()
    return [(item, case) for item, case in rows if "local" in (item.adopted_in or [])]


@command
def issue(user) -> InformationBulletin:
    """Issue the next number of the bulletin with every pending item; one transaction (a failed render uses no
    number)."""
    if not scores.is_editor(user):
        raise Forbidden("只有信息编辑可以编发《政务信息》")
    items = pending()
    if not items:
        raise Invalid("没有待编入《政务信息》的采用信息")
    day, agency = today(), current_app.config["AGENCY"]
    number = next_number(f"{agency['code']}:政务信息", day.year)
    pdf = render(day.year, number, day, items, agency)
    bulletin = InformationBulletin(year=day.year, number=number, issued_on=day, content=pdf,
                                   sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), created_by_id=user.id)
    db.session.add(bulletin)
    db.session.flush()
    for item, _ in items:
        item.bulletin_id = bulletin.id
    db.session.commit()
    return bulletin


def render(year: int, number: int, issued_on, items, agency: dict) -> bytes:
    """The issue as PDF bytes, through the letters' WeasyPrint renderer."""
    entries = [{"title": (case.data or {}).get("title", item.title), "department": item.department.name,
                "paragraphs": paragraphs((case.data or {}).get("edited_body") or (case.data or {}).get("body", ""))}
               for item, case in items]
    html = render_html("information/letters/bulletin.html", {
        "agency": agency, "year": year, "number": number, "issued_on": issued_on, "entries": entries,
        "title_lines": ["政务信息"]})
    return html_to_pdf(html)


def issues() -> list[InformationBulletin]:
    return list(db.session.execute(select(InformationBulletin).order_by(
        InformationBulletin.year.desc(), InformationBulletin.number.desc())).scalars())


def get(user, bulletin_id: int) -> InformationBulletin:
    scores.require_reader(user)
    found = db.session.get(InformationBulletin, bulletin_id)
    if found is None:
        raise NotFound("该期《政务信息》不存在")
    return found
