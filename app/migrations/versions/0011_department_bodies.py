"""department: the body one level up (上级机关), a body's letterhead and document series, 信访部门 flag

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-02 06:30:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('department') as batch:
        batch.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('letterhead', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('abbreviation', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('is_petition_office', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.create_foreign_key('fk_department_parent_id', 'department', ['parent_id'], ['id'])


def downgrade():
    with op.batch_alter_table('department') as batch:
        batch.drop_constraint('fk_department_parent_id', type_='foreignkey')
        batch.drop_column('is_petition_office')
        batch.drop_column('abbreviation')
        batch.drop_column('letterhead')
        batch.drop_column('parent_id')
