"""The codes of petitions (信访): one source for the forms, the letters and, later, the statistics.

Every table maps a stable code (the value stored in case data, DOMAIN.md section 6 "Petition") to a frozen
record with its Chinese label and, where the law sets the rule, the article the letter cites.

Legal source: XF = 《信访工作条例》 (2022). Article numbers follow DOMAIN.md section 4, as the statutory clocks in
:mod:`workflows.clocks` do, so a letter and the deadline it states never cite different articles.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.letters.values import table as _table

XF = "《信访工作条例》"


@dataclass(frozen=True)
class Code:
    """A code with its Chinese label; ``article`` is the XF article the letter cites (may be empty);
    ``phrase`` is extra wording per table (see the tables)."""
    code: str
    label: str
    article: str = ""
    phrase: str = ""

    @property
    def legal_basis(self) -> str:
        return XF + self.article if self.article else ""


# XF 17. ``phrase`` is how the letters' recital says it: "本机关于…收到您<phrase>提出的信访事项".
CHANNELS: dict[str, Code] = _table(
    Code("online", "网络", phrase="通过网络"),
    Code("letter", "书信", phrase="来信"),
    Code("phone", "电话", phrase="来电"),
    Code("fax", "传真", phrase="通过传真"),
    Code("visit", "走访", phrase="来访"),
)

# XF 29–31.
CATEGORIES: dict[str, Code] = _table(
    Code("suggestion", "建议意见类", "第二十九条"),
    Code("accusation", "检举控告类", "第三十条"),
    Code("claim", "申诉求决类", "第三十一条"),
)

# XF 22–23: what the body does with a registered matter within 15 days, and tells the petitioner in writing.
# The article of a notice depends on the issuing body (:func:`intake_article`); a redirect cites its route's.
INTAKE_DECISIONS: dict[str, Code] = _table(
    Code("accept", "受理"),
    Code("forward", "转送"),
    Code("assign", "交办"),
    Code("redirect", "导入法定途径"),
    Code("not_accept", "不予受理"),
    # DOMAIN.md section 4 "Duplicates": the body already handling the matter links the repeat to the open
    # case and tells the petitioner it is being handled; it neither accepts it again nor refuses it.
    Code("repeat", "重复信访，并入原事项办理"),
)

# XF 22 binds a 信访部门; XF 23 every other body that receives a petition directly.
PETITION_OFFICE_ARTICLE, OTHER_BODY_ARTICLE = "第二十二条", "第二十三条"


def intake_article(petition_office: bool) -> str:
    """The article an intake notice cites: XF 22 for a 信访部门, XF 23 for any other body."""
    return PETITION_OFFICE_ARTICLE if petition_office else OTHER_BODY_ARTICLE


# XF 31: claims that belong in another statutory procedure, each with its item. ``phrase`` is what the
# petitioner should do.
REDIRECT_ROUTES: dict[str, Code] = _table(
    Code("litigation", "诉讼", "第三十一条第（一）项", "依法向人民法院提起诉讼"),
    Code("arbitration", "仲裁", "第三十一条第（二）项", "依法向仲裁机构申请仲裁"),
    Code("reconsideration", "行政复议", "第三十一条第（四）项", "依法向行政复议机关申请行政复议"),
    Code("administrative_ruling", "行政裁决", "第三十一条第（四）项", "依法向有关行政机关申请行政裁决"),
)

# Why a matter is not accepted. ``phrase`` is the sentence of the notice; an empty article means the intake
# article of the issuing body (:func:`intake_article`).
NOT_ACCEPT_GROUNDS: dict[str, Code] = _table(
    # XF 23: the petitioner is told which body to turn to (``competent_body``, required by the form).
    Code("outside_remit", "不属于本机关职权范围", "",
         "您反映的事项不属于本机关、单位或者本系统职权范围"),
    Code("concluded", "已经复核终结", "第三十六条第三款",
         "您反映的事项已经复核终结，对同一事实和理由提出的信访事项，不再受理"),
    # XF 19: only a body above the one handling the matter refuses a repeat raised within the time limit
    # (checked on the server against ``duplicate_of``, app.petition.hooks); the notice names the earlier one.
    Code("repeat_in_progress", "重复信访，原事项正在下级机关办理期限内", "第十九条",
         "您反映的事项已由下级机关、单位受理，正在规定期限内办理，向其上级机关、单位又提出同一信访事项的，不予受理"),
)

# XF 31(六), 32: the handling opinion (XF 33 is mediation, not this). ``phrase`` is the operative sentence.
OUTCOMES: dict[str, Code] = _table(
    Code("support", "予以支持", "第三十一条第（六）项、第三十二条",
         "您的请求事实清楚，符合法律、法规、规章或者其他有关规定，本机关予以支持"),
    Code("explain", "解释说明", "第三十一条第（六）项、第三十二条",
         "您的请求事由合理但缺乏法律依据，本机关已就有关情况作出上述解释说明"),
    Code("not_support", "不予支持", "第三十一条第（六）项、第三十二条",
         "您的请求缺乏事实根据或者不符合法律、法规、规章或者其他有关规定，本机关不予支持"),
)

# XF 35–36: review (复查) by the body one level up, re-review (复核) by the body above that. ``phrase`` is the
# remedy sentence of the answer: what the petitioner may still do, or that the matter is closed for good.
REVIEW_KINDS: dict[str, Code] = _table(
    Code("review", "复查", "第三十五条",
         "如您对本复查意见不服，可以自收到本意见书之日起30日内，向复查机关的上一级机关、单位请求复核"),
    Code("re_review", "复核", "第三十六条",
         "本复核意见为终结意见。您对同一事实和理由再次提出信访事项的，不再受理"),
)

# What the review body does with the opinion under review.
REVIEW_DECISIONS: dict[str, Code] = _table(
    Code("uphold", "维持原处理意见", phrase="原处理意见认定事实清楚、适用依据正确，予以维持"),
    Code("change", "变更原处理意见", phrase="原处理意见不当，予以变更"),
    Code("revoke", "撤销原处理意见，责令重新办理", phrase="原处理意见认定事实不清或者适用依据错误，予以撤销，由原办理机关重新办理"),
)

SATISFACTION: dict[str, Code] = _table(
    Code("satisfied", "满意"),
    Code("basically_satisfied", "基本满意"),
    Code("dissatisfied", "不满意"),
    Code("no_response", "未评价"),
)

# XF 20: a group visiting in person sends at most this many representatives.
MAX_VISIT_REPRESENTATIVES = 5


def choices(table: dict) -> list[tuple[str, str]]:
    """``[(code, label), …]`` in table order, for select fields and JSON Schema ``oneOf``."""
    return [(code, record.label) for code, record in table.items()]
