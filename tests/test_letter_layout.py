"""Letters a head of office signs (issue 9 §5): every letter kind of every process, laid out per GB/T 9704,
read back from the PDF with pdfinfo / pdftotext / pdffonts.

- a short letter fits on one page; a long one never leaves the signature alone on its last page;
- the body is set in 仿宋 (FandolFang, or the agency's own font file), every font embedded;
- typed text ending in a full stop does not double the letter's punctuation;
- every letter that decides, ends or refuses a request carries the one remedy clause.

No Flask app: letters render without an app context.
"""
import re
import subprocess
from pathlib import Path

import pytest

from app.disclosure import letters as disclosure
from app.letters import fonts, remedy, render
from app.letters.punctuation import in_sentence
from app.petition import letters as petition
from app.supervision import letters as supervision
from tests import letter_catalog as catalog

ENTRIES = catalog.every_letter()
IDS = [catalog.entry_id(entry) for entry in ENTRIES]

# Letters whose required legal content runs past one page with realistic data: the reasons of a refusal
# (GIO 36(三), 37), the correction items with the GIO 30 warnings, the GIO 32 consultation's three
# paragraphs, and the investigation findings of petition opinions (XF 32, 35, 36). Also the special_law reply
# (GIO 36(七)): a refusal, so it carries the six-line reconsideration-first clause (行政复议法 23) besides the
# finding and where to turn; and the GIO 32 决定公开告知书, which must state the third party's objection, the
# public-interest reasons, the content to be disclosed and the third party's remedy. Every other letter is short.
LONG = {"disclosure-reply-partial", "disclosure-reply-withheld", "disclosure-reply-special_law",
        "disclosure-correction_notice", "disclosure-third_party_consultation", "disclosure-disclosure_decision_notice",
        "petition-handling_opinion", "petition-review_opinion", "petition-re_review_opinion"}
CLOSINGS = ("特此告知。", "特此函告。", "特此通知。")


def pages(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page (page-number lines dropped, whitespace removed)."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    texts = []
    for number in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number), str(path), "-"],
                              check=True, capture_output=True, text=True).stdout
        text = "\n".join(line for line in text.splitlines() if not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line))
        texts.append(re.sub(r"\s+", "", text))
    return texts


def text_of(pdf: bytes, tmp_path) -> str:
    return "".join(pages(pdf, tmp_path))


def test_the_catalog_has_every_letter_kind_of_every_process():
    for module in (disclosure, petition, supervision):
        covered = {entry["kind"] for entry in ENTRIES if entry["module"] is module}
        assert covered == set(module.LETTER_KINDS), f"add the new letter kinds of {module.__name__} to letter_catalog"
    assert LONG <= set(IDS)


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_short_letters_fit_one_page_and_no_signature_stands_alone(entry, tmp_path):
    texts = pages(catalog.render(entry), tmp_path)
    signatory = catalog.AGENCY["name"] + catalog.ISSUED_ON.strftime("%Y年") + \
        f"{catalog.ISSUED_ON.month}月{catalog.ISSUED_ON.day}日"
    if catalog.entry_id(entry) not in LONG:
        assert len(texts) == 1, f"a short letter runs to {len(texts)} pages"
    last = texts[-1]
    assert signatory in last
    # Above the signature on the last page: more than the closing formula, i.e. some of the letter's last
    # paragraph came along with the signature and the date.
    above = last.split(signatory)[0]
    for closing in CLOSINGS:
        above = above.replace(closing, "")
    assert len(above) >= 10, f"the signature stands alone on page {len(texts)}: {last[:80]}"


def test_the_last_page_of_a_long_letter_carries_the_end_of_its_remedy_clause(tmp_path):
    entry = next(e for e in ENTRIES if catalog.entry_id(e) == "disclosure-reply-withheld")
    texts = pages(catalog.render(entry), tmp_path)
    assert len(texts) == 2
    assert "提起行政诉讼。特此告知。示范市人民政府办公室2026年11月23日" in texts[1]


# --- fonts ---------------------------------------------------------------------------------------------------

def pdf_fonts(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return listing.splitlines()[2:]


def test_the_body_is_set_in_fandol_fangsong_and_every_font_is_embedded(tmp_path):
    assert fonts.FANDOL_FANG.is_file(), "the Makefile installs texlive-lang-chinese (FandolFang)"
    rows = pdf_fonts(catalog.render(ENTRIES[0]), tmp_path)
    assert any("Body-FandolFang-Regular" in row for row in rows)
    assert all(" yes yes " in row for row in rows)  # embedded and subset


@pytest.fixture
def agency_fonts():
    """The agency's own font files for body and title (here: AR PL fonts from Debian, standing in for 方正)."""
    body = Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
    title = Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")
    render.configure_fonts(fonts.from_settings({"LETTER_BODY_FONT": str(body), "LETTER_TITLE_FONT": str(title)}))
    yield body, title
    render.configure_fonts(fonts.from_settings({}))


def test_an_agency_points_the_settings_at_its_own_licensed_fonts(agency_fonts, tmp_path):
    rows = pdf_fonts(catalog.render(ENTRIES[0]), tmp_path)
    assert any("Body-gkai00mp" in row for row in rows)
    assert any("Title-gbsn00lp" in row for row in rows)
    assert not any("FandolFang" in row for row in rows)
    # The configured files, and only they, are served beside the static folder.
    body, _ = agency_fonts
    assert render.StaticFilesFetcher().fetch(body.as_uri()).read()[:4] == b"\x00\x01\x00\x00"
    with pytest.raises(render.ResourceRefused):
        render.StaticFilesFetcher().fetch(fonts.FANDOL_FANG.with_name("FandolKai-Regular.otf").as_uri())


@pytest.mark.parametrize("value, complaint", [("/nonexistent/fangsong.ttf", "no such font file"),
                                              ("/etc/hostname", "not a TrueType/OpenType font")])
def test_a_font_setting_that_names_no_font_is_an_error_not_a_silent_fallback(value, complaint):
    with pytest.raises(fonts.FontSettingError, match=complaint):
        fonts.from_settings({"LETTER_BODY_FONT": value})


# --- punctuation ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, printed", [
    ("施工合同。", "施工合同"), ("施工合同", "施工合同"), ("需要检索、汇总；", "需要检索、汇总"),
    ("答复。 ", "答复"), ("见附件（第3页。）", "见附件（第3页）"), ("是否公开？", "是否公开？"),
    ("“重点领域”。", "“重点领域”"), (None, None),
])
def test_typed_text_inside_a_sentence_loses_its_own_closing_mark(typed, printed):
    assert in_sentence(typed) == printed


# A pause mark followed by another, or closing a quotation or bracket the letter's sentence goes on after.
DOUBLED = re.compile(r"[。，；：、][”’）]?[。，；：、]|[。，；：、][”’）](?!特此|$)")


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_no_letter_doubles_punctuation_when_typed_text_ends_a_sentence(entry, tmp_path):
    # Every typed phrase the letter quotes ends with a full stop, as people type them.
    typed = ("description", "document_refs", "extension_reason", "consultation_matter", "responsible_agency",
             "subject", "title", "intake_note", "ledger_number", "competent_body", "duplicate_of",
             "reasons_request_text", "public_interest_reasons", "third_party_opinion")
    changes = {key: str(entry["data"][key]).rstrip("。") + "。" for key in typed if key in entry["data"]}
    if entry["module"] is disclosure:
        changes.setdefault("document_refs", "示政办发〔2025〕3号。")
    text = text_of(catalog.render(entry, **changes), tmp_path)
    assert not DOUBLED.search(text), DOUBLED.search(text).group(0)
    if "description" in changes and entry["kind"] != "third_party_consultation":
        assert "施工合同”（文号：示政办发〔2025〕3号）。" in text


def test_the_extension_reason_joins_the_sentence_without_a_stray_full_stop(tmp_path):
    entry = next(e for e in ENTRIES if catalog.entry_id(e) == "disclosure-extension_notice")
    text = text_of(catalog.render(entry, extension_reason="需与多个部门会商后才能答复。"), tmp_path)
    assert "因需与多个部门会商后才能答复，本机关不能在法定期限内作出答复" in text


# --- the remedy clause ---------------------------------------------------------------------------------------

def remedy_entries():
    return [entry for entry in ENTRIES if entry["module"].LETTER_KINDS[entry["kind"]].get("remedy")]


def test_every_reply_and_the_deemed_abandonment_notice_carry_the_remedy_clause():
    kinds = {entry["kind"] for entry in remedy_entries()}
    assert {"reply", "withdrawal_notice"} <= kinds


@pytest.mark.parametrize("entry", remedy_entries(), ids=[catalog.entry_id(e) for e in remedy_entries()])
def test_remedy_clause_names_the_reconsideration_body_and_courts_in_general_terms(entry, tmp_path):
    text = text_of(catalog.render(entry), tmp_path)
    document = entry["module"].LETTER_KINDS[entry["kind"]]["remedy"]
    assert f"自收到本{document}之日起六十日内向示范市人民政府申请行政复议" in text
    assert "依法向人民法院提起行政诉讼" in text
    assert "中级人民法院" not in text and "None" not in text
    assert text.count("申请行政复议") <= 3  # printed once, not once per template and once more


def test_the_deemed_abandonment_notice_offers_reconsideration_or_suit(tmp_path):
    entry = next(e for e in ENTRIES if e["kind"] == "withdrawal_notice")
    text = text_of(catalog.render(entry), tmp_path)
    assert ("如对本机关的上述处理不服，您可以自收到本告知书之日起六十日内向示范市人民政府申请行政复议，"
            "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。特此告知。") in text


def test_a_court_the_agency_configures_is_named_instead(tmp_path):
    entry = next(e for e in ENTRIES if catalog.entry_id(e) == "disclosure-reply-not_exist")
    text = text_of(catalog.render(entry, agency={**catalog.AGENCY, "court": "示范市人民路区人民法院"}), tmp_path)
    assert "或者自收到本答复书之日起六个月内向示范市人民路区人民法院提起行政诉讼" in text


def test_refusals_require_reconsideration_first_with_the_article():
    clause = remedy.remedy_clause(catalog.AGENCY, issued_on=catalog.ISSUED_ON, refused="不予公开")
    assert clause.startswith("根据《中华人民共和国行政复议法》第二十三条的规定，对本机关不予公开的决定不服的，"
                             "您应当先向行政复议机关申请行政复议")
    assert "六个月内" not in clause


def test_the_remedy_wording_lives_in_one_place():
    app_dir = Path(render.APP_DIR)
    templates = [path for path in app_dir.glob("*/templates/**/letters/*.html")]
    assert templates
    offenders = [str(path.relative_to(app_dir)) for path in templates if "申请行政复议" in path.read_text("utf-8") or "提起行政诉讼" in path.read_text("utf-8")]
    assert offenders == []


def test_the_demo_agency_names_no_intermediate_court():
    from app.config import DEFAULT_AGENCY
    assert "中级人民法院" not in str(DEFAULT_AGENCY)
    assert DEFAULT_AGENCY.get("court") is None
