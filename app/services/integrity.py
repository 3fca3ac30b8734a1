"""Verifying a case's record as an auditor relies on it: the keyed history chain, every document and attachment
against the SHA-256 the chain recorded for it, and the current case data against its keyed seal.

A deleted row is reported as that one row (the rows after it are still checked against each other); a row
re-hashed with the application's public algorithm instead of the key is named as such.
"""
import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import undefer

from ..extensions import db
from ..models import Attachment, Case, CaseEvent, Document
from ..models.types import utcnow
from .history import GENESIS, ChainProblem, _digest, case_seal, unkeyed_digest


@dataclass
class Report:
    """What one verification checked, with counts, and what it found."""
    case_id: int
    tracking_number: str
    events: int = 0
    documents: int = 0
    attachments: int = 0
    data_sealed: bool = False
    problems: list[ChainProblem] = field(default_factory=list)
    checked_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _chain(case: Case, report: Report) -> dict[tuple[str, int], str]:
    """Check the events; return the SHA-256 the chain recorded per (kind, id) of document and attachment."""
    recorded: dict[tuple[str, int], str] = {}
    problem = lambda seq, message: report.problems.append(ChainProblem(case.id, seq, message))  # noqa: E731
    prev, expected = GENESIS, 1
    events = db.session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                .order_by(CaseEvent.seq)).scalars()
    for event in events:
        report.events += 1
        gap = event.seq > expected
        for missing in range(expected, event.seq):
            problem(missing, f"缺少第 {missing} 条记录（被删除）")
        if not gap and event.prev_hash != prev:
            problem(event.seq, "与上一条记录的哈希不连续（记录被调换或替换）")
        if _digest(event) != event.hash:
            if unkeyed_digest(event) == event.hash:
                problem(event.seq, "哈希不是用密钥计算的（记录被改写后按公开算法重新计算）")
            else:
                problem(event.seq, "记录内容与哈希不符（被修改）")
        for kind, key in (("document", "document_id"), ("attachment", "attachment_id")):
            if isinstance(event.payload, dict) and isinstance(event.payload.get(key), int) \
                    and event.type in ("document_generated", "attachment_added"):
                recorded[(kind, event.payload[key])] = event.payload.get("sha256")
        prev, expected = event.hash, event.seq + 1
    for missing in range(expected, (case.history_seq or 0) + 1):
        problem(missing, f"缺少第 {missing} 条记录（被删除）")
    if prev != (case.history_head or GENESIS):
        problem(0, "最后一条记录与案件登记的链头不符（记录被删除或替换）")
    return recorded


def _files(case: Case, report: Report, recorded: dict) -> None:
    for kind, model, label in (("document", Document, "文书"), ("attachment", Attachment, "附件")):
        rows = db.session.execute(select(model).where(model.case_id == case.id).options(undefer(model.content))
                                  .order_by(model.id)).scalars()
        for row in rows:
            setattr(report, f"{kind}s", getattr(report, f"{kind}s") + 1)
            name = getattr(row, "title", None) or getattr(row, "filename", "")
            actual = hashlib.sha256(row.content or b"").hexdigest()
            in_chain = recorded.get((kind, row.id))
            if in_chain is None:
                report.problems.append(ChainProblem(case.id, 0, f"{label}“{name}”（编号 {row.id}）未记入办理记录"))
            elif actual != in_chain:
                report.problems.append(ChainProblem(
                    case.id, 0, f"{label}“{name}”（编号 {row.id}）的内容与办理记录中的 SHA-256 不符（文件被替换）"))
            elif row.sha256 != in_chain:
                report.problems.append(ChainProblem(
                    case.id, 0, f"{label}“{name}”（编号 {row.id}）登记的 SHA-256 与办理记录不符"))


def check_case(case: Case, record: bool = False) -> Report:
    """Verify one case; with ``record``, remember when and with what result (shown on the audit page; the
    caller commits)."""
    report = Report(case.id, case.tracking_number)
    recorded = _chain(case, report)
    _files(case, report, recorded)
    report.data_sealed = True
    if case.seal != case_seal(case):
        report.problems.append(ChainProblem(case.id, 0, "案件当前数据与办理记录的密钥封印不符（数据被直接修改）"
                                            if case.seal else "案件尚未封印（升级前的案件：请运行 reseal-history）"))
    report.checked_at = utcnow()
    if record:
        _remember(case, report)
    return report


def _remember(case: Case, report: Report) -> None:
    # Written without touching data/history (the seal does not cover these two columns).
    db.session.execute(Case.__table__.update().where(Case.__table__.c.id == case.id)
                       .values(verified_at=report.checked_at, verified_ok=report.ok))


def check_all(record: bool = False) -> list[Report]:
    return [check_case(case, record) for case in
            db.session.execute(select(Case).order_by(Case.id)).scalars()]


def check_file(kind: str, row) -> bool:
    """Whether a document's or attachment's bytes are those the case history recorded (checked before serving
    them: a replaced file is never handed out as the original)."""
    key = "document_id" if kind == "document" else "attachment_id"
    type_ = "document_generated" if kind == "document" else "attachment_added"
    events = db.session.execute(select(CaseEvent.payload).where(
        CaseEvent.case_id == row.case_id, CaseEvent.type == type_)).scalars()
    recorded = next((p.get("sha256") for p in events if isinstance(p, dict) and p.get(key) == row.id), None)
    return recorded is not None and hashlib.sha256(row.content or b"").hexdigest() == recorded == row.sha256
