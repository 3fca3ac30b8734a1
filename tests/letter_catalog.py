"""Every letter kind of every process, with realistic case data of the length an office types.

One entry per (process, kind, variant): the layout test renders each and checks its pages; the punctuation
and remedy tests reuse them. A new letter kind must be added here (the layout test refuses a kind it has
no data for), so no letter escapes the one-page and signature checks.
"""
import datetime

from app.disclosure import letters as disclosure
from app.petition import letters as petition
from app.supervision import letters as supervision

AGENCY = {
    "code": "DEMO",
    "name": "示范市人民政府办公室",
    "abbreviation": "示政办",
    "address": "示范市人民路1号",
    "phone": "010-12345678",
    "reconsideration_body": "示范市人民政府",
}
ISSUED_ON = datetime.date(2026, 11, 23)
DEPARTMENTS = {"GKB": "政务公开办", "BMB": "保密办", "XFJ": "信访局"}

_APPLICATION = {
    "applicant_name": "张三",
    "applicant_type": "natural_person",
    "channel": "registered_post",
    "received_on": "2026-10-26",
    "description": "示范市2025年度城市道路改造项目的招标文件、中标通知书及施工合同。",
    "contact_phone": "13800000000",
    "contact_address": "示范市幸福路8号",
    "requested_form": "paper",
    "delivery_method": "post",
}

_REPLY_EXTRA = {
    "already_public": {"reply_text": "该信息已于2026年3月5日在本机关门户网站“政府信息公开”专栏“重点领域信息公开”栏目公开，"
                                     "您可以登录网站查阅、下载。"},
    "disclosed": {"reply_text": "随本答复书附送上述文件复印件共计36页。"},
    "partial": {"withholding_reasons": ["third_party_rights"],
                "reply_text": "施工合同中的投标单价明细涉及中标企业的商业秘密，经征求该企业意见，其不同意公开，已作遮盖处理。"},
    "withheld": {"withholding_reasons": ["process_information", "internal_affairs"],
                 "reply_text": "您申请的材料系项目论证阶段的会议讨论记录和内部请示，尚未形成正式决定。"},
    "not_exist": {"reply_text": "本机关对档案室、业务科室及门户网站进行了检索，未发现该信息。"},
    "not_this_agency": {"responsible_agency": "示范市交通运输局", "responsible_agency_contact": "010-87654321"},
    "needs_creation": {},
    "still_unclear": {"corrected_on": "2026-11-02"},
    "repeat": {},
    "petition_type": {},
    "publication": {},
    "abusive": {},
    "confirm_request": {},
    "special_law": {"reply_text": "请您依照《不动产登记暂行条例》的规定向不动产登记机构申请查询。"},
}

_PETITION = {
    "petitioner_name": "李四",
    "channel": "letter",
    "received_on": "2026-09-02",
    "category": "claim",
    "subject": "小区旁工地夜间施工噪声扰民，请求责令停止夜间施工",
    "intake_decided_on": "2026-09-10",
    "handling_department": "示范市生态环境局",
}
_OPINION = ("经调查，该工地系示范市轨道交通3号线第五标段，施工单位于2026年8月取得夜间施工许可，许可时段至2026年9月30日。"
            "\n经现场监测，夜间噪声超过许可标准，已责令施工单位整改并限制夜间作业时段。")

_ITEM = {
    "ledger_number": "督2026-017",
    "source": "leader_instruction",
    "title": "老旧小区加装电梯专项督查",
    "requirement": "摸清全市老旧小区加装电梯需求。\n制定年度推进计划并按月报送进展。",
    "priority": "urgent",
    "registered_on": "2026-11-02",
    "due_date": "2026-12-31",
    "report_cycle": "P1M",
    "report_due_on": "2026-12-02",
    "lead_department": "GKB",
    "co_departments": ["BMB", "XFJ"],
}


def _entry(module, kind, data, variant=""):
    return {"module": module, "kind": kind, "variant": variant, "data": data}


def _disclosure():
    entries = [_entry(disclosure, "reply", {**_APPLICATION, "reply_type": code, **extra}, code)
               for code, extra in _REPLY_EXTRA.items()]
    entries += [
        _entry(disclosure, "registration_receipt", {**_APPLICATION, "reply_due_date": "2026-11-23"}),
        _entry(disclosure, "correction_notice", {
            **_APPLICATION, "correction_items": "1. 请明确所需文件的名称或者文号；\n2. 请明确所需信息的时间范围。",
            "correction_deadline": "2026-12-07"}),
        _entry(disclosure, "extension_notice", {
            **_APPLICATION, "extension_reason": "所申请信息涉及多个部门，需要检索、汇总",
            "reply_due_date": "2026-11-23", "extended_due_date": "2026-12-21"}),
        _entry(disclosure, "withdrawal_notice", {**_APPLICATION, "correction_deadline": "2026-11-13"}),
        _entry(disclosure, "third_party_consultation", {
            **_APPLICATION, "third_party_name": "示范市城建工程有限公司",
            "consultation_matter": "施工合同中的投标报价明细", "third_party_deadline": "2026-12-14"}),
    ]
    return entries


def _petition():
    return [
        _entry(petition, "acceptance_notice", {**_PETITION, "intake_decision": "accept"}),
        _entry(petition, "forward_notice", {**_PETITION, "intake_decision": "forward"}),
        _entry(petition, "assign_notice", {**_PETITION, "intake_decision": "assign"}),
        _entry(petition, "redirect_notice", {**_PETITION, "intake_decision": "redirect",
                                             "redirect_route": "reconsideration"}),
        _entry(petition, "not_accept_notice", {**_PETITION, "intake_decision": "not_accept",
                                               "not_accept_ground": "outside_remit"}),
        _entry(petition, "handling_opinion", {**_PETITION, "outcome": "support", "handling_opinion": _OPINION}),
        _entry(petition, "review_opinion", {**_PETITION, "review_kind": "review", "review_of": "XF-2026-000031",
                                            "requested_on": "2026-10-20", "review_decision": "uphold",
                                            "review_opinion": _OPINION}),
        _entry(petition, "re_review_opinion", {**_PETITION, "review_kind": "re_review",
                                               "review_of": "XFFC-2026-000004", "petition_number": "XF-2026-000031",
                                               "requested_on": "2026-11-10", "review_decision": "uphold",
                                               "review_opinion": _OPINION}),
        _entry(petition, "extension_notice", {**_PETITION, "extension_reason": "需要会同多个部门现场核查",
                                              "extended_due_date": "2026-12-09"}),
    ]


def _supervision():
    return [_entry(supervision, "assignment_notice", _ITEM)]


def every_letter():
    """All entries: ``{"module", "kind", "variant", "data"}``."""
    return _disclosure() + _petition() + _supervision()


def entry_id(entry) -> str:
    return f"{entry['module'].__name__.split('.')[1]}-{entry['kind']}" + (f"-{entry['variant']}"
                                                                         if entry["variant"] else "")


def render(entry, agency=None, **changes) -> bytes:
    """The entry's letter as PDF bytes (``changes`` override case data)."""
    args = {"case_data": {**entry["data"], **changes}, "tracking_number": "YSQ-2026-000123",
            "document_number": "示政办依复〔2026〕12号", "issued_on": ISSUED_ON, "agency": agency or AGENCY}
    if entry["module"] is supervision:
        args["names"] = DEPARTMENTS
    return entry["module"].render_letter(entry["kind"], **args)
