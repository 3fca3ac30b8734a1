"""case_leader: leaders attached to a case (领导包案)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_leader',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('attached_by_id', sa.Integer(), nullable=False),
        sa.Column('attached_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['attached_by_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'user_id'),
    )
    op.create_index('ix_case_leader_case_id', 'case_leader', ['case_id'])
    op.create_index('ix_case_leader_user_id', 'case_leader', ['user_id'])


def downgrade():
    op.drop_index('ix_case_leader_user_id', table_name='case_leader')
    op.drop_index('ix_case_leader_case_id', table_name='case_leader')
    op.drop_table('case_leader')
