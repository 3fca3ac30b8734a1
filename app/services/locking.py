"""Case row locks: every command on a case holds its lock until commit."""
from sqlalchemy import select
from sqlalchemy.orm import undefer

from ..db_setup import ensure_write_lock
from ..extensions import db
from ..models import Case, HumanTask
from .errors import NotFound


def _locked(*criteria):
    ensure_write_lock(db.session)  # SQLite: a read request that locks a case is about to write
    return db.session.execute(
        select(Case).where(*criteria).options(undefer(Case.engine_state))
        .with_for_update(of=Case).execution_options(populate_existing=True)
    ).scalar_one_or_none()


def lock_case(case_id: int) -> Case:
    """Load the case holding its row lock until commit (see app.db_setup for SQLite)."""
    case = _locked(Case.id == case_id)
    if case is None:
        raise NotFound("案件不存在")
    return case


def lock_case_of_task(task_id: str) -> Case:
    """Lock the case a task belongs to, found and locked in one round trip."""
    case = _locked(Case.id == select(HumanTask.case_id).where(HumanTask.id == task_id).scalar_subquery())
    if case is None:
        raise NotFound("任务不存在")
    return case
