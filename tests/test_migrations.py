"""The Alembic migrations build exactly the schema the models describe, and can be undone."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.db_setup import include_object
from app.extensions import db
from tests.conftest import PG_URL, TEST_CONFIG


def _fresh_app(tmp_path):
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}"})


def _differences():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        return compare_metadata(context, db.metadata)


def test_the_migrated_schema_matches_the_models(tmp_path):
    app = _fresh_app(tmp_path)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        assert _differences() == []
        db.engine.dispose()


def test_every_migration_can_be_undone_and_redone(tmp_path):
    app = _fresh_app(tmp_path)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        assert db.inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade(directory=directory)
        assert _differences() == []
        db.engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL only: the run with TEST_DATABASE_URL checks it")
def test_the_engine_state_is_compressed_with_lz4_on_postgresql(app):
    method = db.session.execute(text(
        "SELECT attcompression FROM pg_attribute "
        "WHERE attrelid = 'case_file'::regclass AND attname = 'engine_state'")).scalar_one()
    assert method == "l"
