"""A petition and its review cases, linked both ways (XF 35–36).

A review request names the case it contests (``review_of``) and the original petition (``petition_number``).
The deciding body reads what it reviews: whoever may read a review case may read the cases it names, so the
reviewer opens the original petition and its opinion from the review task. Confidential fields stay hidden
all the same (:mod:`app.services.reading` decides per reader).
"""
from __future__ import annotations

from sqlalchemy import or_, select

from app.extensions import db
from app.models import Case

REVIEW_PROCESS = "petition_review"


def _reviews_naming(case: Case) -> list[Case]:
    number = case.tracking_number
    return list(db.session.execute(select(Case).where(
        Case.process_key == REVIEW_PROCESS,
        or_(Case.data["review_of"].as_string() == number, Case.data["petition_number"].as_string() == number))
        .order_by(Case.id)).scalars())


def _by_number(number) -> Case | None:
    if not number:
        return None
    return db.session.execute(select(Case).where(Case.tracking_number == str(number))).scalar_one_or_none()


def linked_readable(user, case: Case) -> bool:
    """Whether ``user`` reads ``case`` because they may read a review case that names it."""
    from app.services import access
    return any(access.can_view_case(user, review, follow_links=False) for review in _reviews_naming(case))


def related_cases(case: Case) -> list[tuple[str, Case]]:
    """``(relation, case)`` for every case linked to ``case``: what it reviews, and the reviews of it."""
    related = []
    if case.process_key == REVIEW_PROCESS:
        reviewed = _by_number(case.data.get("review_of"))
        petition = _by_number(case.data.get("petition_number"))
        if reviewed is not None:
            related.append(("被复查的信访事项" if reviewed.process_key != REVIEW_PROCESS else "被复核的复查", reviewed))
        if petition is not None and petition is not reviewed:
            related.append(("原信访事项", petition))
    for review in _reviews_naming(case):
        kind = "复核" if review.data.get("review_kind") == "re_review" else "复查"
        related.append((f"{kind}请求", review))
    return related
