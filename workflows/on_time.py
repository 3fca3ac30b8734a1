"""Whether a closed case was handled on time, judged from its clock ledger.

Which clocks decide is the process's business, not the code's: a process names
them in its BPMN as the process property ``onTimeClocks`` (clock names separated
by spaces or commas, e.g. ``reply``), so that clocks that do not bind the
office — say, the petitioner's own window to ask for a review — are left out.
A process that names none is judged on every clock of the case: each one is a
statutory time limit the office had to keep.

A case is **late** when any deciding clock was overdue on the day the case
closed (stopped after its due date, or still running past it); **on time**
when none was and at least one was met (stopped on or before its due date);
and **not judged** when no deciding clock reached a verdict (none started, or
all were still running within time or paused, as when a request is withdrawn
while the reply clock waits for a correction).
"""
from __future__ import annotations

import re
from typing import Iterable

PROPERTY = "onTimeClocks"
ON_TIME, LATE = "on_time", "late"


def deciding_clock_names(process_properties: dict) -> frozenset[str] | None:
    """The clock names the process declares, or None: every clock of the case decides."""
    raw = (process_properties.get(PROPERTY) or "").strip()
    names = frozenset(n for n in re.split(r"[\s,，]+", raw) if n)
    return names or None


def verdict(clock_states: Iterable[tuple[str, str]], deciding: frozenset[str] | None) -> str | None:
    """``ON_TIME``, ``LATE`` or None from ``(clock name, state on the closing day)`` pairs.

    States are those of :func:`workflows.clocks.compute`: ``met``, ``overdue``,
    ``running`` or ``paused``.
    """
    states = [state for name, state in clock_states if deciding is None or name in deciding]
    if "overdue" in states:
        return LATE
    if "met" in states:
        return ON_TIME
    return None
