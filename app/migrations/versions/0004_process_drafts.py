"""process drafts (the modeler)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('process_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_key', sa.String(length=100), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=True),
    sa.Column('bpmn', sa.LargeBinary(), nullable=False),
    sa.Column('forms', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['base_version_id'], ['process_version.id'], name=op.f('fk_process_draft_base_version_id_process_version')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_process_draft_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_draft')),
    sa.UniqueConstraint('process_key', 'user_id', name=op.f('uq_process_draft_process_key'))
    )
    with op.batch_alter_table('process_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_draft_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('process_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_draft_user_id'))
    op.drop_table('process_draft')
