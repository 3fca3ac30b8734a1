"""Counting facts (case_fact) follow every change of a case in the same transaction, for every family."""
from datetime import date

from app.extensions import db
from app.models import CaseFact

from .annual_fixture import Office
from .helpers import Api, office_today
from .test_petition_lifecycle import PETITION


def test_facts_follow_a_disclosure_request_from_registration_to_archive(client):
    office = Office(client)
    case_id = office.register("public_interest_org", "2026-03-02")
    fact = db.session.get(CaseFact, case_id)
    assert (fact.process_key, fact.status, fact.received_on, fact.closed_on, fact.result_row) == (
        "disclosure_request", "active", date(2026, 3, 2), None, None)
    assert fact.applicant_type == "public_interest_org" and fact.department_id is not None
    office.reply(case_id, "withheld", office_today(), withholding_reasons=["internal_affairs", "state_secret"])
    db.session.expire_all()
    fact = db.session.get(CaseFact, case_id)
    assert fact.status == "archived" and fact.closed_on == date.fromisoformat(office_today())
    assert (fact.result_row, fact.principal_reason) == ("3.3.5", "internal_affairs")  # the first chosen
    assert fact.on_time is False  # received in March, answered in December: past the 20 working days


def test_a_family_without_its_own_facts_gets_the_generic_ones(client):
    registrar = Api(client, "xfofficer")
    case = registrar.ok(registrar.post("/cases", {"process": "petition", "data": PETITION}), 201)
    fact = db.session.get(CaseFact, case["id"])
    assert fact.process_key == "petition" and fact.received_on == date.fromisoformat(PETITION["received_on"])
    assert fact.result_row is None and fact.applicant_type is None
