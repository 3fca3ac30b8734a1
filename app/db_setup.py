"""Database engine behaviour that SQLAlchemy does not give us by default.

SQLite: WAL journal (readers don't block the writer), a busy timeout, foreign
keys on, and every transaction started with ``BEGIN IMMEDIATE`` so that a case
command holds the write lock from its first read: that is SQLite's equivalent
of PostgreSQL's ``SELECT … FOR UPDATE`` on the case row, and it keeps two
commands on one case strictly one after the other.
"""
import os

from sqlalchemy import event


def _create_private(path: str) -> None:
    """Create the SQLite file readable by its owner only (SQLite gives its -wal/-shm files the same mode)."""
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def configure_engine(engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    _create_private(engine.url.database)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
