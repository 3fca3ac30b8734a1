"""catalogue_item, catalogue_correction (主动公开目录); information_item, information_bulletin (政务信息报送)

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-02 06:30:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def _json():
    return sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    op.create_table(
        'catalogue_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('index_number', sa.String(length=60), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('category', sa.String(length=40), nullable=False),
        sa.Column('topic', sa.String(length=40), nullable=False),
        sa.Column('issuer', sa.String(length=100), nullable=False),
        sa.Column('legal_basis', sa.String(length=500), nullable=False),
        sa.Column('written_on', sa.Date(), nullable=True),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('files', _json(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('withdrawn_on', sa.Date(), nullable=True),
        sa.Column('withdrawal_reason', sa.Text(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['department_id'], ['department.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id'),
        sa.UniqueConstraint('index_number'),
    )
    op.create_index('ix_catalogue_item_browse', 'catalogue_item', ['status', 'category', 'year'])
    # The public full-text search is a substring match (Chinese has no spaces); on PostgreSQL a trigram index
    # serves it when pg_trgm is there (migration 0003 creates the extension when it may).
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and bind.exec_driver_sql(
            "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first():
        op.execute("CREATE INDEX ix_catalogue_item_search_trgm ON catalogue_item USING gin (search_text gin_trgm_ops)")
    op.create_table(
        'catalogue_correction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('corrected_on', sa.Date(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('changed', _json(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['catalogue_item.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_catalogue_correction_item_id', 'catalogue_correction', ['item_id'])
    op.create_table(
        'information_bulletin',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('year', 'number'),
    )
    op.create_table(
        'information_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('info_type', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('submitted_on', sa.Date(), nullable=True),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('late', sa.Boolean(), nullable=False),
        sa.Column('late_reason', sa.Text(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('adopted_in', _json(), nullable=False),
        sa.Column('leader_instruction', sa.Text(), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('score_lines', _json(), nullable=False),
        sa.Column('incident_open', sa.Boolean(), nullable=False),
        sa.Column('last_report_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('bulletin_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['department_id'], ['department.id']),
        sa.ForeignKeyConstraint(['bulletin_id'], ['information_bulletin.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id'),
    )
    op.create_index('ix_information_item_period', 'information_item', ['year', 'month', 'department_id'])
    op.create_index('ix_information_item_bulletin_id', 'information_item', ['bulletin_id'])


def downgrade():
    op.drop_index('ix_information_item_bulletin_id', table_name='information_item')
    op.drop_index('ix_information_item_period', table_name='information_item')
    op.drop_table('information_item')
    op.drop_table('information_bulletin')
    op.drop_index('ix_catalogue_correction_item_id', table_name='catalogue_correction')
    op.drop_table('catalogue_correction')
    op.execute("DROP INDEX IF EXISTS ix_catalogue_item_search_trgm")
    op.drop_index('ix_catalogue_item_browse', table_name='catalogue_item')
    op.drop_table('catalogue_item')
