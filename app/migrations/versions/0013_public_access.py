"""public_access, public_download: the public side's query codes (hashed) and electronic delivery

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-02 06:20:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'public_access',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name='fk_public_access_case_id_case_file',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', name='pk_public_access'),
    )
    op.create_table(
        'public_download',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('first_downloaded_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'], name='fk_public_download_document_id_document',
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name='fk_public_download_case_id_case_file',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('document_id', name='pk_public_download'),
    )
    op.create_index('ix_public_download_case_id', 'public_download', ['case_id'])


def downgrade():
    op.drop_index('ix_public_download_case_id', table_name='public_download')
    op.drop_table('public_download')
    op.drop_table('public_access')
