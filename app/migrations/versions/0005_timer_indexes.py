"""indexes for the timer worker: due cases, and a case's running clocks

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 20:45:00

The worker asks for active cases by next wake-up, and every step asks for a
case's earliest running clock.  With single-column indexes only, SQLite (which
keeps no statistics) chose the status index, reading every active case, and
the (state, due_date) index, reading every running clock: milliseconds per
timer at 10,000 cases.  These composite indexes answer each query directly.
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_case_file_due', 'case_file', ['status', 'next_wakeup'])
    op.create_index('ix_case_clock_case_running', 'case_clock', ['case_id', 'state', 'due_date'])


def downgrade():
    op.drop_index('ix_case_clock_case_running', table_name='case_clock')
    op.drop_index('ix_case_file_due', table_name='case_file')
