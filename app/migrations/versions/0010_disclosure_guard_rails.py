"""disclosure guard rails: one code for GIO 36(七), and no correction period for cases that needed none

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 07:00:00

Data only, no schema change:

* ``administrative_inquiry`` is no longer a withholding reason: administrative inquiry matters are the reply
  type ``special_law`` (GIO 36(七), annual-report row 三.8). A case whose principal reason (or, without one, its
  first reason) was ``administrative_inquiry`` becomes ``special_law``; the code is removed from every case's
  reasons, in the case data and in the engine state (whose task data the next step would copy back).
* A request that needed no correction does not count the 7-working-day correction period (DOMAIN.md section 3):
  its ``correction`` clock is removed, as the process now does when the completeness check finds it complete.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

RETIRED = "administrative_inquiry"
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
case_file = sa.table("case_file", sa.column("id", sa.Integer), sa.column("process_key", sa.String),
                     sa.column("data", _JSON), sa.column("engine_state", _JSON))
case_clock = sa.table("case_clock", sa.column("case_id", sa.Integer), sa.column("name", sa.String))


def retire_administrative_inquiry(data: dict) -> bool:
    """Move one data dict (case data or a task's data) off the retired code; True when it changed."""
    reasons = data.get("withholding_reasons")
    if not isinstance(reasons, list) or RETIRED not in reasons:
        return False
    principal = data.get("principal_reason") or reasons[0]
    remaining = [code for code in reasons if code != RETIRED]
    data["withholding_reasons"] = remaining
    if principal == RETIRED or not remaining:
        data["reply_type"] = "special_law"
        data.pop("principal_reason", None)
        if not remaining:
            data.pop("withholding_reasons")
    return True


def _walk(node) -> bool:
    """Apply :func:`retire_administrative_inquiry` to every dict in a JSON document."""
    changed = False
    if isinstance(node, dict):
        changed = retire_administrative_inquiry(node)
        for value in node.values():
            changed = _walk(value) or changed
    elif isinstance(node, list):
        for value in node:
            changed = _walk(value) or changed
    return changed


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.select(case_file.c.id, case_file.c.data, case_file.c.engine_state)
                        .where(case_file.c.process_key == "disclosure_request")).all()
    for case_id, data, state in rows:
        data, state = dict(data or {}), state or {}
        data_changed, state_changed = _walk(data), _walk(state)
        if data_changed or state_changed:
            bind.execute(case_file.update().where(case_file.c.id == case_id)
                         .values(data=data, engine_state=state))
        if data.get("needs_correction") is False:
            bind.execute(case_clock.delete().where(case_clock.c.case_id == case_id,
                                                   case_clock.c.name == "correction"))


def downgrade():
    # The retired code is not restored: ``special_law`` is the lawful code for these cases on any version.
    pass
