"""The codes of supervision items (督查事项): one source for the forms, the notice and the bulletin.

Each table maps a stable code (the value stored in case data, DOMAIN.md section 6 "Supervision item") to its
Chinese label. Legal source: DC = 《政府督查工作条例》 (2021); the stages are local practice (DOMAIN.md 5).
"""
from __future__ import annotations

from dataclasses import dataclass

from app.letters.values import table as _table

DC = "《政府督查工作条例》"


@dataclass(frozen=True)
class Code:
    code: str
    label: str


SOURCES: dict[str, Code] = _table(
    Code("government_decision", "政府决定"),
    Code("leader_instruction", "领导批示"),
    Code("meeting", "会议议定"),
    Code("other", "其他"),
)

# DC 11, 14: the kinds of supervision.
ITEM_TYPES: dict[str, Code] = _table(
    Code("comprehensive", "综合督查"),
    Code("special", "专项督查"),
    Code("incident", "事件调查"),
    Code("routine", "日常督办"),
    Code("lead", "线索核查"),
)

PRIORITIES: dict[str, Code] = _table(
    Code("extra_urgent", "特急"),
    Code("urgent", "加急"),
    Code("normal", "平件"),
)

# DC 17: what the review of a supervision conclusion decides.
REVIEW_RESULTS: dict[str, Code] = _table(
    Code("upheld", "维持原督查结论"),
    Code("changed", "变更原督查结论"),
)

# How one department did on one item in a bulletin period (see app.supervision.bulletin).
STANDINGS: dict[str, Code] = _table(
    Code("on_time", "按期办结"),
    Code("late", "逾期办结"),
    Code("overdue", "超期未办结"),
    Code("in_progress", "尚未到期（不计入）"),
)
