"""Letters for disclosure requests: real PDFs, read back with pdftotext, checked against the law (DOMAIN 2.4, 2.5).

No Flask app is created: letters must render without an app context.
"""
import datetime
import http.server
import re
import subprocess
import threading

import pytest

from app.disclosure import codes
from app.disclosure.letters import LETTER_KINDS, LetterDataError, build_letter_context, letter_html, render_letter
from app.letters import render

AGENCY = {
    "name": "某某市人民政府办公室",
    "abbreviation": "某府办",
    "address": "某某市某某区人民路1号",
    "phone": "0000-12345678",
    "reconsideration_body": "某某市人民政府",
    "court": "某某市某某区人民法院",
}
ISSUED_ON = datetime.date(2026, 11, 22)
GIO = "《中华人民共和国政府信息公开条例》"
RECONSIDERATION_FIRST = "应当先向行政复议机关申请行政复议"

# What each reply type needs beyond the common data, and what its letter must then say.
REPLY_CASES = {
    "already_public": ({"reply_text": "该信息已在本机关门户网站“政府信息公开”专栏公开。"},
                       ["已经主动公开", "门户网站"]),
    "disclosed": ({"requested_form": "paper", "delivery_method": "post"},
                  ["向您提供该政府信息", "提供形式：纸质", "获取方式：邮寄"]),
    "partial": ({"withholding_reasons": ["third_party_rights"], "requested_form": "electronic",
                 "delivery_method": "email"},
                ["作区分处理", "第十五条", "提供形式：电子", "获取方式：电子邮件"]),
    "withheld": ({"withholding_reasons": ["process_information"]}, ["不予公开", "第十六条第二款"]),
    "not_exist": ({}, ["该政府信息不存在"]),
    "not_this_agency": ({"responsible_agency": "某某市交通运输局", "responsible_agency_contact": "0000-87654321"},
                        ["不属于本机关负责公开", "某某市交通运输局", "0000-87654321"]),
    "needs_creation": ({}, ["加工、分析", "不予提供"]),
    "still_unclear": ({"corrected_on": "2026-11-02"}, ["补正后的申请内容仍不明确"]),
    "repeat": ({}, ["不予重复处理"]),
    "petition_type": ({}, ["不作为政府信息公开申请处理", "信访、投诉举报"]),
    "publication": ({}, ["公开出版物", "获取的途径"]),
    "abusive": ({}, ["明显超过合理范围", "不予处理"]),
    "confirm_request": ({}, ["确认或者重新出具", "不作为政府信息公开申请处理"]),
    "special_law": ({"reply_text": "请您依照《不动产登记暂行条例》的规定向不动产登记机构申请查询。"},
                    ["依照有关法律、行政法规的规定办理", "不动产登记"]),
}


def case(**changes):
    data = {
        "applicant_name": "张三",
        "applicant_type": "natural_person",
        "channel": "registered_post",
        "received_on": "2026-10-26",
        "description": "某某区2025年度道路建设项目的招标文件",
    }
    data.update(changes)
    return data


def letter_args(issued_on=ISSUED_ON, **case_changes):
    return {"case_data": case(**case_changes), "tracking_number": "YSQ-2026-000123",
            "document_number": "某府办依复〔2026〕12号", "issued_on": issued_on, "agency": AGENCY}


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The letter's text as pdftotext reads it, without page numbers and without any whitespace, so that
    phrases broken across lines or pages still match."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          check=True, capture_output=True, text=True).stdout
    text = "\n".join(line for line in text.splitlines() if not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line))
    return re.sub(r"\s+", "", text)


def read_letter(kind, tmp_path, issued_on=ISSUED_ON, **case_changes):
    return pdf_text(render_letter(kind, **letter_args(issued_on, **case_changes)), tmp_path)


# --- reply letters -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reply_type", list(codes.REPLY_TYPES))
def test_every_reply_type_names_applicant_number_legal_basis_finding_and_remedy(reply_type, tmp_path):
    extra, expected_phrases = REPLY_CASES[reply_type]
    text = read_letter("reply", tmp_path, reply_type=reply_type, **extra)

    assert "某某市人民政府办公室政府信息公开申请答复书" in text
    assert "某府办依复〔2026〕12号" in text
    assert "张三：" in text
    assert GIO + codes.REPLY_TYPES[reply_type].article in text
    for phrase in expected_phrases:
        assert phrase in text
    assert "自收到本答复书之日起六十日内向某某市人民政府申请行政复议" in text
    assert "行政诉讼" in text
    assert "上级主管部门" not in text  # the pre-2024 remedy wording is outdated


def test_reply_types_cover_domain_and_cite_the_gio_articles():
    assert set(codes.REPLY_TYPES) == set(REPLY_CASES)
    assert codes.reply_type("disclosed").legal_basis == GIO + "第三十六条第（二）项"
    assert codes.reply_type("confirm_request").article == "第二条"
    assert codes.reply_type("special_law").article == "第三十六条第（七）项"


# special_law (GIO 36(七)) is counted as 不予公开 row 三.8, so it is a refusal too (issue 9 §4).
@pytest.mark.parametrize("reply_type", ["withheld", "partial", "special_law"])
def test_refusals_since_2024_say_reconsideration_comes_before_court(reply_type, tmp_path):
    text = read_letter("reply", tmp_path, reply_type=reply_type, **REPLY_CASES[reply_type][0])
    assert "《中华人民共和国行政复议法》第二十三条" in text
    assert RECONSIDERATION_FIRST in text
    assert "对行政复议决定不服的，可以再依法向人民法院提起行政诉讼" in text
    # No direct route to court is offered.
    assert "六个月内向某某市某某区人民法院提起行政诉讼" not in text


@pytest.mark.parametrize("reply_type", sorted(set(codes.REPLY_TYPES) - {"withheld", "partial", "special_law"}))
def test_non_refusals_offer_reconsideration_or_court_without_reconsideration_first(reply_type, tmp_path):
    text = read_letter("reply", tmp_path, reply_type=reply_type, **REPLY_CASES[reply_type][0])
    assert RECONSIDERATION_FIRST not in text
    assert "或者自收到本答复书之日起六个月内向某某市某某区人民法院提起行政诉讼" in text


def test_refusal_issued_before_2024_keeps_the_choice_between_reconsideration_and_court(tmp_path):
    text = read_letter("reply", tmp_path, issued_on=datetime.date(2023, 12, 29),
                       reply_type="withheld", withholding_reasons=["state_secret"])
    assert RECONSIDERATION_FIRST not in text
    assert "六个月内向某某市某某区人民法院提起行政诉讼" in text


def test_refusal_flag_marks_exactly_withheld_and_partial():
    assert {code for code, reply in codes.REPLY_TYPES.items() if reply.refusal} == {"withheld", "partial", "special_law"}


def test_withheld_letter_gives_one_reasons_paragraph_per_reason_with_its_article(tmp_path):
    reasons = ["state_secret", "internal_affairs", "enforcement_case_file"]
    text = read_letter("reply", tmp_path, reply_type="withheld", withholding_reasons=reasons)
    assert GIO + "第三十六条第（三）项" in text
    for code in reasons:
        paragraph = re.sub(r"\s+", "", codes.withholding_reason(code).paragraph)
        assert paragraph in text
    for article in ("第十四条", "第十六条第一款", "第十六条第二款"):
        assert GIO + article in text


def test_withholding_reasons_follow_the_gio_articles_and_annual_report_rows():
    articles = {code: reason.article for code, reason in codes.WITHHOLDING_REASONS.items()}
    assert articles == {
        "state_secret": "第十四条", "prohibited_by_law": "第十四条", "three_securities_one_stability": "第十四条",
        "third_party_rights": "第十五条", "internal_affairs": "第十六条第一款",
        "process_information": "第十六条第二款", "enforcement_case_file": "第十六条第二款",
    }
    # Administrative inquiry matters (row 三.8) are the reply type special_law, not a reason (GIO 36(七)).
    assert [reason.report_row for reason in codes.WITHHOLDING_REASONS.values()] == [f"三.{n}" for n in range(1, 8)]
    assert codes.report_row("special_law") == "三.8"
    assert codes.report_row("withheld", "process_information") == "三.6"
    assert codes.report_row("not_this_agency") == "四.1"
    assert codes.report_row("confirm_request") == "五.5"
    with pytest.raises(ValueError):
        codes.report_row("withheld")


def test_withholding_reasons_are_not_printed_on_a_letter_that_discloses(tmp_path):
    text = read_letter("reply", tmp_path, reply_type="disclosed", withholding_reasons=["state_secret"])
    assert "国家秘密" not in text


def test_recital_states_receipt_date_channel_request_and_correction_date(tmp_path):
    text = read_letter("reply", tmp_path, reply_type="not_exist", corrected_on="2026-11-02",
                       document_refs="某府办发〔2025〕3号")
    assert ("本机关于2026年10月26日收到您（通过挂号信）提出的政府信息公开申请，"
            "申请获取“某某区2025年度道路建设项目的招标文件”（文号：某府办发〔2025〕3号）。") in text
    assert "经补正，本机关于2026年11月2日收到您补正后的申请。" in text


def test_recital_without_correction_or_channel_says_neither(tmp_path):
    text = read_letter("reply", tmp_path, reply_type="not_exist", channel=None)
    assert "本机关于2026年10月26日收到您提出的政府信息公开申请" in text
    assert "经补正" not in text


def test_not_this_agency_without_a_known_responsible_agency_still_says_so(tmp_path):
    text = read_letter("reply", tmp_path, reply_type="not_this_agency")
    assert "本机关不负责公开该政府信息" in text
    assert "None" not in text


def test_reply_ends_with_agency_chinese_date_contact_and_tracking_number(tmp_path):
    text = read_letter("reply", tmp_path, reply_type="not_exist")
    assert "特此告知。某某市人民政府办公室2026年11月22日" in text
    assert "受理编号：YSQ-2026-000123" in text
    assert "联系地址：某某市某某区人民路1号" in text
    assert "联系电话：0000-12345678" in text


def test_reply_text_is_its_own_paragraph_and_keeps_line_breaks():
    html = letter_html("reply", **letter_args(reply_type="disclosed", reply_text="第一行说明\n\n第二行说明"))
    assert "<p>第一行说明</p>" in html
    assert "<p>第二行说明</p>" in html


def test_markup_typed_by_applicant_or_officer_prints_literally(tmp_path):
    args = letter_args(applicant_name="<b>王五</b>", reply_type="disclosed",
                       reply_text='<script>alert(1)</script><img src="http://127.0.0.1:9/x.png">')
    html = letter_html("reply", **args)
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    text = pdf_text(render_letter("reply", **args), tmp_path)
    assert "<b>王五</b>：" in text
    assert '<script>alert(1)</script><imgsrc="http://127.0.0.1:9/x.png">' in text


# --- notices -------------------------------------------------------------------------------------------------

def test_correction_notice_lists_items_deadline_restart_and_deemed_abandonment(tmp_path):
    text = read_letter("correction_notice", tmp_path,
                       correction_items="1. 请明确所需文件的名称或者文号；\n2. 请明确所需信息的时间范围。",
                       correction_deadline="2026-11-13")
    assert "某某市人民政府办公室政府信息公开申请补正告知书" in text
    assert GIO + "第三十条" in text
    assert "1.请明确所需文件的名称或者文号；2.请明确所需信息的时间范围。" in text
    assert "请您于2026年11月13日前向本机关提交补正后的申请" in text
    assert "答复期限自本机关收到您补正后的申请之日起重新计算" in text
    assert "您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请" in text
    assert "行政复议" not in text  # a procedural notice, not a decision


def test_correction_notice_keeps_each_item_on_its_own_line():
    html = letter_html("correction_notice", **letter_args(correction_items="第一项\r\n第二项",
                                                          correction_deadline="2026-11-13"))
    assert html.count('<p class="list-item">') == 2


def test_extension_notice_states_reason_head_consent_20_working_days_and_new_date(tmp_path):
    text = read_letter("extension_notice", tmp_path, extension_reason="所申请信息数量较大，需要检索、汇总",
                       original_reply_due_date="2026-11-23", extended_due_date="2026-12-21")
    assert "政府信息公开申请延期答复告知书" in text
    assert GIO + "第三十三条第二款" in text
    assert "因所申请信息数量较大，需要检索、汇总，本机关不能在法定期限内作出答复（原答复期限至2026年11月23日届满）" in text
    assert "经本机关政府信息公开工作机构负责人同意" in text
    assert "延长的期限最长不超过20个工作日" in text
    assert "本机关将于2026年12月21日前作出答复" in text


def test_extension_notice_without_a_reason_still_reads_correctly(tmp_path):
    # The two dates are required (issue 9 §2: the notice states the original and the new due date).
    text = read_letter("extension_notice", tmp_path, original_reply_due_date="2026-11-23",
                       extended_due_date="2026-12-21")
    assert "。本机关不能在法定期限内作出答复（原答复期限至2026年11月23日届满）" in text
    assert "None" not in text


def test_third_party_consultation_asks_for_an_answer_in_15_working_days_without_naming_the_applicant(tmp_path):
    text = read_letter("third_party_consultation", tmp_path, third_party_name="某某建设有限公司",
                       consultation_matter="贵公司投标报价明细", third_party_due_date="2026-12-14")
    assert "政府信息公开征求第三方意见书" in text
    assert "某某建设有限公司：" in text
    assert GIO + "第三十二条" in text
    assert "贵公司投标报价明细" in text
    assert "自收到本意见书之日起15个工作日内（即2026年12月14日前）" in text
    assert "贵单位逾期未提出意见的，由本机关依照" in text and "决定是否公开" in text  # an organisation
    assert "张三" not in text  # the third party learns what is asked, not by whom


@pytest.mark.parametrize("kind", list(LETTER_KINDS))
def test_each_kind_renders_with_only_its_required_data(kind, tmp_path):
    minimal = {"applicant_name": "张三", "received_on": "2026-10-26", "description": "某文件",
               "reply_type": "not_exist", "correction_items": "请明确文件名称", "correction_deadline": "2026-11-13",
               "third_party_name": "某某公司", "original_reply_due_date": "2026-11-23",
               "extended_due_date": "2026-12-21", "consultation_matter": "合同金额", "public_interest_reasons": "涉及公共安全",
               "reasons_deadline": "2026-12-07", "later_reply_due_date": "2027-01-29",
               "fee_method": "per_volume", "fee_amount": 200, "fee_basis": "共50页", "fee_due_date": "2026-12-21",
               "reply_due_date": "2026-11-23"}
    args = {"case_data": minimal, "tracking_number": "YSQ-2026-000124", "document_number": "某府办依补〔2026〕3号",
            "issued_on": ISSUED_ON, "agency": {"name": AGENCY["name"], "reconsideration_body": "某某市人民政府",
                                               "court": "某某市某某区人民法院"}}
    text = pdf_text(render_letter(kind, **args), tmp_path)
    assert LETTER_KINDS[kind]["title_suffix"] in text
    assert "某府办依补〔2026〕3号" in text
    assert "2026年11月22日" in text
    assert "None" not in text


def test_letter_kinds_carry_their_document_number_series():
    assert {kind: spec["series"] for kind, spec in LETTER_KINDS.items()} == {
        "reply": "依复", "correction_notice": "依补", "extension_notice": "依延", "third_party_consultation": "依征",
        "withdrawal_notice": "依终", "disclosure_decision_notice": "依决", "reasons_request": "依理",
        "later_deadline_notice": "依迟", "fee_notice": "依费",
        "fee_unpaid_notice": "依止", "registration_receipt": "依收"}


@pytest.mark.parametrize("kind, changes, complaint", [
    ("reply", {"reply_type": "withheld"}, "withholding reasons"),
    ("reply", {"reply_type": "partial"}, "reasons"),
    ("reply", {"reply_type": "already_public"}, "reply_text"),
    ("reply", {"reply_type": "approved"}, "reply_type"),
    ("reply", {"reply_type": "withheld", "withholding_reasons": ["too_sensitive"]}, "withholding_reasons"),
    ("reply", {}, "reply_type"),
    ("correction_notice", {"correction_items": "x"}, "correction_deadline"),
    ("extension_notice", {"received_on": "26/10/2026", "original_reply_due_date": "2026-11-23",
                          "extended_due_date": "2026-12-21"}, "received_on"),
    ("extension_notice", {"extended_due_date": "2026-12-21"}, "original_reply_due_date"),
    ("memo", {}, "unknown letter kind"),
])
def test_a_letter_the_law_would_not_accept_is_refused_with_a_clear_message(kind, changes, complaint):
    with pytest.raises(LetterDataError, match=complaint):
        build_letter_context(kind, **letter_args(**changes))


# --- rendering: fonts, layout, determinism, resources --------------------------------------------------------

def test_letters_set_the_body_in_fangsong_embed_every_font_and_number_their_pages(tmp_path):
    # Changed by design (issue 9 §5): the body is 仿宋 (FandolFang) per GB/T 9704, no longer Noto Serif.
    pdf = render_letter("reply", **letter_args(reply_type="not_exist"))
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    font_rows = fonts.splitlines()[2:]
    assert font_rows and all(" yes yes " in row for row in font_rows)
    assert any("FandolFang" in row for row in font_rows)
    assert any("Noto-Serif-CJK-SC-Bold" in row for row in font_rows)  # the title, without a 小标宋 file
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                            text=True).stdout
    assert re.search(r"—\s*1\s*—", layout)


def test_same_letter_renders_to_the_same_bytes():
    # Stored documents are hashed: a re-render of the same data must give the same PDF.
    args = letter_args(reply_type="repeat")
    assert render_letter("reply", **args) == render_letter("reply", **args)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/x.png",
    "https://example.org/seal.png",
    "file:///etc/passwd",
    "file://otherhost" + str(render.STATIC_DIR / "letters" / "letter.css"),
    (render.STATIC_DIR / "letters" / ".." / ".." / "letters" / "render.py").as_uri(),
    render.STATIC_DIR.as_uri() + "/%2e%2e/config.py",
    "data:text/css,body{color:red}",
    "ftp://example.org/x",
])
def test_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(render.ResourceRefused):
        render.StaticFilesFetcher().fetch(url)


def test_fetcher_serves_a_static_file():
    response = render.StaticFilesFetcher().fetch((render.STATIC_DIR / "letters" / "letter.css").as_uri())
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_fetcher_refuses_a_symlink_out_of_the_static_folder(tmp_path, monkeypatch):
    static = tmp_path / "static"
    static.mkdir()
    (static / "passwd").symlink_to("/etc/passwd")
    monkeypatch.setattr(render, "STATIC_DIR", static)
    with pytest.raises(render.ResourceRefused):
        render.static_path((static / "passwd").as_uri())


def test_rendering_fetches_nothing_from_the_network_or_outside_static(caplog):
    hits = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        pdf = render.html_to_pdf(
            f'<html><head><link rel="stylesheet" href="{base}/x.css">'
            f'<style>@import url("{base}/y.css"); p {{ background: url("{base}/z.png") }}</style></head>'
            f'<body><p>正文</p><img src="{base}/seal.png"><img src="file:///etc/passwd">'
            f'<img src="../../config.py"></body></html>')
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF")
    assert hits == []
    refused = [record.getMessage() for record in caplog.records if "letter resource refused" in record.getMessage()]
    assert any("/seal.png" in message for message in refused)
    assert any("file:///etc/passwd" in message for message in refused)
