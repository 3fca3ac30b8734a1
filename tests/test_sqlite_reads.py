"""SQLite: reads don't queue behind a write. Only a writing request takes the write lock (BEGIN IMMEDIATE);
a page or API read runs on its WAL snapshot while another process holds the lock, and a read request that
writes (a token's first use) takes the lock first and still records what it must."""
import sqlite3
import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken

from .conftest import PG_URL
from .helpers import Api
from .test_web import login

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite's write lock; PostgreSQL readers never queue")


def _database_file(app) -> str:
    return db.engine.url.database


class LongWrite:
    """Another process's long write transaction holding SQLite's write lock until released."""

    def __init__(self, app):
        self.conn = sqlite3.connect(_database_file(app), isolation_level=None, timeout=0)

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("UPDATE department SET name = name")
        return self

    def __exit__(self, *exc):
        self.conn.execute("ROLLBACK")
        self.conn.close()


def _within(seconds, request):
    """Run ``request`` in a thread; its response, or None if it was still waiting after ``seconds``."""
    done = {}
    thread = threading.Thread(target=lambda: done.setdefault("response", request()), daemon=True)
    thread.start()
    thread.join(seconds)
    return done.get("response")


def test_pages_and_api_reads_are_served_while_another_process_writes(app, client):
    api = Api(client, "officer")
    login(client, "officer")
    assert api.get("/tasks?scope=mine").status_code == 200  # the token's first use is recorded before
    db.session.remove()  # the test body holds no transaction of its own
    with LongWrite(app):
        for read in (lambda: client.get("/cases"), lambda: client.get("/"),
                     lambda: api.get("/tasks?scope=claimable")):
            response = _within(10, read)
            assert response is not None, "a read waited for the write lock"
            assert response.status_code == 200


def test_a_write_still_waits_for_the_lock_and_then_succeeds(app, client):
    api = Api(client, "officer")
    db.session.remove()
    writer = LongWrite(app).__enter__()
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("r", api.post("/cases", {
        "process": "disclosure_request", "data": {}})), daemon=True)
    thread.start()
    thread.join(1.5)
    assert "r" not in result  # the command queues behind the other writer: one writer at a time
    writer.__exit__(None, None, None)
    thread.join(30)
    assert result["r"].status_code in (201, 422)  # served once the lock is free (422: the empty form)


def test_a_read_request_that_records_a_tokens_first_use_takes_the_lock_and_records_it(app, client):
    api = Api(client, "officer")
    db.session.remove()
    assert api.get("/tasks?scope=mine").status_code == 200
    used = db.session.execute(select(ApiToken.last_used_at)).scalars().all()
    assert any(used)
