"""Build a benchmark app + database: SQLite file (WAL) or the separate PostgreSQL database ``bench``.

The benchmark never touches the ``test`` database's tables (the suite truncates them): on PostgreSQL it
connects to ``test`` only to ``CREATE DATABASE bench`` when that is missing, then drops and recreates the
``public`` schema of ``bench`` and migrates it from scratch.
"""
from __future__ import annotations

import logging
import os
import statistics
import time
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db

PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "bench")
CONFIG = {
    "TESTING": True,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "SECRET_KEY": "bench-secret-not-for-production",
}


@dataclass
class Target:
    label: str  # "SQLite", "PostgreSQL"
    app: object
    url: str


def sqlite_url(directory) -> str:
    return f"sqlite:///{os.path.join(str(directory), 'bench.db')}"


def postgres_url() -> str | None:
    """Create/reset the ``bench`` database; return its URL, or None when PostgreSQL does not answer."""
    admin = make_url(PG_ADMIN_URL)
    if admin.database == PG_BENCH_DB:
        raise RuntimeError("BENCH_PG_URL must name a different database than the bench one")
    try:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_BENCH_DB}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{PG_BENCH_DB}"'))
        engine.dispose()
    except Exception as exc:  # not reachable: the caller reports and skips PostgreSQL
        print(f"PostgreSQL not available ({exc.__class__.__name__}: {str(exc).splitlines()[0]})")
        return None
    url = admin.set(database=PG_BENCH_DB)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url.render_as_string(hide_password=False)


def build_app(url: str):
    """A migrated, demo-seeded app on ``url`` (the database must be empty)."""
    app = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    logging.disable(logging.INFO)  # Alembic's "Running upgrade" lines
    try:
        with app.app_context():
            from flask_migrate import upgrade
            from app.seed import seed_demo
            upgrade(directory=app.extensions["migrate"].directory)
            seed_demo(app.config["BPMN_DIR"])
            db.session.remove()
    finally:
        logging.disable(logging.NOTSET)
        # Alembic's env.py reconfigures logging (root level/handlers); give the host process its own back.
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
    return app


def cloned_app(tmpdir, *, sqlite: bool, n: int, title: str, template_case, populate_sqlite, populate_postgres):
    """An app on SQLite (a file in ``tmpdir``) or the ``bench`` PostgreSQL database holding ``n`` cases: one made
    by ``template_case(app)`` through the real services, the rest cloned from it by the ``populate_*`` function
    of the database. Exits with a message when PostgreSQL does not answer."""
    url = sqlite_url(tmpdir) if sqlite else postgres_url()
    if url is None:
        raise SystemExit("PostgreSQL does not answer: start it, or run with --sqlite")
    print(f"{title}: {n:,} cases on {'SQLite' if sqlite else 'PostgreSQL'}", flush=True)
    app = build_app(url)
    began = time.perf_counter()
    (populate_sqlite if sqlite else populate_postgres)(app, template_case(app), n)
    print(f"    populated in {time.perf_counter() - began:.1f} s", flush=True)
    return app


def targets(tmpdir, postgres: bool = True) -> list[Target]:
    """SQLite always; PostgreSQL when asked for and reachable."""
    out = [Target("SQLite", build_app(sqlite_url(tmpdir)), sqlite_url(tmpdir))]
    if postgres:
        url = postgres_url()
        if url:
            out.append(Target("PostgreSQL", build_app(url), url))
    return out


def dispose(target_list) -> None:
    for target in target_list:
        with target.app.app_context():
            db.session.remove()
            db.engine.dispose()


def median_ms(samples) -> float:
    return statistics.median(samples) * 1000.0


def quartiles_ms(samples) -> tuple[float, float]:
    if len(samples) < 4:
        return min(samples) * 1000.0, max(samples) * 1000.0
    q = statistics.quantiles(samples, n=4)
    return q[0] * 1000.0, q[2] * 1000.0
