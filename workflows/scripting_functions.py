"""What restricted BPMN expressions may call, and the size limits every operation obeys.

Everything a BPMN file can reach at run time is listed here: the registered
functions (:data:`FUNCTIONS`), the methods that may be called on case-data
values (:data:`METHODS`), the attributes that may be read (:data:`DATA_ATTRIBUTES`)
and the operators (:data:`OPERATORS`).  Operators and functions that could
build large values check the size of the result *before* building it, so a
hostile expression fails in microseconds instead of exhausting memory.
"""
import ast
import calendar
import math
import re
import operator as op
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import simpleeval

# Limits.  The simpleeval module globals are pinned explicitly (its own
# defaults) because simpleeval reads them at run time for string literals.
MAX_STRING_LENGTH = 100_000   # characters of a string / items of a built container
MAX_POWER = 4_000_000         # largest exponent simpleeval would accept
MAX_INT_BITS = 4_096          # integers beyond ~1,200 digits are refused
simpleeval.MAX_STRING_LENGTH = MAX_STRING_LENGTH
simpleeval.MAX_POWER = MAX_POWER


class ScriptRefused(Exception):
    """A BPMN expression or script does something the restricted engine does not allow."""


# -- size accounting --------------------------------------------------------
_NUMBERS = (int, float, Decimal)


def logical_size(value, budget=MAX_STRING_LENGTH):
    """Characters plus items of ``value``, shared references counted each time.

    Stops counting once ``budget`` is exceeded, so the cost is bounded too.
    """
    total, stack = 0, [value]
    while stack and total <= budget:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item)
            stack.extend(item)
    return total


def check_size(value, what="value"):
    if isinstance(value, (str, bytes, list, tuple, set, frozenset, dict)):
        if logical_size(value) > MAX_STRING_LENGTH:
            raise ScriptRefused(f"{what} would be longer than {MAX_STRING_LENGTH:,} characters/items")
    elif type(value) is int and value.bit_length() > MAX_INT_BITS:
        raise ScriptRefused(f"{what} would be a number with more than {MAX_INT_BITS} bits")
    return value


# -- operators --------------------------------------------------------------
def _is_int(v):
    return isinstance(v, int)


def safe_add(a, b):
    if isinstance(a, _NUMBERS) and isinstance(b, _NUMBERS):
        return a + b
    if hasattr(a, "__len__") and hasattr(b, "__len__"):
        if logical_size(a) + logical_size(b) > MAX_STRING_LENGTH:
            raise ScriptRefused(f"result of '+' would be longer than {MAX_STRING_LENGTH:,}")
    return a + b


def safe_mult(a, b):
    if _is_int(a) and _is_int(b):
        if a.bit_length() + b.bit_length() > MAX_INT_BITS:
            raise ScriptRefused(f"result of '*' would be a number with more than {MAX_INT_BITS} bits")
        return a * b
    for seq, n in ((a, b), (b, a)):
        if hasattr(seq, "__len__") and _is_int(n) and n > 0:
            if n > MAX_STRING_LENGTH or logical_size(seq) * n > MAX_STRING_LENGTH:
                raise ScriptRefused(f"result of '*' would be longer than {MAX_STRING_LENGTH:,}")
    return a * b


def safe_pow(a, b):
    if isinstance(b, _NUMBERS) and abs(b) > MAX_POWER:
        raise ScriptRefused(f"exponent {b} is too large (limit {MAX_POWER:,})")
    if _is_int(a) and _is_int(b) and b > 0 and abs(a) > 1 and b * math.log2(abs(a)) > MAX_INT_BITS:
        raise ScriptRefused(f"result of '**' would be a number with more than {MAX_INT_BITS} bits")
    return a ** b


def safe_mod(a, b):
    if isinstance(a, (str, bytes)):
        raise ScriptRefused("string formatting with '%' is not allowed")
    return a % b


OPERATORS = {
    ast.Add: safe_add, ast.Sub: op.sub, ast.Mult: safe_mult, ast.Div: op.truediv,
    ast.FloorDiv: op.floordiv, ast.Mod: safe_mod, ast.Pow: safe_pow,
    ast.BitAnd: op.and_, ast.BitOr: op.or_, ast.BitXor: op.xor,
    ast.Not: op.not_, ast.USub: op.neg, ast.UAdd: op.pos,
    ast.Eq: op.eq, ast.NotEq: op.ne, ast.Lt: op.lt, ast.LtE: op.le, ast.Gt: op.gt, ast.GtE: op.ge,
    ast.In: lambda x, y: x in y, ast.NotIn: lambda x, y: x not in y,
    ast.Is: lambda x, y: x is y, ast.IsNot: lambda x, y: x is not y,
}


# -- registered functions ---------------------------------------------------
def _str(value=""):
    """str(x): text form of a value; dates give ISO 'YYYY-MM-DD'."""
    check_size(value, "str() argument")
    return str(value)


def _int(*args):
    """int(x) or int(text, base): a whole number."""
    return check_size(int(*args), "int() result")


def _sum(values, start=0):
    """sum(numbers, start=0): adds numbers only (not lists or strings)."""
    values = list(values)
    if not all(isinstance(v, _NUMBERS) for v in values) or not isinstance(start, _NUMBERS):
        raise ScriptRefused("sum() only adds numbers")
    return check_size(sum(values, start), "sum() result")


def _date(value, month=None, day=None):
    """date('2024-05-01'), date(a_datetime_or_iso_timestamp) or date(2024, 5, 1): a calendar date.

    Dates compare with each other and with days(n) arithmetic; str(d) gives
    the ISO form a timer expression needs, e.g. ``str(date(received_on) + days(15))``.
    """
    if month is not None or day is not None:
        return date(int(value), int(month), int(day))
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        return datetime.fromisoformat(text).date() if len(text) > 10 else date.fromisoformat(text)
    raise TypeError("date() expects an ISO date text, a date, or year, month, day")


def _today():
    """today(): the current date on the server's local calendar."""
    return date.today()


def _now():
    """now(): the current moment as a timezone-aware UTC ISO timestamp text."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _days(n):
    """days(n): a span of n days, to add to or subtract from a date."""
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        raise TypeError("days() expects a number")
    return timedelta(days=n)


_PERIOD = re.compile(r"P(?:(\d{1,3})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,5})D)?")


def _after(value, period):
    """after(day, 'P1M'): the date an ISO 8601 period of years, months, weeks and days after ``day``.

    For report cycles and the like (``next_report_on = str(after(registered_on, report_cycle))``). A month
    added to the 31st ends on the month's last day (2026-01-31 + P1M = 2026-02-28).
    """
    start = _date(value)
    found = _PERIOD.fullmatch(period.strip()) if isinstance(period, str) else None
    if found is None or period.strip() == "P":
        raise ValueError(f"after() expects an ISO 8601 period such as 'P1M' or 'P7D', not {str(period)[:40]!r}")
    years, months, weeks, days_ = (int(part or 0) for part in found.groups())
    month_index = start.month - 1 + months + 12 * years
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if not 1 <= year <= 9999:
        raise ValueError("after(): the date would be out of range")
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day)) + timedelta(days=7 * weeks + days_)


def _records(items, what):
    if not isinstance(items, (list, tuple)) or not all(isinstance(item, dict) for item in items):
        raise TypeError(f"{what}() expects a list of records (dicts)")
    return items


def _pluck(items, key):
    """pluck(reports, 'department'): the ``key`` of each record (None where it is missing), in order."""
    return [item.get(key) for item in _records(items, "pluck")]


def _where(items, key, value):
    """where(reports, 'finished', False): the records whose ``key`` equals ``value``, in order."""
    return [item for item in _records(items, "where") if item.get(key) == value]


def _unique(items):
    """unique([a, b, a]): the items without repeats, first occurrence kept (order matters, unlike a set)."""
    if not isinstance(items, (list, tuple)):
        raise TypeError("unique() expects a list")
    seen, out = [], []
    for item in items:
        if item not in seen:
            seen.append(item)
            out.append(item)
    return out


FUNCTIONS = {
    "pluck": _pluck, "where": _where, "unique": _unique,
    "len": len, "str": _str, "int": _int, "float": float, "bool": bool, "abs": abs,
    "min": min, "max": max, "round": round, "sorted": sorted, "any": any, "all": all,
    "sum": _sum, "date": _date, "today": _today, "now": _now, "days": _days, "after": _after,
}
FUNCTION_IDS = frozenset(id(f) for f in FUNCTIONS.values())


# -- methods on case-data values --------------------------------------------
def _method(name, types, impl=None):
    """Call ``obj.name(...)`` (or ``impl(obj, ...)``) only if ``obj`` is one of ``types``."""
    def call(obj, *args, **kwargs):
        if not isinstance(obj, types):
            raise ScriptRefused(f"method '{name}' is not available on {type(obj).__name__} values")
        return impl(obj, *args, **kwargs) if impl else getattr(obj, name)(*args, **kwargs)
    return call


def _join(sep, items):
    items = list(items)
    if sum(len(i) if isinstance(i, str) else 0 for i in items) + len(sep) * len(items) > MAX_STRING_LENGTH:
        raise ScriptRefused(f"result of join() would be longer than {MAX_STRING_LENGTH:,}")
    return sep.join(items)


def _replace(text, old, new, count=-1):
    if not (isinstance(old, str) and isinstance(new, str) and isinstance(count, int)):
        raise TypeError("replace() expects (old, new) or (old, new, count)")
    hits = text.count(old) if old else len(text) + 1
    hits = hits if count < 0 else min(hits, count)
    if len(text) + hits * (len(new) - len(old)) > MAX_STRING_LENGTH:
        raise ScriptRefused(f"result of replace() would be longer than {MAX_STRING_LENGTH:,}")
    return text.replace(old, new, count)


METHODS = {
    "get": _method("get", dict),
    **{name: _method(name, dict, lambda d, _n=name: list(getattr(d, _n)())) for name in ("keys", "values", "items")},
    **{name: _method(name, str) for name in (
        "strip", "lstrip", "rstrip", "lower", "upper", "startswith", "endswith", "split", "isdigit")},
    "count": _method("count", (str, list, tuple)),
    "isoformat": _method("isoformat", date),
    "join": _method("join", str, _join),
    "replace": _method("replace", str, _replace),
}

# Plain (non-callable) attributes that may be read, on dates and time spans only.
DATA_ATTRIBUTES = frozenset({"year", "month", "day", "hour", "minute", "second", "days", "seconds"})
DATA_ATTRIBUTE_TYPES = (date, timedelta)
