"""Information processing fees (国办函〔2020〕109号, DOMAIN 2.6): the amounts, the fee step of the disclosure
process (notice, 20 working days to pay on a clock of its own, the reply clock paused by default), and
non-payment ending the request (row 六.2) with its letter and remedy clause."""
from datetime import date, timedelta

import pytest

from app.disclosure import fees, hooks
from app.extensions import db
from app.models import CaseFact, Document

from .annual_fixture import Office
from .helpers import office_today, pdf_text


@pytest.mark.parametrize("nth, yuan", [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300),
                                       (50, 300), (51, 400)])
def test_per_request_fee_per_applicant_and_month(nth, yuan):
    assert fees.per_request_fee(nth) == yuan


@pytest.mark.parametrize("pages, yuan", [(0, 0), (30, 0), (31, 10), (50, 200), (100, 700), (101, 720),
                                         (200, 2700), (201, 2740), (250, 4700)])
def test_per_volume_fee_charges_each_band_at_its_rate(pages, yuan):
    assert fees.per_volume_fee(pages) == yuan


def handle_with_fee(office, case_id, **fee):
    officer = office.api["officer"]
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    officer.complete(case_id, "handle", {"handling_action": "charge_fee", "reply_type": "disclosed", **fee})
    return officer.case(case_id)


def reply_clock(case) -> dict:
    return next(d for d in case["deadlines"] if d["name"] == "reply")


def document(case, kind) -> bytes:
    (doc,) = [d for d in case["documents"] if d["kind"] == kind]
    return db.session.get(Document, doc["id"]).content


def test_a_fee_notice_pauses_the_reply_clock_and_payment_resumes_it(client, tmp_path):
    office = Office(client)
    officer, case_id = office.api["officer"], office.register("natural_person", office_today())
    case = handle_with_fee(office, case_id, fee_method="per_volume", fee_pages=50)
    assert [t["spec_name"] for t in case["tasks"] if t["state"] == "ready"] == ["record_fee_payment"]
    assert case["data"]["fee_amount"] == 200
    assert reply_clock(case)["state"] == "paused"
    fee_clock = next(d for d in case["deadlines"] if d["name"] == "fee")
    assert fee_clock["title"] == "缴费期限" and fee_clock["state"] == "running"
    text = pdf_text(document(case, "fee_notice"), tmp_path)
    assert "应缴纳信息处理费人民币200元" in text and "缴费期间不计算在答复期限内" in text
    officer.complete(case_id, "record_fee_payment", {"fee_result": "paid", "fee_paid_on": office_today()})
    case = officer.case(case_id)
    assert [t["spec_name"] for t in case["tasks"] if t["state"] == "ready"] == ["confidentiality_review"]
    assert reply_clock(case)["state"] == "running"
    fact = db.session.get(CaseFact, case_id)
    assert (fact.fee_method, fact.fee_amount, fact.fee_paid_on) == ("per_volume", 200, date.fromisoformat(office_today()))


def test_the_setting_can_keep_the_reply_clock_running_while_the_applicant_pays(app, client, tmp_path):
    app.config["FEE_PAUSES_REPLY_CLOCK"] = False
    office = Office(client)
    case = handle_with_fee(office, office.register("natural_person", office_today()),
                           fee_method="per_volume", fee_pages=31)
    assert case["data"]["fee_amount"] == 10 and reply_clock(case)["state"] == "running"
    assert "缴费期间不计算在答复期限内" not in pdf_text(document(case, "fee_notice"), tmp_path)


def test_per_request_fees_count_the_applicants_requests_of_the_month(client):
    office = Office(client)
    month = office_today()[:8]
    first = office.register("natural_person", f"{month}01")
    for _ in range(9):
        office.register("natural_person", f"{month}01")
    other_applicant = office.api["officer"].register(received_on=f"{month}01", id_number="110101199202021234")["id"]
    eleventh = office.register("natural_person", f"{month}01")
    # Within the free ten (the applicant's first request): no notice, straight to the review.
    case = handle_with_fee(office, first, fee_method="per_request")
    assert case["data"]["fee_amount"] == 0 and not [d for d in case["documents"] if d["kind"] == "fee_notice"]
    assert [t["spec_name"] for t in case["tasks"] if t["state"] == "ready"] == ["confidentiality_review"]
    assert handle_with_fee(office, other_applicant, fee_method="per_request")["data"]["fee_amount"] == 0
    case = handle_with_fee(office, eleventh, fee_method="per_request")
    assert case["data"]["fee_amount"] == 100 and case["data"]["fee_basis"] == "本月第11件申请"


def test_per_volume_needs_the_page_count(client):
    office = Office(client)
    officer, case_id = office.api["officer"], office.register("natural_person", office_today())
    officer.complete(case_id, "check_completeness", {"needs_correction": False})
    response = officer.post(f"/tasks/{officer.open_task(case_id)['id']}/complete", {
        "data": {"handling_action": "charge_fee", "reply_type": "disclosed", "fee_method": "per_volume"},
        "case_version": officer.case(case_id)["version"]})
    assert response.status_code == 422 and "fee_pages" in response.get_json()["fields"]


def test_unpaid_only_after_the_period_then_not_processed_with_remedy_clause(client, monkeypatch, tmp_path):
    office = Office(client)
    officer, case_id = office.api["officer"], office.register("commercial_enterprise", office_today())
    case = handle_with_fee(office, case_id, fee_method="per_volume", fee_pages=101)
    due = date.fromisoformat(case["data"]["fee_due_date"])
    refused = officer.complete(case_id, "record_fee_payment", {"fee_result": "unpaid"}, status=422)
    assert "期限届满前不能按逾期未缴费处理" in refused["fields"]["fee_result"]
    monkeypatch.setattr(hooks, "today", lambda: due + timedelta(days=1))  # the period has run out
    officer.complete(case_id, "record_fee_payment", {"fee_result": "unpaid"})
    case = officer.case(case_id)
    assert case["status"] == "fee_unpaid" and not [t for t in case["tasks"] if t["state"] == "ready"]
    text = pdf_text(document(case, "fee_unpaid_notice"), tmp_path)
    assert "不再处理" in text and "人民币720元" in text and "申请行政复议" in text and "提起行政诉讼" in text
    assert db.session.get(CaseFact, case_id).result_row == "3.6.2"
    auditor = office.api["auditor"]
    year = date.fromisoformat(office_today()).year
    rows = auditor.ok(auditor.get(f"/reports/annual/{year}"))["section3"]["rows"]
    assert rows["3.6.2"]["commercial_enterprise"] == 1


def test_fees_paid_in_the_year_are_reported_in_section_six(client):
    office = Office(client)
    officer = office.api["officer"]
    for pages in (50, 31):
        case_id = office.register("natural_person", office_today())
        handle_with_fee(office, case_id, fee_method="per_volume", fee_pages=pages)
        officer.complete(case_id, "record_fee_payment", {"fee_result": "paid", "fee_paid_on": office_today()})
    head = office.api["head"]
    year = date.fromisoformat(office_today()).year
    assert head.ok(head.get(f"/reports/annual/{year}"))["section6"] == {"fees_paid_cases": 2,
                                                                         "fees_collected_yuan": 210}

