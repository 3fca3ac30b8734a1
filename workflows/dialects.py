"""What other modelers write, read the way the engine needs it.

Both conversions change the parsed tree only; the stored bytes stay as the author drew them, and every
load converts the same way, so the content hash and the parsed definition always agree.

Lanes of embedded subprocesses: modelers list a subprocess in its lane's ``flowNodeRef`` but not the
tasks drawn inside it, so those tasks would belong to no lane and nobody could work them.  They take
the lane of the subprocess they are drawn in.

Camunda Modeler (and most BPMN tools) write timer values as bare ISO 8601 text — ``PT5M``, ``P7D``,
``2026-03-01T09:00:00Z``, ``R3/PT1H`` — while SpiffWorkflow evaluates every timer as an expression, in
which ``PT5M`` is an unknown name.  A bare ISO value is therefore quoted when a file is loaded (the
stored bytes stay as the author drew them; every load converts the same way, so the content hash and the
parsed definition agree).  Anything that is not a bare ISO value stays an expression over case data.
"""
import re

from .xml import BPMN_NS, NSMAP

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


def inherit_subprocess_lanes(process) -> int:
    """List every flow node inside a laned subprocess in that lane too; returns how many were added."""
    added = 0
    for lane in process.iter(f"{{{BPMN_NS}}}lane"):
        refs = {(r.text or "").strip() for r in lane.iterfind("bpmn:flowNodeRef", NSMAP)}
        containers = (f"{{{BPMN_NS}}}subProcess", f"{{{BPMN_NS}}}transaction", f"{{{BPMN_NS}}}adHocSubProcess")
        queue = [el for el in process.iter(*containers) if el.get("id") in refs]
        for sub in queue:  # grows as nested subprocesses are met: they share the lane too
            for inner in sub:
                ident = inner.get("id") if isinstance(inner.tag, str) else None
                if inner.tag in containers and ident:
                    queue.append(inner)
                if ident and ident not in refs and inner.tag != f"{{{BPMN_NS}}}sequenceFlow":
                    ref = lane.makeelement(f"{{{BPMN_NS}}}flowNodeRef", {})
                    ref.text = ident
                    # flowNodeRef elements come before a child lane set (schema order)
                    child_set = lane.find("bpmn:childLaneSet", NSMAP)
                    if child_set is not None:
                        child_set.addprevious(ref)
                    else:
                        lane.append(ref)
                    refs.add(ident)
                    added += 1
    return added
