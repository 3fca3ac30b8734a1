"""Headers, files and keys (issue 14 §5)."""
import os
import stat
import subprocess
import sys
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from app import create_app
from app.security_headers import CSP

from .helpers import Api, office_today
from .test_web import login

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_carries_the_policy_and_nosniff(client):
    pages = [client.get("/login"), client.get("/api/v1/openapi.json"), client.get("/no-such-page"),
             client.get("/api/v1/cases/1")]
    login(client, "officer")
    pages += [client.get("/"), client.get("/cases"), client.get("/modeler/disclosure_request")]
    for response in pages:
        assert response.headers["Content-Security-Policy"] == CSP
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_documents_are_nosniff_and_downloads_keep_their_sandbox(client):
    officer = Api(client, "officer")
    case = officer.register(received_on=office_today())  # a correction only within the reply period
    officer.complete(case["id"], "check_completeness", {
        "needs_correction": True, "correction_items": "请明确年份。", "correction_deadline": "2030-12-31"})
    document = officer.case(case["id"])["documents"][0]
    letter = officer.get(f"/documents/{document['id']}")
    assert letter.status_code == 200 and letter.headers["X-Content-Type-Options"] == "nosniff"
    uploaded = client.post(f"/api/v1/cases/{case['id']}/attachments", headers=officer.headers,
                           data={"file": (__import__("io").BytesIO("说明文字".encode()), "说明.txt")},
                           content_type="multipart/form-data").get_json()
    download = officer.get(f"/attachments/{uploaded['id']}")
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert download.headers["Content-Type"].lower().count("charset") == 1


def test_one_charset_in_content_type(client):
    login(client, "head")
    export = client.get("/statistics?preset=year&format=csv")
    assert export.status_code == 200
    assert export.headers["Content-Type"].lower().count("charset") == 1, export.headers["Content-Type"]


def test_the_server_of_make_run_shows_no_version_banner(app, tmp_path):
    """``make run`` and production serve with gunicorn, which names itself without a version."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
                               "app:create_app()"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                    banner = response.headers.get_all("Server")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert banner and not any(ch.isdigit() for ch in "".join(banner)), banner


KEY_RACE = """
import pathlib, sys
import app.config as config
config.INSTANCE = pathlib.Path(sys.argv[1])
print(config._key_file("secret_key"))
"""


def test_processes_starting_together_agree_on_one_private_secret_key(tmp_path):
    for attempt in range(3):
        instance = tmp_path / f"instance{attempt}"
        procs = [subprocess.Popen([sys.executable, "-c", KEY_RACE, str(instance)], cwd=ROOT, stdout=subprocess.PIPE,
                                  text=True) for _ in range(8)]
        keys = {p.communicate(timeout=120)[0].strip() for p in procs}
        assert len(keys) == 1 and len(keys.pop()) == 64
        assert stat.S_IMODE(os.stat(instance / "secret_key").st_mode) == 0o600
        assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
        assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_a_new_sqlite_database_file_is_private(tmp_path):
    path = tmp_path / "fresh.db"
    application = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "x",
                              "TESTING": True})
    with application.app_context():
        from app.extensions import db
        db.session.execute(db.text("CREATE TABLE t (x INTEGER)"))
        db.session.commit()
        db.engine.dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize("kind", ["cases", "documents", "attachments", "tasks"])
def test_existing_and_missing_ids_answer_the_same_to_an_outsider(client, kind):
    from app.extensions import db
    from app.services import users
    officer = Api(client, "officer")
    case = officer.register(received_on=office_today())  # a correction only within the reply period
    officer.complete(case["id"], "check_completeness", {
        "needs_correction": True, "correction_items": "请明确年份。", "correction_deadline": "2030-12-31"})
    case = officer.case(case["id"])
    uploaded = client.post(f"/api/v1/cases/{case['id']}/attachments", headers=officer.headers,
                           data={"file": (__import__("io").BytesIO("说明文字".encode()), "说明.txt")},
                           content_type="multipart/form-data").get_json()
    existing = {"cases": case["id"], "documents": case["documents"][0]["id"], "attachments": uploaded["id"],
                "tasks": [t for t in case["tasks"] if t["state"] == "ready"][0]["id"]}[kind]
    missing = "00000000-0000-0000-0000-000000000000" if kind == "tasks" else 999999
    users.create_user("outsider", "outsider-pass", ["officer"], "DCS")
    db.session.commit()
    outsider = Api(client, "outsider")
    seen, unseen = outsider.get(f"/{kind}/{existing}"), outsider.get(f"/{kind}/{missing}")
    assert (seen.status_code, seen.get_json()) == (unseen.status_code, unseen.get_json())
    assert seen.status_code == 404
