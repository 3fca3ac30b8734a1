"""Browser-test fixtures: the test ``app`` served over real HTTP, driven by Debian's Chromium.

``live_server`` runs the per-test application (its own SQLite file, or the
PostgreSQL ``test`` database) in werkzeug's threaded server on a free
loopback port.  Each request is handled in a server thread, in its own app
context and therefore its own Flask-SQLAlchemy session (sessions are scoped
by app context); the fixture checks that at the end, and waits for every
request in flight before the ``app`` fixture tears the database down.

``browser_page`` gives a page in a fresh browser context (its own cookies,
so its own login and CSRF token); ``new_browser_page`` makes more, for tests
with two people at once.  Playwright drives ``/usr/bin/chromium``: no browser
is ever downloaded.  Without it the tests are skipped, except in CI
(``CI=true``) where they fail.
"""
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import request_started
from werkzeug.serving import make_server

from app.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
TIMEOUT_MS = 10_000  # one step; a whole test stays well under 20 s


class _Gate:
    """WSGI middleware: counts requests in flight and refuses new ones once the test is over.

    Flask pops the request's app context (and so removes its database session)
    before returning the response object, so "no request in flight" means no
    server thread holds a database connection or transaction.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.cond = threading.Condition()
        self.in_flight = 0
        self.closed = False

    def __call__(self, environ, start_response):
        with self.cond:
            if self.closed:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Connection", "close")])
                return [b"test server stopping"]
            self.in_flight += 1
        try:
            return self.wsgi_app(environ, start_response)
        finally:
            with self.cond:
                self.in_flight -= 1
                self.cond.notify_all()

    def close(self, timeout: float) -> bool:
        with self.cond:
            self.closed = True
            return self.cond.wait_for(lambda: self.in_flight == 0, timeout=timeout)


@dataclass
class LiveServer:
    url: str
    app: object

    def __str__(self):
        return self.url


@pytest.fixture
def live_server(app):
    """Serve the test ``app`` on http://127.0.0.1:<free port> until the test ends."""
    # The test thread keeps the app fixture's context pushed.  Make sure its
    # session holds no transaction: on SQLite every transaction begins with
    # BEGIN IMMEDIATE, which would make every request wait for the busy timeout.
    db.session.remove()

    requests_seen = []  # (thread id, session object) for every request the server handled

    def record(sender, **extra):
        requests_seen.append((threading.get_ident(), db.session()))

    request_started.connect(record, app, weak=False)
    gate = _Gate(app)
    server = make_server("127.0.0.1", 0, gate, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        drained = gate.close(timeout=15)
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        request_started.disconnect(record, app)

    # Teardown checks: the database is reset right after this (truncated on PostgreSQL).
    assert drained, "a request was still running 15 s after the test ended"
    assert not thread.is_alive(), "the live server thread did not stop"
    test_thread, test_session = threading.get_ident(), db.session()
    assert all(ident != test_thread for ident, _ in requests_seen), "a request ran in the test thread"
    assert all(session is not test_session for _, session in requests_seen), \
        "a request used the test thread's database session"
    assert not any(session.in_transaction() for _, session in requests_seen), \
        "a request left its database transaction open"


def _chromium_or_skip() -> None:
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return
    reason = (f"browser tests need Debian's Chromium at {CHROMIUM} "
              "(apt-get install chromium, or `make system-packages`); Playwright's own browsers are not used")
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} -- required when CI=true", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module; every test gets fresh contexts."""
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def new_browser_page(chromium, live_server, request):
    """Factory: a page in a new browser context (own cookies) pointed at the live server.

    Depends on ``live_server`` so that the contexts close (and their
    keep-alive connections with them) before the server stops.
    """
    contexts = []

    def make():
        context = chromium.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                       viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, context in enumerate(contexts):
        if failed:  # keep what the browser showed, for whoever reads the failure
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for j, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}-{i}{j}.png"), full_page=True)
                except Exception:
                    pass
        context.close()


@pytest.fixture
def browser_page(new_browser_page):
    return new_browser_page()
