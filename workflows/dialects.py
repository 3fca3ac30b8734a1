"""What other modelers write, read the way the engine needs it.

Camunda Modeler (and most BPMN tools) write timer values as bare ISO 8601 text — ``PT5M``, ``P7D``,
``2026-03-01T09:00:00Z``, ``R3/PT1H`` — while SpiffWorkflow evaluates every timer as an expression, in
which ``PT5M`` is an unknown name.  A bare ISO value is therefore quoted when a file is loaded (the
stored bytes stay as the author drew them; every load converts the same way, so the content hash and the
parsed definition agree).  Anything that is not a bare ISO value stays an expression over case data.
"""
import re

from .xml import BPMN_NS

_DURATION = r"P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"
_DATETIME = r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"
ISO_TIMER = re.compile(rf"(?:{_DURATION}|{_DATETIME}|R\d*/(?:{_DATETIME}/)?{_DURATION})")

TIMER_TAGS = tuple(f"{{{BPMN_NS}}}{tag}" for tag in ("timeDate", "timeDuration", "timeCycle"))


def quote_iso_timers(root) -> int:
    """Quote every timer whose whole text is a bare ISO 8601 value; returns how many were quoted."""
    quoted = 0
    for el in root.iter(*TIMER_TAGS):
        text = (el.text or "").strip()
        if text and ISO_TIMER.fullmatch(text):
            el.text = f"'{text}'"
            quoted += 1
    return quoted
