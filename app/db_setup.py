"""Database engine behaviour that SQLAlchemy does not give us by default.

SQLite: WAL journal (readers don't block the writer), a busy timeout, foreign
keys on, and every writing transaction started with ``BEGIN IMMEDIATE`` so that
a case command holds the write lock from its first read: that is SQLite's
equivalent of PostgreSQL's ``SELECT … FOR UPDATE`` on the case row, and it
keeps two commands on one case strictly one after the other.

Reads don't queue behind writes: a GET/HEAD/OPTIONS request begins a plain
(deferred) transaction, which in WAL mode reads a snapshot while a writer holds
the lock. A read request that turns out to write (the first online download of
a letter, a token's "last used") takes the write lock through
:func:`ensure_write_lock` (``lock_case`` calls it) before it reads what it will
change; the remaining small writes of a read request upgrade the deferred
transaction in place.
"""
import os

from flask import g, has_request_context, request
from sqlalchemy import event

READ_METHODS = ("GET", "HEAD", "OPTIONS")


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
        deferred = _reading()
        conn.info["sqlite_deferred"] = deferred
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def _reading() -> bool:
    """True inside a read request that has not asked for the write lock (outside requests: workers write)."""
    return has_request_context() and request.method in READ_METHODS and not g.get("db_writes", False)


def ensure_write_lock(session) -> None:
    """Make the rest of this request's work hold SQLite's write lock, as every command does.

    A read request's deferred transaction cannot take the lock atomically, so it is ended (a read request has
    written nothing before it locks what it will change) and the next statement begins ``BEGIN IMMEDIATE``.
    Loaded objects are expired by the commit and reload on access. No effect on PostgreSQL or in a command."""
    session = session() if hasattr(session, "registry") else session  # a scoped_session: this thread's session
    if session.get_bind().dialect.name != "sqlite" or not _reading():
        return
    g.db_writes = True
    if session.in_transaction() and session.connection().info.get("sqlite_deferred"):
        session.commit()


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic autogenerate filter: SQLite's FTS5 search table ``case_search`` and its shadow tables are made by
    migration 0018 and kept by triggers, not described by a model; never propose dropping them."""
    return not (type_ == "table" and reflected and compare_to is None and name.startswith("case_search"))
