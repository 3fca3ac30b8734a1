"""The codes of disclosure upon application (依申请公开): one source for forms, letters and the annual report.

Every table maps a stable code (the value stored in case data, see DOMAIN.md section 6) to a frozen record.
Forms take their choices from here, letters take their wording and legal basis from here, and the annual
report takes its row from here, so the three can never disagree.

Legal sources: GIO = 《中华人民共和国政府信息公开条例》 (State Council Order No. 711, in force 2019-05-15);
annual-report rows follow 国办公开办函〔2021〕30号, section 三 "本年度办理结果".

Annual-report rows are written "<subsection>[.<item>]" inside section 三 of the report table, e.g. "一" is
（一）予以公开, "四.1" is （四）无法提供 1.本机关不掌握相关政府信息, "三.6" is （三）不予公开 6.属于四类过程性信息.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.letters.values import lookup, table as _table

GIO = "《中华人民共和国政府信息公开条例》"


@dataclass(frozen=True)
class ReplyType:
    """How a disclosure request was answered (GIO 30, 35–39).

    ``refusal`` marks a decision not to disclose (wholly or in part): since 2024-01-01 the applicant must apply
    for administrative reconsideration before suing (《行政复议法》第二十三条第一款第（四）项) and the letter must
    say so (第二十三条第二款).
    """
    code: str
    label: str
    article: str          # e.g. 第三十六条第（二）项
    report_row: str       # see the module docstring; "三" for withheld is refined by the principal reason
    refusal: bool = False

    @property
    def legal_basis(self) -> str:
        """The full citation, e.g. 《中华人民共和国政府信息公开条例》第三十六条第（二）项."""
        return GIO + self.article


@dataclass(frozen=True)
class WithholdingReason:
    """A reason not to disclose (GIO 14–16); a case may have several, stored as a list of codes.

    The letter prints ``paragraph`` (the rule) followed by the officer's case-specific reasons
    (``withholding_reason_details[code]``, GIO 36(三) 说明理由).
    """
    code: str
    label: str
    article: str
    report_row: str
    paragraph: str        # the standard reasons paragraph printed in the letter

    @property
    def legal_basis(self) -> str:
        return GIO + self.article


@dataclass(frozen=True)
class Label:
    """A code with its Chinese label; ``extra`` holds per-table details (see the tables)."""
    code: str
    label: str
    extra: str = ""


REPLY_TYPES: dict[str, ReplyType] = _table(
    ReplyType("already_public", "已主动公开", "第三十六条第（一）项", "一"),
    ReplyType("disclosed", "予以公开", "第三十六条第（二）项", "一"),
    ReplyType("partial", "部分公开", "第三十七条", "二", refusal=True),
    ReplyType("withheld", "不予公开", "第三十六条第（三）项", "三", refusal=True),
    ReplyType("not_exist", "本机关不掌握相关政府信息", "第三十六条第（四）项", "四.1"),
    ReplyType("not_this_agency", "不属于本机关负责公开", "第三十六条第（五）项", "四.1"),
    ReplyType("needs_creation", "没有现成信息需要另行制作", "第三十八条", "四.2"),
    ReplyType("still_unclear", "补正后申请内容仍不明确", "第三十条", "四.3"),
    ReplyType("repeat", "重复申请", "第三十六条第（六）项", "五.2"),
    ReplyType("petition_type", "信访举报投诉类申请", "第三十九条第一款", "五.1"),
    ReplyType("publication", "要求提供公开出版物", "第三十九条第二款", "五.3"),
    ReplyType("abusive", "无正当理由大量反复申请", "第三十五条", "五.4"),
    ReplyType("confirm_request", "要求行政机关确认或重新出具已获取信息", "第二条", "五.5"),
    # GIO 36(七): one code for one situation. The annual report counts it as 不予公开 row 三.8 (属于行政查询事项),
    # so the letter carries the reconsideration-first clause of a refusal.
    ReplyType("special_law", "有关法律、行政法规对信息获取有特别规定", "第三十六条第（七）项", "三.8", refusal=True),
)

WITHHOLDING_REASONS: dict[str, WithholdingReason] = _table(
    WithholdingReason(
        "state_secret", "属于国家秘密", "第十四条", "三.1",
        f"您申请获取的信息经依法确定为国家秘密。根据{GIO}第十四条的规定，依法确定为国家秘密的政府信息，不予公开。"),
    WithholdingReason(
        "prohibited_by_law", "其他法律行政法规禁止公开", "第十四条", "三.2",
        f"您申请获取的信息属于法律、行政法规禁止公开的政府信息。根据{GIO}第十四条的规定，"
        "法律、行政法规禁止公开的政府信息，不予公开。"),
    WithholdingReason(
        "three_securities_one_stability", "危及“三安全一稳定”", "第十四条", "三.3",
        f"您申请获取的信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。根据{GIO}第十四条的规定，"
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开。"),
    WithholdingReason(
        "third_party_rights", "保护第三方合法权益", "第十五条", "三.4",
        f"您申请获取的信息涉及商业秘密、个人隐私等内容，公开会对第三方合法权益造成损害。根据{GIO}第十五条的规定，"
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。"),
    WithholdingReason(
        "internal_affairs", "属于三类内部事务信息", "第十六条第一款", "三.5",
        "您申请获取的信息属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）。"
        f"根据{GIO}第十六条第一款的规定，行政机关的内部事务信息，可以不予公开。"),
    WithholdingReason(
        "process_information", "属于四类过程性信息", "第十六条第二款", "三.6",
        "您申请获取的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息。"
        f"根据{GIO}第十六条第二款的规定，此类过程性信息可以不予公开。"),
    # GIO 16 has two paragraphs; enforcement case files are in the second, with process information
    # (DOMAIN.md's "16.3" refers to the third category of information, not to a third paragraph).
    WithholdingReason(
        "enforcement_case_file", "属于行政执法案卷", "第十六条第二款", "三.7",
        f"您申请获取的信息属于行政执法案卷信息。根据{GIO}第十六条第二款的规定，行政执法案卷信息可以不予公开。"),
    # Administrative inquiry matters (row 三.8) are not a withholding reason but the reply type ``special_law``
    # (GIO 36(七)); cases stored with the old code are moved by migration 0010.
)

# Outcomes that close a case without a reply letter (annual-report rows 六.1–六.3).
OTHER_OUTCOMES: dict[str, Label] = _table(
    Label("correction_lapsed", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "六.1"),
    Label("fee_unpaid", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "六.2"),
    Label("other", "其他", "六.3"),
)

# Submission channels (GIO 31 fixes the receipt date per channel). ``extra`` is the phrase used in the
# letters' recital "收到您（<extra>）提出的……"; "通过当面提交" would be clumsy Chinese.
CHANNELS: dict[str, Label] = _table(
    Label("in_person", "当面提交", "当面"),
    Label("registered_post", "挂号信", "通过挂号信"),
    Label("ordinary_post", "平信", "通过平信"),
    Label("online", "网络", "通过网络"),
    Label("fax", "传真", "通过传真"),
)

REQUESTED_FORMS: dict[str, Label] = _table(
    Label("paper", "纸质"),
    Label("electronic", "电子"),
)

DELIVERY_METHODS: dict[str, Label] = _table(
    Label("post", "邮寄"),
    Label("email", "电子邮件"),
    Label("collect", "当面领取"),
    Label("online", "网上获取"),
)

# Applicant types; ``extra`` is the annual-report column group (自然人 | 法人或其他组织).
APPLICANT_TYPES: dict[str, Label] = _table(
    Label("natural_person", "自然人", "自然人"),
    Label("commercial_enterprise", "商业企业", "法人或其他组织"),
    Label("research_institution", "科研机构", "法人或其他组织"),
    Label("public_interest_org", "社会公益组织", "法人或其他组织"),
    Label("legal_service_org", "法律服务机构", "法人或其他组织"),
    Label("other_org", "其他", "法人或其他组织"),
)


def reply_type(code: str) -> ReplyType:
    return lookup(REPLY_TYPES, code)


def withholding_reason(code: str) -> WithholdingReason:
    return lookup(WITHHOLDING_REASONS, code)


def label(table: dict, code: str) -> str:
    """The Chinese label of ``code`` in ``table``."""
    return lookup(table, code).label


def choices(table: dict) -> list[tuple[str, str]]:
    """``[(code, label), …]`` in table order, for select fields and JSON Schema enums."""
    return [(code, record.label) for code, record in table.items()]


# The reasons whose letter paragraph must name something the officer supplies.
NAMED_LAW_REASON = "prohibited_by_law"  # names the law or regulation: ``prohibited_by_law_name``


def report_row(reply_type_code: str, principal_reason: str | None = None) -> str:
    """The annual-report row (section 三) a replied case is counted in, exactly once.

    A withheld case counts under its principal withholding reason (三.1–三.7); ``special_law`` is row 三.8; every
    other reply type has a fixed row. ``principal_reason`` is required for ``withheld``.
    """
    record = reply_type(reply_type_code)
    if record.code != "withheld":
        return record.report_row
    if principal_reason is None:
        raise ValueError("a withheld case is counted under its principal withholding reason")
    return withholding_reason(principal_reason).report_row
