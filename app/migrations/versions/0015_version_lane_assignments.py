"""process_version.lane_assignments: the lane assignments each version was deployed with

Revision ID: 0015
Revises: 0008
Create Date: 2026-12-02 06:30:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: versions deployed before this revision recorded no snapshot.
    op.add_column('process_version', sa.Column(
        'lane_assignments', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
        nullable=True))


def downgrade():
    op.drop_column('process_version', 'lane_assignments')
