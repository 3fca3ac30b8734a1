"""Notifications: in-app always; e-mail through an outbox sent after commit.

A command only *queues* mail (``outbox_email`` rows in its own transaction),
so a rolled-back step never sends anything; :func:`send_outbox` delivers
queued mail afterwards (the worker calls it after each batch).
"""
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import lazyload

from ..extensions import db
from ..models import Case, HumanTask, LaneAssignment, Notification, OutboxEmail, User, UserRole
from ..models.types import utcnow


def lane_members(process_key: str, lane: str) -> list[User]:
    """Active users a lane grant admits (role, and department when the grant names one)."""
    grant = select(LaneAssignment.id).where(
        LaneAssignment.process_key == process_key, LaneAssignment.lane == lane,
        LaneAssignment.role == UserRole.role,
        or_(LaneAssignment.department_id.is_(None), LaneAssignment.department_id == User.department_id)
    ).correlate(User, UserRole)  # two levels down: without this the user table is joined afresh (every officer)
    # Read-only configuration: no need to flush the command's pending changes first.
    with db.session.no_autoflush:
        return list(db.session.execute(
            select(User).where(User.active.is_(True), exists(
                select(UserRole.user_id).where(UserRole.user_id == User.id, exists(grant))))
            .options(lazyload(User.role_rows)).order_by(User.id)).scalars())


def holders_of_open_task(case: Case, lane: str, spec_name: str) -> list[User]:
    """Who holds the case's open inbox rows of user task ``spec_name``: the assignee of a claimed row, else the
    lane's members (only the routed department's, for a row the process gave to one department)."""
    with db.session.no_autoflush:
        rows = db.session.execute(select(HumanTask).options(lazyload("*")).where(
            HumanTask.case_id == case.id, HumanTask.spec_name == spec_name, HumanTask.state == "ready")).scalars().all()
    members, people = None, {}
    for row in rows:
        if row.assignee_id is not None:
            user = db.session.get(User, row.assignee_id)
            people[user.id] = user
            continue
        members = lane_members(case.process_key, lane) if members is None else members
        for user in members:
            if row.department_id is None or user.department_id == row.department_id:
                people[user.id] = user
    return [people[key] for key in sorted(people)]


def pending_label(case: Case, spec_name: str) -> str:
    """Who still holds the case's open rows of user task ``spec_name``, for a message: the departments the rows
    were routed to, else the assignees, else the lanes ("信访局、保密办")."""
    with db.session.no_autoflush:
        rows = db.session.execute(select(HumanTask).where(
            HumanTask.case_id == case.id, HumanTask.spec_name == spec_name, HumanTask.state == "ready")
            .order_by(HumanTask.created_at, HumanTask.id)).scalars().all()
    names = [row.department.name if row.department is not None
             else (row.assignee.display_name or row.assignee.username) if row.assignee is not None
             else (row.lane or "") for row in rows]
    return "、".join(dict.fromkeys(name for name in names if name))


def _lane_members_this_transaction(process_key: str, lane: str) -> list[User]:
    """:func:`lane_members`, asked once per transaction: a worker's batch notifies the same lane for many cases."""
    session = db.session()
    transaction = session.get_transaction()
    cached = session.info.get("lane_members")
    if cached is None or cached[0] is not transaction:
        cached = session.info["lane_members"] = (transaction, {})
    members = cached[1]
    if (process_key, lane) not in members:
        members[(process_key, lane)] = lane_members(process_key, lane)
    return members[(process_key, lane)]


def notify_lane(case: Case, lane: str, message: str, kind: str = "info", task: str | None = None) -> int:
    """Tell everyone who works ``lane`` of this case's process; returns how many were told.

    ``task``: only those who hold the case's still-open rows of that user task (a reminder goes to whoever
    has not done it yet, not to the whole lane).
    """
    people = holders_of_open_task(case, lane, task) if task else _lane_members_this_transaction(case.process_key, lane)
    mail = bool(current_app.config.get("MAIL_SERVER"))
    for user in people:
        db.session.add(Notification(user_id=user.id, case_id=case.id, kind=kind, message=message))
        if mail and user.email:
            db.session.add(OutboxEmail(recipient=user.email, subject=f"[办件] {case.tracking_number}",
                                       body=f"{message}\n\n受理编号：{case.tracking_number}"))
    return len(people)


def unread_count(user: User) -> int:
    return db.session.execute(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))).scalar()


def for_user(user: User, limit: int = 100) -> list[Notification]:
    return list(db.session.execute(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id.desc()).limit(limit)).scalars())


def mark_all_read(user: User) -> None:
    for n in db.session.execute(select(Notification).where(
            Notification.user_id == user.id, Notification.read_at.is_(None))).scalars():
        n.read_at = utcnow()
    db.session.commit()


def send_outbox(limit: int = 100) -> int:
    """Send queued mail through SMTP; failures stay queued with the error (retried, at most 5 times)."""
    server = current_app.config.get("MAIL_SERVER")
    if not server:
        return 0
    pending = db.session.execute(select(OutboxEmail).where(
        OutboxEmail.sent_at.is_(None), OutboxEmail.attempts < 5).order_by(OutboxEmail.id).limit(limit)
        .with_for_update(skip_locked=True)).scalars().all()
    sent = 0
    if pending:
        try:
            with smtplib.SMTP(server, current_app.config.get("MAIL_PORT", 25), timeout=10) as smtp:
                for mail in pending:
                    mail.attempts += 1
                    msg = EmailMessage()
                    msg["From"] = current_app.config.get("MAIL_FROM", "banjian@localhost")
                    msg["To"], msg["Subject"] = mail.recipient, mail.subject
                    msg.set_content(mail.body)
                    try:
                        smtp.send_message(msg)
                        mail.sent_at, sent = utcnow(), sent + 1
                    except smtplib.SMTPException as exc:
                        mail.last_error = str(exc)
        except OSError as exc:
            for mail in pending:
                mail.attempts += 1
                mail.last_error = f"SMTP 服务器不可用：{exc}"
    db.session.commit()
    return sent


