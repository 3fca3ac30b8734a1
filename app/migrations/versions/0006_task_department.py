"""human_task.department_id: tasks routed to one department (BPMN property departmentFrom)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task') as batch:
        batch.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch.create_index('ix_human_task_department_id', ['department_id'])
        batch.create_foreign_key('fk_human_task_department_id_department', 'department', ['department_id'], ['id'])


def downgrade():
    with op.batch_alter_table('human_task') as batch:
        batch.drop_constraint('fk_human_task_department_id_department', type_='foreignkey')
        batch.drop_index('ix_human_task_department_id')
        batch.drop_column('department_id')
