"""Likely duplicates of a petition (重复信访, XF 19): the earlier petitions of the same person on the same matter.

The scoring is pure (two case-data dicts in, a score and its reasons out) so it can be measured on a fixture
(tests/test_petition_duplicates.py prints precision and recall); :func:`suggestions` is the query around it.

A duplicate is the same petitioner raising the same matter again, so a suggestion needs both:
- identity: the ID number after normalisation (spaces, dashes, a lower-case ``x``, and an old 15-digit number
  against its 18-digit successor), else the name (typos allowed) together with the phone number;
- content: subject and content compared as character strings (typos) and as sets of character bigrams
  (paraphrases reorder words; Chinese has no spaces to tokenise on), with RapidFuzz.
Someone else's petition on the same matter is not a repeat of this petitioner's (a neighbour may complain
about the same building site), and the same person's unrelated matter is not one either.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

IDENTITY_WEIGHT, CONTENT_WEIGHT = 0.5, 0.5
# A suggestion is shown at or above THRESHOLD (measured on the fixture of tests/test_petition_duplicates.py).
# With the weights above that means: the same ID number and content at least 30 % alike (paraphrases of one
# matter score 0.35–0.6, different matters of one person below 0.2); name and phone and 35 %; a phone or a
# name alone needs near-identical text; someone else's petition is never suggested (0.5 at most).
THRESHOLD = 0.65
MIN_CONTENT = 0.3  # below this the matter is different, whoever raised it
MAX_SUGGESTIONS = 5
MAX_CANDIDATES = 5000  # newest petitions compared per check (RapidFuzz scores thousands in milliseconds)

_ID_JUNK = re.compile(r"[\s\-－_·.]")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Match:
    score: float
    identity: float
    content: float
    reasons: tuple[str, ...]


def normalise_id(value) -> str:
    """An ID number as compared: no separators, upper-case check letter; 18-digit resident IDs are
    reduced to their 15-digit form (area code, two-digit year, date, sequence), which both formats share."""
    text = _ID_JUNK.sub("", str(value or "")).upper()
    if len(text) == 18 and text[:17].isdigit() and text[6:8] in ("18", "19", "20"):
        return text[:6] + text[8:17]
    return text


def normalise_phone(value) -> str:
    digits = re.sub(r"\D", "", str(value or ""))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def _name(value) -> str:
    return _PUNCT.sub("", str(value or ""))


def _text(data: dict) -> str:
    return _PUNCT.sub("", f"{data.get('subject') or ''}{data.get('content') or ''}")


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def identity_score(a: dict, b: dict) -> tuple[float, list[str]]:
    id_a, id_b = normalise_id(a.get("id_number")), normalise_id(b.get("id_number"))
    if id_a and id_b:
        if id_a == id_b:
            return 1.0, ["身份证件号码相同"]
        # Two different ID numbers are two different people, whatever the names say.
        return 0.0, []
    name_a, name_b = _name(a.get("petitioner_name")), _name(b.get("petitioner_name"))
    phone_a, phone_b = normalise_phone(a.get("contact_phone")), normalise_phone(b.get("contact_phone"))
    same_phone = bool(phone_a) and phone_a == phone_b
    if not (name_a and name_b):
        return (0.6, ["联系电话相同"]) if same_phone else (0.0, [])
    name = Indel.normalized_similarity(name_a, name_b)
    if name == 1.0 and same_phone:
        return 0.95, ["姓名和联系电话相同"]
    if same_phone and (name >= 0.5 or name_a[0] == name_b[0]):
        # One mistyped character of a two- or three-character name, same surname, same phone.
        return 0.85, ["联系电话相同，姓名相近"]
    if name == 1.0:
        return 0.6, ["姓名相同"]
    if same_phone:
        return 0.5, ["联系电话相同"]
    return 0.0, []


def content_score(a: dict, b: dict) -> float:
    text_a, text_b = _text(a), _text(b)
    if not text_a or not text_b:
        return 0.0
    grams_a, grams_b = _bigrams(text_a), _bigrams(text_b)
    dice = 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))
    subject = fuzz.ratio(_name(a.get("subject")), _name(b.get("subject"))) / 100
    whole = fuzz.ratio(text_a, text_b) / 100
    return max(dice, whole, 0.5 * subject + 0.5 * dice)


def score(new: dict, earlier: dict) -> Match:
    """How likely ``earlier`` (case data) is the matter ``new`` raises again, by the same petitioner."""
    identity, reasons = identity_score(new, earlier)
    content = content_score(new, earlier)
    total = IDENTITY_WEIGHT * identity + CONTENT_WEIGHT * content if content >= MIN_CONTENT else 0.0
    return Match(round(total, 3), identity, round(content, 3),
                 tuple(reasons + [f"内容相似度 {round(content * 100)}%"]))


def rank(new: dict, candidates, threshold: float = THRESHOLD, limit: int = MAX_SUGGESTIONS):
    """``[(candidate, Match)]`` at or above ``threshold``, best first; ``candidates`` are ``(key, data)``."""
    # Without enough identity even identical text cannot reach the threshold: skip the text comparison.
    reachable = (threshold - CONTENT_WEIGHT) / IDENTITY_WEIGHT
    scored = [(key, score(new, data)) for key, data in candidates if identity_score(new, data)[0] >= reachable]
    found = [(key, m) for key, m in scored if m.score >= threshold]
    found.sort(key=lambda pair: -pair[1].score)
    return found[:limit]


# -- the query ----------------------------------------------------------------------------------------------

def suggestions(user, case) -> list[dict]:
    """The ranked likely duplicates of ``case`` among the earlier petitions ``user`` may read."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Case
    from app.services import access

    rows = db.session.execute(
        select(Case.id, Case.tracking_number, Case.status, Case.data, Case.created_at)
        .where(Case.process_key == case.process_key, Case.id != case.id, Case.id < case.id,
               access.visible_cases_clause(user))
        .order_by(Case.id.desc()).limit(MAX_CANDIDATES)).all()
    by_id = {row.id: row for row in rows}
    ranked = rank(case.data, [(row.id, row.data or {}) for row in rows])
    return [{
        "case_id": key, "tracking_number": by_id[key].tracking_number,
        "label": (by_id[key].data or {}).get("subject") or "", "status": by_id[key].status,
        "received_on": (by_id[key].data or {}).get("received_on"),
        "score": match.score, "reasons": list(match.reasons),
    } for key, match in ranked]
