"""compress case_file.engine_state with lz4 on PostgreSQL

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:00:00

Every command rewrites the case's engine state (about 45 KB of JSON). With the
default pglz, compressing it was the costliest statement of a task completion
(about 1 ms of 1.2 ms per UPDATE); lz4 halves that and stores it smaller.
Values already stored keep their compression until rewritten.  A server built
without lz4 keeps pglz (the statement is skipped, not failed).  SQLite: nothing.
"""
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_SET = """
DO $$
BEGIN
    ALTER TABLE case_file ALTER COLUMN engine_state SET COMPRESSION {method};
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR undefined_object THEN
    RAISE NOTICE 'engine_state keeps its compression: %', SQLERRM;
END $$;
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_SET.format(method="lz4"))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_SET.format(method="pglz"))
