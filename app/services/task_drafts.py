"""Task-form drafts: what an officer typed, saved without submitting, resumed on their next visit.

A draft belongs to one person and one task (a colleague who later claims the task does not see it). It is
stored unvalidated, as the form's typed fields only: uploaded files are not kept (the page says they must be
chosen again). Saving needs the right to work the task; completing the task removes its drafts
(:func:`app.services.cases.complete_task`).
"""
import json

from sqlalchemy import delete, select

from ..extensions import db
from ..models import HumanTask, TaskDraft, User
from . import access
from .cases import command
from .errors import Invalid, NotFound

# A form's typed text, generously: the longest form field allows 20 000 characters, a few may be long.
MAX_DRAFT_BYTES = 256 * 1024


def _open_task(user: User, task_id: str) -> HumanTask:
    row = db.session.get(HumanTask, task_id)
    if row is None:
        raise NotFound("任务不存在")
    if row.state != "ready":
        raise Invalid("该任务已不在办理中，不能保存草稿", {})
    access.require_task(user, row)
    return row


def _mine(user: User, task_id: str) -> TaskDraft | None:
    return db.session.execute(select(TaskDraft).where(
        TaskDraft.task_id == task_id, TaskDraft.user_id == user.id)).scalar_one_or_none()


def of(user: User, task_id: str) -> TaskDraft | None:
    """The user's draft of the task, or None (also None once the task is no longer open)."""
    row = db.session.get(HumanTask, task_id)
    if row is None or row.state != "ready":
        return None
    return _mine(user, task_id)


@command
def save(user: User, task_id: str, data: dict) -> TaskDraft:
    """Store ``data`` (typed fields, as :func:`workflows.forms.coerce_submission` reads them) as the user's draft."""
    _open_task(user, task_id)
    if len(json.dumps(data, ensure_ascii=False).encode("utf-8")) > MAX_DRAFT_BYTES:
        raise Invalid(f"草稿内容过长（不能超过 {MAX_DRAFT_BYTES // 1024} KB），请精简后再保存", {})
    draft = _mine(user, task_id)
    if draft is None:
        draft = TaskDraft(task_id=task_id, user_id=user.id, data=data)
        db.session.add(draft)
    else:
        draft.data = data
    db.session.commit()
    return draft


@command
def discard(user: User, task_id: str) -> None:
    """Remove the user's own draft of the task (nothing to do when there is none)."""
    db.session.execute(delete(TaskDraft).where(TaskDraft.task_id == task_id, TaskDraft.user_id == user.id))
    db.session.commit()

