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
# What the petitioner asked and why (XF 32: the opinion restates the request, its facts and reasons).
_CONTENT = ("示范市轨道交通3号线第五标段工地紧邻我所居住的幸福小区，自2026年8月中旬起连续两周每晚22时后仍在打桩、"
            "运输渣土，噪声持续到凌晨2时，小区居民无法正常休息。\n请求责令施工单位停止夜间施工，并对违规施工予以查处。")
_LEGAL_BASIS = ("《中华人民共和国噪声污染防治法》第四十三条：在噪声敏感建筑物集中区域，禁止夜间进行产生噪声的建筑施工作业，"
                "但抢修、抢险施工作业，因生产工艺要求或者其他特殊需要必须连续施工作业的除外。")
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
            "original_reply_due_date": "2026-11-23", "extended_due_date": "2026-12-21"}),
        _entry(disclosure, "withdrawal_notice", {**_APPLICATION, "correction_deadline": "2026-11-13"}),
        _entry(disclosure, "third_party_consultation", {
            **_APPLICATION, "third_party_name": "示范市城建工程有限公司",
            "consultation_matter": "施工合同中的投标报价明细", "third_party_deadline": "2026-12-14"}),
        # GIO 32: addressed to the third party, which is not told who applied or for what beyond the matter.
        _entry(disclosure, "disclosure_decision_notice", {
            "received_on": "2026-10-26", "third_party_name": "示范市城建工程有限公司",
            "consultation_matter": "施工合同中的合同总价、工期及质量保修条款",
            "third_party_opinion": "合同价款及工期安排属于本公司经营信息，公开后可能影响本公司参与其他项目投标",
            "public_interest_reasons": "该项目全部使用财政资金，合同总价、工期和质量保修责任直接关系道路沿线群众的出行安全"
                                       "和财政资金使用效益，属于社会公众普遍关注的信息"}),
        _entry(disclosure, "fee_notice", {
            **_APPLICATION, "fee_method": "per_volume", "fee_amount": 1820, "fee_basis": "共156页",
            "fee_due_date": "2026-12-21", "fee_pauses_reply": True}),
        _entry(disclosure, "fee_unpaid_notice", {**_APPLICATION, "fee_amount": 1820, "fee_due_date": "2026-11-20"}),
        _entry(disclosure, "reasons_request", {
            **_APPLICATION, "reasons_deadline": "2026-12-07",
            "reasons_request_text": "您于2026年10月1日至10月26日期间向本机关提出政府信息公开申请126件，"
                                    "涉及本机关2015年以来全部发文及内部会议记录"}),
        _entry(disclosure, "later_deadline_notice", {**_APPLICATION, "later_reply_due_date": "2027-01-29"}),
    ]
    return entries


def _petition():
    return [
        _entry(petition, "acceptance_notice", {**_PETITION, "intake_decision": "accept"}),
        _entry(petition, "forward_notice", {**_PETITION, "intake_decision": "forward"}),
        _entry(petition, "assign_notice", {**_PETITION, "intake_decision": "assign"}),
        _entry(petition, "redirect_notice", {**_PETITION, "intake_decision": "redirect",
                                             "redirect_route": "reconsideration"}),
        _entry(petition, "forward_letter", {**_PETITION, "intake_decision": "forward"}),
        _entry(petition, "assign_letter", {**_PETITION, "intake_decision": "assign"}),
        _entry(petition, "repeat_notice", {**_PETITION, "intake_decision": "repeat", "duplicate_of": "XF-2026-000031"}),
        _entry(petition, "not_accept_notice", {**_PETITION, "intake_decision": "not_accept",
                                               "not_accept_ground": "outside_remit",
                                               "competent_body": "示范市住房和城乡建设局"}),
        _entry(petition, "handling_opinion", {**_PETITION, "outcome": "support", "content": _CONTENT,
                                              "handling_opinion": _OPINION, "opinion_legal_basis": _LEGAL_BASIS}),
        _entry(petition, "review_opinion", {**_PETITION, "review_kind": "review", "review_of": "XF-2026-000031",
                                            "requested_on": "2026-10-20", "review_decision": "uphold",
                                            "review_opinion": _OPINION}),
        _entry(petition, "re_review_opinion", {**_PETITION, "review_kind": "re_review",
                                               "review_of": "XFFC-2026-000004", "petition_number": "XF-2026-000031",
                                               "requested_on": "2026-11-10", "review_decision": "uphold",
                                               "review_opinion": _OPINION}),
        _entry(petition, "extension_notice", {**_PETITION, "extension_reason": "需要会同多个部门现场核查",
                                              "extended_due_date": "2026-12-09", "extension_days": 30}),
    ]


def _supervision():
    return [
        _entry(supervision, "assignment_notice", _ITEM),
        # DC 17: the department that contested the sign-off gets the decision on its review.
        _entry(supervision, "review_decision", {
            **_ITEM, "closed_on": "2026-11-10", "review_requested_on": "2026-11-16", "review_department": "XFJ",
            "review_reason": "督查结论认定我局未按月报送进展，但我局已于2026年10月8日通过电子公文系统报送。"
                             "\n请求将我局办理情况更正为按期报送。",
            "review_result": "changed",
            "review_opinion": "经调取电子公文系统记录，信访局已于2026年10月8日报送第一期进展，原督查结论认定有误。"
                              "\n将信访局办理情况更正为按期报送进展，其他结论不变。"}),
    ]


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
