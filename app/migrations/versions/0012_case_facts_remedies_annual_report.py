"""case_fact (facts for counting), remedy (复议/诉讼), annual_report_text and annual_report_freeze

Existing cases get their facts with ``flask --app app facts rebuild`` (the facts are computed by the
application's own code, which a migration should not import).

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-02 06:15:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    op.create_table(
        'case_fact',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('process_key', sa.String(100), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(30), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=True),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('result_row', sa.String(10), nullable=True),
        sa.Column('principal_reason', sa.String(60), nullable=True),
        sa.Column('applicant_type', sa.String(40), nullable=True),
        sa.Column('on_time', sa.Boolean(), nullable=True),
        sa.Column('fee_method', sa.String(20), nullable=True),
        sa.Column('fee_amount', sa.Integer(), nullable=True),
        sa.Column('fee_paid_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['department_id'], ['department.id']),
        sa.PrimaryKeyConstraint('case_id'),
    )
    op.create_index('ix_case_fact_received', 'case_fact', ['process_key', 'received_on'])
    op.create_index('ix_case_fact_closed', 'case_fact', ['process_key', 'closed_on'])
    op.create_index('ix_case_fact_fee_paid', 'case_fact', ['process_key', 'fee_paid_on'])
    op.create_index('ix_case_fact_department_id', 'case_fact', ['department_id'])

    op.create_table(
        'remedy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(40), nullable=False),
        sa.Column('filed_on', sa.Date(), nullable=False),
        sa.Column('body', sa.String(200), nullable=False),
        sa.Column('outcome', sa.String(20), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('documents', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_remedy_case_id', 'remedy', ['case_id'])
    op.create_index('ix_remedy_filed_on', 'remedy', ['filed_on'])

    op.create_table(
        'annual_report_text',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('content', JSON_DOC, nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('year'),
    )
    op.create_table(
        'annual_report_freeze',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('numbers', JSON_DOC, nullable=False),
        sa.Column('sha256', sa.String(64), nullable=False),
        sa.Column('frozen_by_id', sa.Integer(), nullable=False),
        sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['frozen_by_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('year'),
    )


def downgrade():
    op.drop_table('annual_report_freeze')
    op.drop_table('annual_report_text')
    op.drop_index('ix_remedy_filed_on', table_name='remedy')
    op.drop_index('ix_remedy_case_id', table_name='remedy')
    op.drop_table('remedy')
    op.drop_index('ix_case_fact_department_id', table_name='case_fact')
    op.drop_index('ix_case_fact_fee_paid', table_name='case_fact')
    op.drop_index('ix_case_fact_closed', table_name='case_fact')
    op.drop_index('ix_case_fact_received', table_name='case_fact')
    op.drop_table('case_fact')
