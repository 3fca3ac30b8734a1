"""Record ids as they arrive in URLs and parameters.

Ids are 32-bit integers in the database (PostgreSQL ``integer``); a larger number, or a digit that is not
ASCII ("²", "١"), is simply no record: it must answer "not found", never reach the database (where it
overflows) or ``int()`` (where it raises).
"""
import re

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(value) -> int | None:
    """The id in ``value`` if it is a plain decimal number in the database's range, else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    text = str(value or "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_int(value, low: int = -MAX_ID, high: int = MAX_ID) -> int | None:
    """A plain decimal integer (optional sign) within ``low``..``high``, else None."""
    text = str(value or "").strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,10}", text):
        return None
    number = int(text)
    return number if low <= number <= high else None


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: ASCII digits only, and no larger than the database's ids (else 404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
