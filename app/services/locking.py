"""Case row locks: every command on a case holds its lock until commit."""
from sqlalchemy import select
from sqlalchemy.orm import undefer

from ..extensions import db
from ..models import Case
from .errors import NotFound


def lock_case(case_id: int) -> Case:
    """Load the case holding its row lock until commit (see app.db_setup for SQLite)."""
    case = db.session.execute(
        select(Case).where(Case.id == case_id).options(undefer(Case.engine_state))
        .with_for_update(of=Case).execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if case is None:
        raise NotFound("案件不存在")
    return case
