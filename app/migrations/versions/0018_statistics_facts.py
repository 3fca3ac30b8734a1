"""case_fact.counted_on and days_to_close: department statistics aggregated in SQL (issue 17)

Existing cases get the new columns with ``flask --app app facts rebuild`` (computed by the application's own
code, which a migration should not import); until then they count in no statistics period.

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-02 07:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0018'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_fact') as batch:
        batch.add_column(sa.Column('counted_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('days_to_close', sa.Integer(), nullable=True))
    op.create_index('ix_case_fact_counted_on', 'case_fact', ['counted_on', 'department_id', 'process_key'])
    op.create_index('ix_case_fact_closed_on', 'case_fact', ['closed_on', 'department_id', 'process_key'])


def downgrade():
    op.drop_index('ix_case_fact_closed_on', table_name='case_fact')
    op.drop_index('ix_case_fact_counted_on', table_name='case_fact')
    with op.batch_alter_table('case_fact') as batch:
        batch.drop_column('days_to_close')
        batch.drop_column('counted_on')
