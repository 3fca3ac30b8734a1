"""scale: case_fact.counted_on and days_to_close (statistics in SQL); case_file.search_grams (short terms)

Existing cases get the new case_fact columns with ``flask --app app facts rebuild`` (computed by the
application's own code, which a migration should not import); until then they count in no statistics period.
search_grams is filled here from the stored search text (the rule of app.services.search_grams, frozen).
The grams are indexed by a GIN index on PostgreSQL and by the FTS5 table ``case_search`` on SQLite, kept in
step with case_file by triggers.

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-02 07:10:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_fact') as batch:
        batch.add_column(sa.Column('counted_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('days_to_close', sa.Integer(), nullable=True))
    op.create_index('ix_case_fact_counted_on', 'case_fact', ['counted_on', 'department_id', 'process_key'])
    op.create_index('ix_case_fact_closed_on', 'case_fact', ['closed_on', 'department_id', 'process_key'])

    bind = op.get_bind()
    postgres = bind.dialect.name == 'postgresql'
    with op.batch_alter_table('case_file') as batch:
        batch.add_column(sa.Column('search_grams', postgresql.ARRAY(sa.Text()) if postgres else sa.Text(),
                                   nullable=True))
    if postgres:
        op.execute("CREATE INDEX ix_case_file_search_grams ON case_file USING gin (search_grams)")
    else:
        op.execute("CREATE VIRTUAL TABLE case_search USING fts5(search_grams, content='case_file', "
                   "content_rowid='id', tokenize='unicode61 remove_diacritics 0')")
        op.execute("CREATE TRIGGER case_search_insert AFTER INSERT ON case_file BEGIN "
                   "INSERT INTO case_search(rowid, search_grams) VALUES (new.id, coalesce(new.search_grams, '')); END")
        op.execute("CREATE TRIGGER case_search_delete AFTER DELETE ON case_file BEGIN "
                   "INSERT INTO case_search(case_search, rowid, search_grams) "
                   "VALUES ('delete', old.id, coalesce(old.search_grams, '')); END")
        op.execute("CREATE TRIGGER case_search_update AFTER UPDATE OF search_grams ON case_file BEGIN "
                   "INSERT INTO case_search(case_search, rowid, search_grams) "
                   "VALUES ('delete', old.id, coalesce(old.search_grams, '')); "
                   "INSERT INTO case_search(rowid, search_grams) VALUES (new.id, coalesce(new.search_grams, '')); END")
    _backfill(bind, postgres)


def _grams(search_text):
    found = set()
    for word in (search_text or '').lower().split():
        found.update(word)
        found.update(word[i:i + 2] for i in range(len(word) - 1))
    return sorted(found)


def _backfill(bind, postgres, batch=1000):
    case_file = sa.table('case_file', sa.column('id', sa.Integer), sa.column('search_text', sa.Text),
                         sa.column('search_grams'))
    last = 0
    while True:
        rows = bind.execute(sa.select(case_file.c.id, case_file.c.search_text).where(case_file.c.id > last)
                            .order_by(case_file.c.id).limit(batch)).all()
        if not rows:
            return
        for case_id, search_text in rows:
            grams = _grams(search_text)
            bind.execute(case_file.update().where(case_file.c.id == case_id)
                         .values(search_grams=sa.literal(grams, postgresql.ARRAY(sa.Text())) if postgres
                                 else ' '.join(grams)))
        last = rows[-1][0]


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_case_file_search_grams")
    else:
        for trigger in ('case_search_insert', 'case_search_delete', 'case_search_update'):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS case_search")
    with op.batch_alter_table('case_file') as batch:
        batch.drop_column('search_grams')
    op.drop_index('ix_case_fact_closed_on', table_name='case_fact')
    op.drop_index('ix_case_fact_counted_on', table_name='case_fact')
    with op.batch_alter_table('case_fact') as batch:
        batch.drop_column('days_to_close')
        batch.drop_column('counted_on')
