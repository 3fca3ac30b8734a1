"""A year of disclosure requests built through the services, with what each must count as, for the annual
report tests. The expected rows are written down by hand from DOMAIN.md §3, never from the code under test."""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from app.disclosure import hooks
from app.extensions import db
from app.models import User
from app.services import engine_runner, operations

from .helpers import Api, office_today
from .test_disclosure_guard_rails import let_correction_deadline_pass

APPLICANT_TYPES = ("natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
                   "legal_service_org", "other_org")

# Reply type → (extra handle data, the section 三 row it counts in).
REPLIES = {
    "already_public": ({"reply_text": "该信息已在本机关门户网站“政府信息公开”栏目公开。"}, "3.1"),
    "disclosed": ({}, "3.1"),
    "partial": ({"withholding_reasons": ["third_party_rights"]}, "3.2"),
    "withheld": ({"withholding_reasons": ["state_secret"]}, "3.3.1"),
    "not_exist": ({}, "3.4.1"),
    "not_this_agency": ({"responsible_agency": "示范市自然资源局", "not_this_agency_reason": "该信息由示范市自然资源局制作并保存",
                         "reply_text": "该信息由示范市自然资源局制作并保存。"},
                        "3.4.1"),
    "needs_creation": ({}, "3.4.2"),
    "still_unclear": ({}, "3.4.3"),
    "repeat": ({}, "3.5.2"),
    "petition_type": ({}, "3.5.1"),
    "publication": ({}, "3.5.3"),
    "abusive": ({}, "3.5.4"),
    "confirm_request": ({}, "3.5.5"),
    "special_law": ({}, "3.3.8"),
}


@dataclass
class Expected:
    """One case and the rows it must count in, per report year: {year: [rows]}."""
    case_id: int
    applicant_type: str
    rows: dict


@contextmanager
def closing_on(monkeypatch, day: str):
    """Close cases as if on ``day`` (noon, office time): the engine stamps its completion time."""
    moment = datetime.fromisoformat(f"{day}T04:00:00").replace(tzinfo=timezone.utc)
    monkeypatch.setattr(engine_runner, "utcnow", lambda: moment)
    try:
        yield
    finally:
        monkeypatch.undo()


class Office:
    """The disclosure office working requests through the API (HTTP via the Flask test client)."""

    def __init__(self, client):
        self.api = {name: Api(client, name) for name in ("officer", "reviewer", "head", "admin", "auditor")}

    def register(self, applicant_type: str, received_on: str) -> int:
        extra = {} if applicant_type == "natural_person" else {"org_credit_code": "91110000MA01234567"}
        return self.api["officer"].register(applicant_type=applicant_type, received_on=received_on, **extra)["id"]

    def reply(self, case_id: int, reply_type: str, delivered_on: str, fee_pages: int | None = None, **extra) -> None:
        """Answer the request; with ``fee_pages``, after charging a per-volume fee paid on ``delivered_on``."""
        officer = self.api["officer"]
        self._steps_before(case_id, reply_type)
        data = {**REPLIES[reply_type][0], **extra}
        for code in data.get("withholding_reasons", ()):  # GIO 36(三): each reason with this case's own grounds
            data.setdefault(f"reason_detail_{code}", "该信息系本案中依法不予公开的内容，理由已向申请人逐项说明")
        if "prohibited_by_law" in data.get("withholding_reasons", ()):
            data.setdefault("prohibited_by_law_name", "《中华人民共和国统计法》第三十九条")
        if fee_pages is None:
            officer.complete(case_id, "handle", {"handling_action": "draft_reply", "reply_type": reply_type, **data})
        else:
            officer.complete(case_id, "handle", {"handling_action": "charge_fee", "reply_type": reply_type,
                                                 "fee_method": "per_volume", "fee_pages": fee_pages, **data})
            officer.complete(case_id, "record_fee_payment", {"fee_result": "paid", "fee_paid_on": delivered_on})
        self.api["reviewer"].complete(case_id, "confidentiality_review", {"review_result": "cleared"})
        self.api["head"].complete(case_id, "approve_reply", {"approval": "approve"})
        officer.complete(case_id, "record_delivery", {"delivered_by": "email", "delivered_on": delivered_on})
        assert officer.case(case_id)["status"] == "archived"

    def _steps_before(self, case_id: int, reply_type: str) -> None:
        """What the law requires before the reply: a correction before 补正后仍不明确 (GIO 30), a request for
        reasons the applicant did not justify before 无正当理由大量反复申请 (GIO 35)."""
        officer = self.api["officer"]
        if reply_type == "still_unclear":
            officer.complete(case_id, "check_completeness", {
                "needs_correction": True, "correction_items": "请明确所需信息的年份", "correction_deadline": "2030-12-31"})
            officer.complete(case_id, "receive_correction", {
                "correction_result": "corrected", "corrected_on": office_today(), "correction_content": "近几年的"})
        else:
            officer.complete(case_id, "check_completeness", {"needs_correction": False})
        if reply_type == "abusive":
            officer.complete(case_id, "handle", {"handling_action": "request_reasons", "reasons_deadline": "2030-12-31",
                                                 "reasons_request_text": "一年内申请三百余件"})
            officer.complete(case_id, "record_reasons", {
                "reasons_result": "unreasonable", "reasons_received_on": office_today(),
                "reasons_statement": "个人兴趣", "reasons_assessment": "与所申请信息的用途无关"})

    def fee_unpaid(self, case_id: int, monkeypatch) -> None:
        """A per-volume fee charged and, the 20 working days over, not paid: 不再处理 (六.2)."""
        officer = self.api["officer"]
        officer.complete(case_id, "check_completeness", {"needs_correction": False})
        officer.complete(case_id, "handle", {"handling_action": "charge_fee", "reply_type": "disclosed",
                                             "fee_method": "per_volume", "fee_pages": 40})
        due = date.fromisoformat(officer.case(case_id)["data"]["fee_due_date"])
        monkeypatch.setattr(hooks, "today", lambda: due + timedelta(days=1))  # the period has run out
        officer.complete(case_id, "record_fee_payment", {"fee_result": "unpaid"})
        monkeypatch.undo()
        assert officer.case(case_id)["status"] == "fee_unpaid"

    def withdraw(self, case_id: int) -> None:
        """视为放弃申请: a correction notice, then nothing arrived in time."""
        officer = self.api["officer"]
        officer.complete(case_id, "check_completeness", {"needs_correction": True, "correction_items": "请明确年份",
                                                         "correction_deadline": "2030-12-31"})
        # GIO 30: only after the deadline has passed, and a person confirmed nothing arrived in time.
        let_correction_deadline_pass(case_id)
        officer.complete(case_id, "confirm_correction_lapse", {"correction_result": "not_corrected",
                                                               "lapse_check": "已查询收发室、邮箱，均未收到"})
        assert officer.case(case_id)["status"] == "withdrawn"

    def terminate(self, case_id: int) -> None:
        admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
        operations.terminate(admin, case_id, "申请人书面撤回申请")

    def remedy(self, case_id: int, **values) -> dict:
        officer = self.api["officer"]
        return officer.ok(officer.post(f"/cases/{case_id}/remedies", values), 201)
