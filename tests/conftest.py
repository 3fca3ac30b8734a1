"""Test fixtures: a real database per test (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set).

SQLite: the schema is built once through the Alembic migrations and seeded,
then copied to a fresh file for every test.  PostgreSQL: the same migrations
run once into the ``test`` database; every test starts from truncated, freshly
seeded tables.
"""
import os
import shutil
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL")
TEST_CONFIG = {
    "TESTING": True,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashing: tests create many users
    "SECRET_KEY": "test-secret-not-for-production",
}


def _build(url: str) -> None:
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from flask_migrate import upgrade
        upgrade(directory=app.extensions["migrate"].directory)
        _seed(app)
        db.engine.dispose()


def _seed(app) -> None:
    from app.seed import seed_demo
    seed_demo(app.config["BPMN_DIR"])


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    if PG_URL:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _build(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    _build(f"sqlite:///{path}")
    return path


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production.

    The ``app`` fixture keeps a context pushed for the test body; without this,
    requests would share its ``g`` and database session, hiding bugs that only
    show when requests are really separate (and mixing CSRF tokens between
    clients).
    """

    def open(self, *args, **kwargs):
        outer = _cv_app.get(None)
        if outer is not None:
            outer.pop()
        try:
            return super().open(*args, **kwargs)
        finally:
            if outer is not None:
                outer.push()


@pytest.fixture
def app(template_db, tmp_path):
    if PG_URL:
        url = PG_URL
    else:
        target = tmp_path / "case.db"
        shutil.copy(template_db, target)
        url = f"sqlite:///{target}"
    application = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        db.session.remove()
        if PG_URL:
            _reset_postgres(application)
        db.engine.dispose()


def _reset_postgres(application) -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    _seed(application)
    db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def bpmn_dir(app) -> Path:
    return Path(app.config["BPMN_DIR"])
