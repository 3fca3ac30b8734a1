"""Review (复查) and re-review (复核) of a petition's handling opinion (XF 35–36), reached through :mod:`app.families`.

A request is a case of its own (process ``petition_review``, handled by the body one level up), linked by
tracking number: ``review_of`` names what is reviewed — the petition for a 复查, the 复查 case for a 复核 — and
``petition_number`` the original petition, so every step keeps its own history, clocks and letters.

- ``check_start``: when the request is recorded, the reviewed answer must exist and be reviewed only once;
  the request must be the petitioner's own (the requester named with the request is the petitioner of the
  reviewed case — an officer cannot pull someone's identity into a review by typing a number); it is decided
  by the body one level above the body whose answer is contested (``deciding_body``: 复查 above the handling
  body, 复核 above the 复查 body), and only that body registers it; the request must come within 30 days of
  the petitioner's receipt of the answer (:func:`request_window`). The petitioner's details and the matter
  are copied from the petition.
- :func:`concluded_by_re_review`: a petition whose matter was re-reviewed is closed for good (XF 36.3).
"""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Case, Document
from app.petition import bodies, codes, confidentiality, duplicates
from app.petition.links import linked_readable, related_cases  # noqa: F401  (hooks, see app.families)
from app.services import calendar
from workflows.clocks import compute, petition_review

PROCESS = "petition_review"
# What is reviewed, per kind of request: the process of the reviewed case and the letter that answered it.
_REVIEWED = {"review": ("petition", "handling_opinion"), "re_review": (PROCESS, "review_opinion")}
# Copied from the petition, so the review's letters and searches name the petitioner and the matter.
_COPIED = ("petitioner_name", "id_number", "contact_phone", "contact_address", "channel", "received_on",
           "category", "subject", "content", "handling_department", "handling_unit", "outcome")


def _case(tracking_number: str) -> Case | None:
    return db.session.execute(select(Case).where(Case.tracking_number == tracking_number)).scalar_one_or_none()


def answer_of(case: Case, kind: str) -> Document | None:
    return db.session.execute(select(Document).where(Document.case_id == case.id, Document.kind == kind)
                              .order_by(Document.id.desc())).scalars().first()


def issued_on(document: Document) -> date:
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


def confidential_fields() -> tuple:
    """``((field, condition), …)`` confidential in every version of the review process."""
    return confidentiality.REVIEW_FIELDS


def _date(value) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def request_window(answer_issued_on: date, received_on: date | None, requested_on: date, posted_on: date | None,
                   work_calendar) -> tuple[date | None, dict]:
    """``(last day of the window or None, {field: message})`` for a request made on ``requested_on``.

    The petitioner's 30 days run from the day they received the answer (never from a day before it was
    issued); until that day is known the window has not begun, so no request is late. A last day that is not
    a working day (statutory holiday, weekend) moves to the next working day, and a request posted on or
    before the last day is in time (民法典 203, 民诉 85 by analogy; DOMAIN.md section 4 "Periods").
    """
    if received_on is not None and received_on < answer_issued_on:
        return None, {"answer_received_on": f"收到答复的日期不能早于答复的出具日期（{answer_issued_on.isoformat()}）"}
    made_on = posted_on or requested_on
    if made_on < answer_issued_on:
        field = "posted_on" if posted_on else "requested_on"
        return None, {field: f"收到请求的日期不能早于答复日期（{answer_issued_on.isoformat()}）"}
    if received_on is None:
        return None, {}
    last_day = compute(petition_review(received_on), work_calendar, made_on).due_date
    while not work_calendar.is_working(last_day):
        last_day += timedelta(days=1)
    return last_day, {}


def answering_body(kind: str, reviewed: Case):
    """The body whose answer a request of ``kind`` contests: the handling body, or the 复查 body."""
    if kind == "review":
        return bodies.body_of(bodies.department(reviewed.data.get("handling_unit")) or reviewed.department)
    return bodies.department(reviewed.data.get("deciding_body"))


def deciding_body(kind: str, reviewed: Case):
    """The body one level above the one whose answer is contested (XF 35–36); never that body itself."""
    answered_by = answering_body(kind, reviewed)
    body = bodies.superior(answered_by)
    if body is not None and answered_by is not None and body.id == answered_by.id:
        return None  # a hierarchy that loops back: no body may decide on its own answer
    return body


def _is_the_petitioner(data: dict, petition: Case) -> bool:
    asked = {"petitioner_name": data.get("requester_name"), "id_number": data.get("requester_id_number"),
             "contact_phone": data.get("requester_phone")}
    score, _ = duplicates.identity_score(asked, petition.data or {})
    # The same ID number, or (without one) the same name and phone.
    return score >= 0.95


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
    answer = answer_of(reviewed, answer_kind)
    if answer is None:
        return {}, {"review_of": f"{link} 尚未作出书面答复，不能请求{kind.label}"}
    petition = reviewed if kind.code == "review" else _case(reviewed.data["petition_number"])
    if not _is_the_petitioner(data, petition):
        # Said the same way whatever the mismatch, so the form is no oracle for someone's identity.
        return {}, {"requester_name": f"请求人与{link}的信访人不一致：{kind.label}只能由信访人本人就自己的信访事项提出"
                                      "（核对姓名和身份证件号码，无证件号码的核对姓名和联系电话）"}
    if _reviews_of(link, kind.code):
        return {}, {"review_of": f"{link} 已经请求过{kind.label}，不能再次请求"}
    body = deciding_body(kind.code, reviewed)
    if body is None:
        return {}, {"review_of": f"没有配置答复{link}的机关的上一级机关，无法受理{kind.label}请求"}
    # No officer registers an online request: ``user`` is None (a check) or the inactive account that stands for
    # the public (app.public), and the request is routed to the deciding body by ``deciding_body``.
    by_officer = user is not None and user.active
    if by_officer and (bodies.body_of(user.department) is None or bodies.body_of(user.department).id != body.id):
        return {}, {"review_kind": f"{link}的{kind.label}由{body.letterhead}决定（{codes.XF}{kind.article}），"
                                   f"请求应由该机关登记"}
    answer_issued_on = issued_on(answer)
    received_on = _date(data.get("answer_received_on")) or _date(reviewed.data.get("reply_received_on"))
    last_day, errors = request_window(answer_issued_on, received_on, _date(data["requested_on"]),
                                      _date(data.get("posted_on")), calendar.current())
    if errors:
        return {}, errors
    made_on = _date(data.get("posted_on")) or _date(data["requested_on"])
    if last_day is not None and made_on > last_day:
        return {}, {"requested_on": f"请求{kind.label}应自收到书面答复之日起30日内提出（{codes.XF}{kind.article}）："
                                    f"自{received_on.isoformat()}起算的期限已于{last_day.isoformat()}届满"}
    derived = {key: petition.data[key] for key in _COPIED if petition.data.get(key) not in (None, "")}
    derived.update({"review_of": link, "petition_number": petition.tracking_number,
                    "answered_on": answer_issued_on.isoformat(), "deciding_body": body.code,
                    "deciding_body_name": body.letterhead})
    if received_on is not None:
        derived.update({"answer_received_on": received_on.isoformat(), "request_due_date": last_day.isoformat()})
    return derived, {}


def check_submission(user, case, task, data: dict) -> tuple[dict, dict]:
    """``(derived case data, {field: message})`` for a task of a review case: a hearing (听证) belongs to a
    复核 and its time is not counted (XF 36.2: the answer clock pauses); it cannot end before it began."""
    if task.spec_name == "answer_review" and data.get("answer_action") == "hearing":
        if case.data.get("review_kind") != "re_review":
            return {}, {"answer_action": f"只有复核可以举行听证（{codes.XF}第三十六条第二款），复查请直接作出意见"}
        started = _date(data.get("hearing_started_on"))
        if started and started < _date(case.data.get("requested_on")):
            return {}, {"hearing_started_on": "听证开始日期不能早于收到复核请求的日期"}
    if task.spec_name == "record_hearing":
        started, ended = _date(case.data.get("hearing_started_on")), _date(data.get("hearing_ended_on"))
        if started and ended and ended < started:
            return {}, {"hearing_ended_on": f"听证结束日期不能早于开始日期（{started.isoformat()}）"}
    return {}, {}
