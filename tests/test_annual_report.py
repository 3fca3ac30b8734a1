"""The annual report (国办公开办函〔2021〕30号): a year of requests worked through the services, every cell of
sections 三 and 四 checked against counts written down independently, the invariant, the checks that list
the cases breaking it, the links behind each number, and publishing (freezing) a year."""
from collections import defaultdict

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Case
from app.services import facts

from .annual_fixture import APPLICANT_TYPES, REPLIES, Expected, Office, closing_on
from .helpers import office_today

YEAR, PRIOR = 2026, 2025
COLUMN_LABELS = {"natural_person": "自然人", "commercial_enterprise": "商业企业", "research_institution": "科研机构",
                 "public_interest_org": "社会公益组织", "legal_service_org": "法律服务机构", "other_org": "其他",
                 "total": "总计"}
COLUMNS = (*APPLICANT_TYPES, "total")
ROWS = ("1", "2", "3.1", "3.2", *(f"3.3.{i}" for i in range(1, 9)), *(f"3.4.{i}" for i in range(1, 4)),
        *(f"3.5.{i}" for i in range(1, 6)), *(f"3.6.{i}" for i in range(1, 4)), "3.7", "4")
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


def expected_section3(cases: list[Expected], year: int) -> dict:
    table = {row: dict.fromkeys(COLUMNS, 0) for row in ROWS}
    for case in cases:
        for row in case.rows.get(year, ()):
            table[row][case.applicant_type] += 1
            table[row]["total"] += 1
    return table


@pytest.fixture
def year_of_cases(client, monkeypatch):
    """Requests received in 2025 and 2026, closed in 2025, in 2026 or still open, with remedies."""
    office, cases = Office(client), []
    today = office_today()

    def closed_now(applicant_type, received_on, row):
        return {YEAR: ["1", row, "3.7"]} if received_on.startswith(str(YEAR)) else \
            {PRIOR: ["1", "4"], YEAR: ["2", row, "3.7"]}

    # Every reply type, the applicant types taking turns.
    by_reply = {}
    for i, (reply_type, (_, row)) in enumerate(REPLIES.items()):
        applicant_type = APPLICANT_TYPES[i % len(APPLICANT_TYPES)]
        # A correction (GIO 30) or a request for reasons (GIO 35) must precede these replies, within the reply
        # period: those requests arrive now, the others in March.
        needs_steps = reply_type in ("still_unclear", "abusive")
        case_id = office.register(applicant_type, today if needs_steps else f"{YEAR}-03-{i + 2:02d}")
        office.reply(case_id, reply_type, today)
        by_reply[reply_type] = case_id
        cases.append(Expected(case_id, applicant_type, closed_now(applicant_type, "2026", row)))

    # Several withholding reasons: counted once, under the principal one (marked, else the first chosen).
    marked = office.register("legal_service_org", f"{YEAR}-04-01")
    office.reply(marked, "withheld", today, withholding_reasons=["third_party_rights", "internal_affairs"],
                 principal_reason="internal_affairs")
    cases.append(Expected(marked, "legal_service_org", {YEAR: ["1", "3.3.5", "3.7"]}))
    first = office.register("natural_person", f"{YEAR}-04-02")
    office.reply(first, "withheld", today, withholding_reasons=["process_information", "enforcement_case_file"])
    cases.append(Expected(first, "natural_person", {YEAR: ["1", "3.3.6", "3.7"]}))

    # Ended without a reply: 视为放弃 (六.1), ended by an administrator (六.3).
    lapsed = office.register("research_institution", today)  # a correction only within the reply period
    office.withdraw(lapsed)
    cases.append(Expected(lapsed, "research_institution", {YEAR: ["1", "3.6.1", "3.7"]}))
    ended = office.register("public_interest_org", f"{YEAR}-05-07")
    office.terminate(ended)
    cases.append(Expected(ended, "public_interest_org", {YEAR: ["1", "3.6.3", "3.7"]}))

    # Fees: one paid (then answered), one not paid in time (六.2).
    paid = office.register("research_institution", f"{YEAR}-06-01")
    office.reply(paid, "disclosed", today, fee_pages=50)
    cases.append(Expected(paid, "research_institution", {YEAR: ["1", "3.1", "3.7"]}))
    unpaid = office.register("other_org", f"{YEAR}-06-02")
    office.fee_unpaid(unpaid, monkeypatch)
    cases.append(Expected(unpaid, "other_org", {YEAR: ["1", "3.6.2", "3.7"]}))

    # Open at the end of the year (结转下年度).
    for applicant_type in ("commercial_enterprise", "natural_person"):
        case_id = office.register(applicant_type, f"{YEAR}-11-20")
        cases.append(Expected(case_id, applicant_type, {YEAR: ["1", "4"]}))

    # Received in 2025: closed in 2025; carried over and closed in 2026; carried over and still open.
    closed_2025 = office.register("natural_person", f"{PRIOR}-06-10")
    with closing_on(monkeypatch, f"{PRIOR}-07-01"):
        office.reply(closed_2025, "withheld", f"{PRIOR}-07-01")
    cases.append(Expected(closed_2025, "natural_person", {PRIOR: ["1", "3.3.1", "3.7"]}))
    carried = office.register("other_org", f"{PRIOR}-12-15")
    office.reply(carried, "disclosed", today)
    cases.append(Expected(carried, "other_org", {PRIOR: ["1", "4"], YEAR: ["2", "3.1", "3.7"]}))
    still_open = office.register("commercial_enterprise", f"{PRIOR}-12-28")
    cases.append(Expected(still_open, "commercial_enterprise", {PRIOR: ["1", "4"], YEAR: ["2", "4"]}))

    # Remedies (section 四): counted in the year filed, under the outcome known at the year's end.
    office.remedy(closed_2025, kind="reconsideration", filed_on=f"{PRIOR}-08-01", body="示范市人民政府",
                  outcome="upheld", decided_on=f"{PRIOR}-09-20")
    office.remedy(closed_2025, kind="litigation_after_reconsideration", filed_on=f"{PRIOR}-12-01",
                  body="示范市某区人民法院", outcome="corrected", decided_on=f"{YEAR}-01-10")
    office.remedy(by_reply["disclosed"], kind="litigation_direct", filed_on=today, body="示范市某区人民法院")
    office.remedy(by_reply["withheld"], kind="reconsideration", filed_on=today, body="示范市人民政府",
                  outcome="corrected", decided_on=today, documents="示复决〔2026〕3号")
    office.remedy(carried, kind="reconsideration", filed_on=today, body="示范市人民政府", outcome="other",
                  decided_on=today)
    return office, cases, by_reply


def section4(**cells) -> dict:
    """Section 四 with the given cells, e.g. reconsideration=("upheld",), the rest zero."""
    result = {kind: dict.fromkeys(OUTCOMES, 0) for kind in
              ("reconsideration", "litigation_direct", "litigation_after_reconsideration")}
    for kind, outcomes in cells.items():
        for outcome in outcomes:
            result[kind][outcome] += 1
            result[kind]["total"] += 1
    return result


def report(office, year, user="head"):
    return office.api[user].ok(office.api[user].get(f"/reports/annual/{year}"))


def test_every_cell_of_the_year_matches_counts_made_by_hand(year_of_cases):
    office, cases, _ = year_of_cases
    for year in (YEAR, PRIOR):
        body = report(office, year)
        assert body["year"] == year and body["frozen"] is False
        expected = expected_section3(cases, year)
        assert set(body["section3"]["rows"]) == set(ROWS)
        for row in ROWS:
            assert body["section3"]["rows"][row] == expected[row], (year, row)
        for column in COLUMNS:
            rows = body["section3"]["rows"]
            assert rows["1"][column] + rows["2"][column] == rows["3.7"][column] + rows["4"][column]
        assert all(check["ok"] and check["cases"] == [] for check in body["checks"]), body["checks"]
    assert report(office, YEAR)["section6"] == {"fees_paid_cases": 1, "fees_collected_yuan": 200}
    assert report(office, PRIOR)["section6"] == {"fees_paid_cases": 0, "fees_collected_yuan": 0}
    assert report(office, YEAR)["section4"] == section4(
        reconsideration=("corrected", "other"), litigation_direct=("pending",))
    # Decided in January: at the end of 2025 the suit was still pending.
    assert report(office, PRIOR)["section4"] == section4(
        reconsideration=("upheld",), litigation_after_reconsideration=("pending",))


def test_every_number_links_to_the_cases_it_counts(year_of_cases):
    office, cases, by_reply = year_of_cases
    head = office.api["head"]
    numbers = {c.case_id: db.session.get(Case, c.case_id).tracking_number for c in cases}
    expected = defaultdict(set)
    for case in cases:
        for row in case.rows.get(YEAR, ()):
            expected[(row, case.applicant_type)].add(numbers[case.case_id])
            expected[(row, "total")].add(numbers[case.case_id])
    for row in ROWS:
        for column in COLUMNS:
            listed = head.ok(head.get(f"/reports/annual/{YEAR}/cases?row={row}&column={column}"))
            assert {c["tracking_number"] for c in listed} == expected[(row, column)], (row, column)
    listed = head.ok(head.get(f"/reports/annual/{YEAR}/cases?remedy=reconsideration&outcome=corrected"))
    assert [c["tracking_number"] for c in listed] == [numbers[by_reply["withheld"]]]


def test_a_case_without_applicant_type_fails_the_column_check_and_is_named(year_of_cases):
    office, cases, _ = year_of_cases
    # A request imported from an older register that did not record the applicant type.
    legacy = db.session.get(Case, cases[0].case_id)
    legacy.data = {k: v for k, v in legacy.data.items() if k != "applicant_type"}
    tracking_number = legacy.tracking_number
    db.session.commit()
    assert facts.rebuild_all() == len(db.session.execute(select(Case.id)).all())
    body = report(office, YEAR)
    by_rule = {c["rule"]: c for c in body["checks"]}
    column_check = by_rule["总计列等于各类申请人之和（每一行）"]
    assert column_check["ok"] is False and column_check["cases"] == [tracking_number]
    assert by_rule["一 + 二 = 三（七） + 四（每一列）"]["ok"] is True


def test_a_published_year_keeps_its_numbers_and_shows_later_changes(year_of_cases, client):
    office, cases, _ = year_of_cases
    head = office.api["head"]
    before = report(office, PRIOR)
    frozen = head.ok(head.post(f"/reports/annual/{PRIOR}/freeze"), 201)
    assert len(frozen["sha256"]) == 64
    # A reconsideration of 2025 is recorded late: the published figure stays, the difference shows.
    closed_2025 = next(c for c in cases if c.rows.get(PRIOR) == ["1", "3.3.1", "3.7"])
    office.remedy(closed_2025.case_id, kind="reconsideration", filed_on=f"{PRIOR}-10-08", body="示范市人民政府")
    after = report(office, PRIOR)
    assert after["frozen"] is True and after["sha256"] == frozen["sha256"]
    assert after["section4"] == before["section4"] and after["section3"] == before["section3"]
    assert {(d["row"], d["column"], d["frozen"], d["current"]) for d in after["differences"]} == {
        ("reconsideration", "pending", 0, 1), ("reconsideration", "total", 1, 2)}
    assert head.post(f"/reports/annual/{PRIOR}/freeze").status_code == 409
    from .test_web import login
    login(client, "auditor")
    page = client.get(f"/reports/annual?year={PRIOR}").get_data(as_text=True)
    assert "下列数字为发布时的数字" in page and "四、行政复议 · 尚未审结：0 → 1" in page
    assert head.post(f"/reports/annual/{YEAR}/freeze").status_code == 409  # the year is not over


def test_who_may_read_the_report(year_of_cases):
    office, _, _ = year_of_cases
    for user in ("head", "auditor", "admin"):
        assert office.api[user].get(f"/reports/annual/{YEAR}").status_code == 200
    refused = office.api["officer"].get(f"/reports/annual/{YEAR}")
    assert refused.status_code == 403 and "负责人" in refused.get_json()["error"]
    assert office.api["auditor"].post(f"/reports/annual/{PRIOR}/freeze").status_code == 403


def test_a_bad_year_is_a_clear_error(client):
    head = Office(client).api["head"]
    for raw in ("abc", "1999", "2999"):
        response = head.get(f"/reports/annual/{raw}")
        assert response.status_code == 422 and "year" in response.get_json()["fields"]


def test_the_page_pdf_and_spreadsheet_show_the_same_numbers(year_of_cases, client, tmp_path):
    import io

    from openpyxl import load_workbook

    from .helpers import pdf_text
    from .test_web import login

    office, cases, _ = year_of_cases
    numbers = report(office, YEAR)
    login(client, "head")
    page = client.get(f"/reports/annual?year={YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"/reports/annual/{YEAR}/cases?row=3.3.5&amp;column=legal_service_org" in html
    listed = client.get(f"/reports/annual/{YEAR}/cases?row=3.3.5&column=legal_service_org").get_data(as_text=True)
    marked = next(c for c in cases if c.rows.get(YEAR) == ["1", "3.3.5", "3.7"])
    assert db.session.get(Case, marked.case_id).tracking_number in listed

    text = pdf_text(client.get(f"/reports/annual/{YEAR}.pdf").data, tmp_path)
    assert f"{YEAR}年政府信息公开工作年度报告" in text
    assert "三、收到和处理政府信息公开申请情况" in text and "8.属于行政查询事项" in text
    assert "四、政府信息公开行政复议、行政诉讼情况" in text

    book = load_workbook(io.BytesIO(client.get(f"/reports/annual/{YEAR}.xlsx").data))
    sheet3 = book["三 收到和处理申请"]
    header = [c.value for c in sheet3[1]]
    by_row = {r[0].value: r for r in sheet3.iter_rows(min_row=2) if r[0].value}
    for row in ROWS:
        for column in COLUMNS:
            cell = by_row[row][header.index(COLUMN_LABELS[column])]
            assert cell.value == numbers["section3"]["rows"][row][column] and isinstance(cell.value, int)
    sheet4 = book["四 行政复议和诉讼"]
    assert [c.value for c in sheet4[2]][1:] == [numbers["section4"]["reconsideration"][o] for o in OUTCOMES]


def test_the_office_writes_sections_one_two_and_five(client):
    from .test_web import csrf, login
    login(client, "head")
    page = client.get(f"/reports/annual?year={PRIOR}").get_data(as_text=True)
    response = client.post(f"/reports/annual/{PRIOR}/texts", data={
        "section1": "本年度，本机关认真贯彻《条例》。", "section2": "主动公开规范性文件12件。",
        "section5": "x" * 20001, "csrf_token": csrf(page)})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "本年度，本机关认真贯彻《条例》。" in body and "不能超过 20000 字" in body  # nothing typed is lost
    response = client.post(f"/reports/annual/{PRIOR}/texts", data={
        "section1": "本年度，本机关认真贯彻《条例》。", "section2": "主动公开规范性文件12件。",
        "section5": "个别答复说理不够充分。", "csrf_token": csrf(page)})
    assert response.status_code == 302
    api = Office(client).api["auditor"]
    assert api.ok(api.get(f"/reports/annual/{PRIOR}"))["texts"]["section5"] == "个别答复说理不够充分。"
