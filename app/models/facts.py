"""Facts for counting: one row per case, the published figures of its working data (DESIGN.md "Facts for
counting are columns").

The annual report (and, later, department statistics and bulletins) aggregate these indexed columns in SQL;
they never load case JSON or clock ledgers. :func:`app.services.facts.refresh` keeps the row in step with the
case in the same transaction as every change of the case.
"""
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class CaseFact(db.Model):
    __tablename__ = "case_fact"
    __table_args__ = (
        Index("ix_case_fact_received", "process_key", "received_on"),
        Index("ix_case_fact_closed", "process_key", "closed_on"),
        Index("ix_case_fact_fee_paid", "process_key", "fee_paid_on"),
        # Department statistics range over every process: by the day counted as received / closed.
        Index("ix_case_fact_counted_on", "counted_on", "department_id", "process_key"),
        Index("ix_case_fact_closed_on", "closed_on", "department_id", "process_key"),
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    status: Mapped[str] = mapped_column(String(30))
    # The legal receipt date (GIO 31), not the registration time; the office date the case closed.
    received_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # Department statistics (app.services.statistics): the day the case counts as received there (the legal
    # receipt date, else the office date it was registered: never None once written) and, once closed,
    # the calendar days from that day to closed_on.
    counted_on: Mapped[date | None] = mapped_column(Date)
    days_to_close: Mapped[int | None] = mapped_column(Integer)
    # The annual-report row the closed case counts in, e.g. "3.3.4" (see app.disclosure.facts).
    result_row: Mapped[str | None] = mapped_column(String(10))
    principal_reason: Mapped[str | None] = mapped_column(String(60))
    applicant_type: Mapped[str | None] = mapped_column(String(40))
    on_time: Mapped[bool | None] = mapped_column()  # None: not closed, or no clock judged it
    # Fees (国办函〔2020〕109号): method per_request / per_volume, amount in whole yuan, the day it was paid.
    fee_method: Mapped[str | None] = mapped_column(String(20))
    fee_amount: Mapped[int | None] = mapped_column(Integer)
    fee_paid_on: Mapped[date | None] = mapped_column(Date)
