"""What every process's letters do with case data: code tables, dates and free text, and their errors.

The domain modules (``app/disclosure``, ``app/petition``) keep their own tables
and wording; the plumbing that turns raw case data into printable values is here
once, so a letter refuses bad data the same way whichever process it belongs to.
"""
from __future__ import annotations

import datetime


class UnknownCode(KeyError):
    """A code that is not in its table (a typo in case data or a form that drifted)."""


class LetterDataError(ValueError):
    """The case data lacks something the letter must state, or holds a value that cannot be printed."""


def table(*records) -> dict:
    """A code table: ``{record.code: record}`` in the order given."""
    return {record.code: record for record in records}


def lookup(codes: dict, code: str):
    """Return ``codes[code]``; raise :class:`UnknownCode` naming the valid codes otherwise."""
    try:
        return codes[code]
    except (KeyError, TypeError):
        raise UnknownCode(f"unknown code {code!r}; expected one of {', '.join(codes)}") from None


def record(codes: dict, code, key: str):
    """The record of ``code`` in ``codes`` for the case-data ``key`` (None stays None)."""
    if code is None:
        return None
    try:
        return lookup(codes, code)
    except UnknownCode as error:
        raise LetterDataError(f"{key}: {error.args[0]}") from None


def as_date(value, key: str):
    """A date from a date, a datetime or an ISO string (a time part is ignored)."""
    if value is None or (isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)):
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise LetterDataError(f"{key}: expected a date (YYYY-MM-DD), got {value!r}") from None


def paragraphs(text) -> list[str]:
    """Free text as a list of its non-empty lines: each becomes its own paragraph, so breaks are kept."""
    if not text:
        return []
    return [line.strip() for line in str(text).splitlines() if line.strip()]


def one_line(text):
    """Free text quoted inside a sentence: line breaks become spaces."""
    if text is None:
        return None
    return " ".join(str(text).split()) or None


def checked_data(kinds: dict, kind: str, case_data: dict, agency: dict,
                 agency_keys=("name",)) -> tuple[dict, dict]:
    """``(spec, data)`` for a letter of ``kind``: its entry in ``kinds`` and the case data without blanks.

    Refuses an unknown kind, and a letter whose ``spec["required"]`` keys or
    ``agency_keys`` of the agency are missing: a letter never goes out with a gap.
    """
    spec = kinds.get(kind)
    if spec is None:
        raise LetterDataError(f"unknown letter kind {kind!r}; expected one of {', '.join(kinds)}")
    data = {key: value for key, value in case_data.items() if value not in (None, "", [], ())}
    missing = [key for key in spec["required"] if key not in data]
    missing += [f"agency.{key}" for key in agency_keys if not agency.get(key)]
    if missing:
        raise LetterDataError(f"{kind} letter needs {', '.join(missing)}")
    return spec, data


def heading(kind: str, spec: dict, agency: dict, *, document_number: str, tracking_number: str,
            issued_on: datetime.date) -> dict:
    """The part of every letter's context above and below its body (GB/T 9704 header and signature)."""
    return {"kind": kind, "title_lines": [agency["name"], spec["title_suffix"]],
            "document_number": document_number, "tracking_number": tracking_number,
            "issued_on": issued_on, "signatory": agency["name"]}
