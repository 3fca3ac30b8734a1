"""The progress of a supervision item as its case page shows it: every report each department made (text,
department, date, files) and, per department still working, the date its next report is due.

Read from the completed ``report_progress`` rows and their history events (what was submitted), so the page
says what the departments actually reported; files are the attachments uploaded with the report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Attachment, CaseEvent, HumanTask

PROCESS_KEY = "supervision"
REPORT_TASK = "report_progress"
_STATUS = {"in_progress": "阶段进展", "completed": "办理结果"}


@dataclass
class Report:
    department: str
    reported_on: date
    status: str
    text: str
    reporter: str
    attachments: list = field(default_factory=list)  # [(attachment id, filename)]


@dataclass
class NextReport:
    department: str
    due_on: date | None


def _local(moment) -> date:
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def reports(user, case) -> list[Report]:
    """Every progress report of ``case``, oldest first, with the files ``user`` may see."""
    from app.services import attachments as attachment_service
    rows = db.session.execute(
        select(HumanTask, CaseEvent.payload).join(CaseEvent, CaseEvent.task_id == HumanTask.id)
        .where(HumanTask.case_id == case.id, HumanTask.spec_name == REPORT_TASK, HumanTask.state == "completed",
               CaseEvent.case_id == case.id, CaseEvent.type == "task_completed")
        .order_by(HumanTask.completed_at, HumanTask.id)).all()
    visible = {a.id for a in attachment_service.for_case(case, user)}
    files: dict[str, list] = {}
    for attachment in db.session.execute(select(Attachment).where(
            Attachment.case_id == case.id, Attachment.task_id.is_not(None)).order_by(Attachment.id)).scalars():
        if attachment.id in visible:
            files.setdefault(attachment.task_id, []).append((attachment.id, attachment.filename))
    found = []
    for row, payload in rows:
        submitted = (payload or {}).get("submitted") or {}
        found.append(Report(
            department=row.department.name if row.department else "",
            reported_on=_local(row.completed_at),
            status=_STATUS.get(submitted.get("report_status"), ""),
            text=str(submitted.get("report_text") or ""),
            reporter=row.completed_by.display_name if row.completed_by else "",
            attachments=files.get(row.id, [])))
    return found


def next_reports(case) -> list[NextReport]:
    """Per department with an open report task: the date its next report is due."""
    due = (case.data or {}).get("report_due_on")
    rows = db.session.execute(select(HumanTask).where(
        HumanTask.case_id == case.id, HumanTask.spec_name == REPORT_TASK, HumanTask.state == "ready")
        .order_by(HumanTask.created_at, HumanTask.id)).scalars()
    return [NextReport(row.department.name if row.department else (row.lane or ""),
                       date.fromisoformat(str(due)[:10]) if due else row.due_date) for row in rows]


def case_panel(user, case) -> dict | None:
    """The case page's progress section (hook ``case_panel`` of :mod:`app.families`)."""
    return {"template": "supervision/_progress.html",
            "reports": reports(user, case), "next_reports": next_reports(case)}
