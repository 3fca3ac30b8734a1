"""Review (复查) and re-review (复核) of a petition's handling opinion (XF 35–36), reached through :mod:`app.families`.

A request is a case of its own (process ``petition_review``, handled by the body one level up), linked by
tracking number: ``review_of`` names what is reviewed — the petition for a 复查, the 复查 case for a 复核 — and
``petition_number`` the original petition, so every step keeps its own history, clocks and letters.

- ``check_start``: when the request is recorded, the reviewed answer must exist, the request must come within
  30 days of the written answer (the ``petition_review`` clock), and the same answer is reviewed only once;
  the petitioner's details and the matter are copied from the petition.
- :func:`concluded_by_re_review`: a petition whose matter was re-reviewed is closed for good (XF 36.3).
"""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Case, Document
from app.petition import codes
from app.services import calendar
from workflows.clocks import compute, petition_review

PROCESS = "petition_review"
# What is reviewed, per kind of request: the process of the reviewed case and the letter that answered it.
_REVIEWED = {"review": ("petition", "handling_opinion"), "re_review": (PROCESS, "review_opinion")}
# Copied from the petition, so the review's letters and searches name the petitioner and the matter.
_COPIED = ("petitioner_name", "id_number", "contact_phone", "contact_address", "channel", "received_on",
           "category", "subject", "handling_department", "outcome")


def _case(tracking_number: str) -> Case | None:
    return db.session.execute(select(Case).where(Case.tracking_number == tracking_number)).scalar_one_or_none()


def _answer(case: Case, kind: str) -> Document | None:
    return db.session.execute(select(Document).where(Document.case_id == case.id, Document.kind == kind)
                              .order_by(Document.id.desc())).scalars().first()


def _issued_on(document: Document) -> date:
    return document.created_at.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def _reviews_of(tracking_number: str, kind: str | None = None, status: str | None = None) -> list[Case]:
    q = select(Case).where(Case.process_key == PROCESS, Case.data["review_of"].as_string() == tracking_number)
    if kind:
        q = q.where(Case.data["review_kind"].as_string() == kind)
    if status:
        q = q.where(Case.status == status)
    return list(db.session.execute(q).scalars())


def concluded_by_re_review(petition: Case) -> bool:
    """Whether a re-review (复核) of ``petition``'s matter has been answered: the matter is closed for good."""
    return bool(db.session.execute(select(Case.id).where(
        Case.process_key == PROCESS, Case.status == "completed",
        Case.data["petition_number"].as_string() == petition.tracking_number,
        Case.data["review_kind"].as_string() == "re_review")).first())


def check_start(user, data: dict) -> tuple[dict, dict]:
    """``(derived case data, {field: message})`` for a review request about to be registered."""
    kind = codes.REVIEW_KINDS[data["review_kind"]]
    link = str(data.get("review_of") or "").strip()
    process, answer_kind = _REVIEWED[kind.code]
    reviewed = _case(link)
    if reviewed is None or reviewed.process_key != process or (
            kind.code == "re_review" and reviewed.data.get("review_kind") != "review"):
        what = "信访事项" if kind.code == "review" else "复查"
        return {}, {"review_of": f"没有编号为 {link} 的{what}，{kind.label}请求应针对已作出答复的{what}"}
    answer = _answer(reviewed, answer_kind)
    if answer is None:
        return {}, {"review_of": f"{link} 尚未作出书面答复，不能请求{kind.label}"}
    if _reviews_of(link, kind.code):
        return {}, {"review_of": f"{link} 已经请求过{kind.label}，不能再次请求"}
    # 30 days from the petitioner's receipt of the answer when the office recorded it, else from its issue.
    received = reviewed.data.get("reply_received_on")
    answered_on = date.fromisoformat(received) if received else _issued_on(answer)
    requested_on = date.fromisoformat(str(data["requested_on"])[:10])
    if requested_on < answered_on:
        return {}, {"requested_on": f"收到请求的日期不能早于答复日期（{answered_on.isoformat()}）"}
    window = compute(petition_review(answered_on), calendar.current(), requested_on)
    if requested_on > window.due_date:
        return {}, {"requested_on": f"请求{kind.label}应自收到书面答复之日起30日内提出（{codes.XF}{kind.article}）："
                                    f"自{answered_on.isoformat()}起算的期限已于{window.due_date.isoformat()}届满"}
    petition = reviewed if kind.code == "review" else _case(reviewed.data["petition_number"])
    derived = {key: petition.data[key] for key in _COPIED if petition.data.get(key) not in (None, "")}
    derived.update({"review_of": link, "petition_number": petition.tracking_number,
                    "answered_on": answered_on.isoformat(), "request_due_date": window.due_date.isoformat()})
    return derived, {}

