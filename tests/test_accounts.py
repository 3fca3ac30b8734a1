"""Accounts, login and sessions (issue 14 §1): guessing is throttled, logout and deactivation end sessions on
the server, tokens are named, expiring and revocable, administrators manage accounts."""
import re
import time
from datetime import timedelta

from app.extensions import db
from app.models import ApiToken, User
from app.models.types import utcnow
from app.services import users

from .test_deploy import _flask
from .test_web import csrf, login


def attempt(client, username, password):
    token = csrf(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_five_wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused(client):
    for _ in range(5):
        assert "用户名或密码错误" in attempt(client, "admin", "guess-guess").get_data(as_text=True)
    locked = attempt(client, "admin", "banjian-demo")
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.get_data(as_text=True) and "管理员解锁" in locked.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in


def test_an_unknown_username_is_answered_exactly_like_a_real_one(client):
    for name in ("admin", "no-such-user"):
        for _ in range(5):
            assert "用户名或密码错误" in attempt(client, name, "guess-guess").get_data(as_text=True)
    real, unknown = attempt(client, "admin", "x-x-x-x-x"), attempt(client, "no-such-user", "x-x-x-x-x")
    assert real.status_code == unknown.status_code == 429
    def page(response, name):  # the same page, but for the name typed in and the form's token
        return re.sub(r'name="csrf_token"[^>]*', "", response.get_data(as_text=True).replace(name, "NAME"))
    assert page(real, "admin") == page(unknown, "no-such-user")


def test_an_administrator_unlocks_a_locked_account(app, client):
    for _ in range(5):
        attempt(client, "officer", "guess-guess")
    assert attempt(client, "officer", "banjian-demo").status_code == 429
    admin = login(app.test_client(), "admin")
    page = admin.get(f"/admin/users/{users.get_user('officer').id}").get_data(as_text=True)
    assert "登录已锁定" in page
    response = admin.post(f"/admin/users/{users.get_user('officer').id}/unlock", data={"csrf_token": csrf(page)})
    assert response.status_code == 302
    assert attempt(client, "officer", "banjian-demo").status_code == 302


def test_one_client_address_is_limited_whatever_the_usernames(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    for n in range(3):
        assert attempt(client, f"someone{n}", "guess-guess").status_code == 200
    limited = attempt(client, "officer", "banjian-demo")
    assert limited.status_code == 429 and "请求过于频繁" in limited.get_data(as_text=True)


def test_logout_ends_the_session_on_the_server(app, client):
    login(client, "officer")
    stolen = client.get_cookie("session").value
    assert client.get("/").status_code == 200
    page = client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf(page)})
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/").status_code == 302  # the old cookie no longer logs anyone in


def test_idle_and_absolute_timeouts_end_the_session(app, client):
    login(client, "officer")
    with client.session_transaction() as s:
        s["seen_at"] = int(time.time()) - 31 * 60
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "分钟未操作" in client.get("/login").get_data(as_text=True)
    login(client, "officer")
    with client.session_transaction() as s:
        s["login_at"] = int(time.time()) - 13 * 3600
    assert client.get("/").status_code == 302


def test_passwords_follow_the_policy_and_a_change_ends_other_sessions(app, client):
    login(client, "officer")
    other = login(app.test_client(), "officer")
    page = client.get("/account").get_data(as_text=True)
    for bad, message in (("short", "至少 10 位"), ("password123", "过于常见"), ("1234567890", "过于常见")):
        response = client.post("/account/password", data={"csrf_token": csrf(page), "current_password": "banjian-demo",
                                                         "new_password": bad, "confirm": bad})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    response = client.post("/account/password", data={"csrf_token": csrf(page), "current_password": "banjian-demo",
                                                     "new_password": "晴天-长河-2026", "confirm": "晴天-长河-2026"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200       # this session goes on
    assert other.get("/").status_code == 302         # the other one ended
    assert attempt(app.test_client(), "officer", "晴天-长河-2026").status_code == 302


def test_tokens_are_named_expire_and_are_revocable_by_owner_and_admin(app, client):
    login(client, "officer")
    page = client.get("/account").get_data(as_text=True)
    created = client.post("/account/tokens", data={"csrf_token": csrf(page), "name": "档案系统对接", "days": "90"})
    token = re.search(r'<code class="token">(bj_[^<]+)</code>', created.get_data(as_text=True)).group(1)
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/tasks", headers=headers).status_code == 200
    row = db.session.execute(db.select(ApiToken).where(ApiToken.name == "档案系统对接")).scalar_one()
    assert row.token_hash != token and token not in row.token_hash
    assert timedelta(days=89) < row.expires_at - utcnow() <= timedelta(days=90)
    listing = client.get("/account").get_data(as_text=True)
    assert "档案系统对接" in listing and "从未使用" not in listing  # last use is shown
    # expired
    row = db.session.get(ApiToken, row.id)  # (each request ends the test's session: load it again)
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert app.test_client().get("/api/v1/tasks", headers=headers).status_code == 401
    # revoked by an administrator
    other = users.create_token("officer", "第二个")
    db.session.commit()
    second = db.session.execute(db.select(ApiToken).where(ApiToken.name == "第二个")).scalar_one()
    admin = login(app.test_client(), "admin")
    page = admin.get(f"/admin/users/{second.user_id}").get_data(as_text=True)
    assert "第二个" in page
    admin.post(f"/admin/users/{second.user_id}/tokens/{second.id}/revoke", data={"csrf_token": csrf(page)})
    assert app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {other}"}).status_code == 401
    # someone else's token cannot be revoked by a non-administrator
    third = users.create_token("officer2", "别人的")
    db.session.commit()
    third_row = db.session.execute(db.select(ApiToken).where(ApiToken.name == "别人的")).scalar_one()
    page = client.get("/account").get_data(as_text=True)
    assert client.post(f"/account/tokens/{third_row.id}/revoke", data={"csrf_token": csrf(page)}).status_code == 404
    assert app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {third}"}).status_code == 200


def test_administrator_creates_edits_and_deactivates_a_user(app, client):
    admin = login(client, "admin")
    page = admin.get("/admin/users/new").get_data(as_text=True)
    weak = admin.post("/admin/users/new", data={"csrf_token": csrf(page), "username": "xiaozhang",
                                                "display_name": "小张", "department": "GKB", "roles": ["officer"],
                                                "password": "12345678"})
    assert weak.status_code == 422 and "至少 10 位" in weak.get_data(as_text=True)
    made = admin.post("/admin/users/new", data={"csrf_token": csrf(page), "username": "xiaozhang",
                                                "display_name": "小张", "department": "GKB", "roles": ["officer"],
                                                "password": "小张的-密码-2026"})
    assert made.status_code == 302
    user_url = made.headers["Location"]
    xiaozhang = login_as(app, "xiaozhang", "小张的-密码-2026")
    token = users.create_token("xiaozhang", "对接")
    db.session.commit()
    page = admin.get(user_url).get_data(as_text=True)
    edited = admin.post(user_url, data={"csrf_token": csrf(page), "display_name": "张三丰", "department": "BMB",
                                        "roles": ["officer", "head"], "email": ""})
    assert edited.status_code == 302
    db.session.expire_all()
    user = users.get_user("xiaozhang")
    assert user.roles == {"officer", "head"} and user.department.code == "BMB" and user.display_name == "张三丰"
    admin.post(f"{user_url}/active", data={"csrf_token": csrf(page), "active": "0"})
    assert xiaozhang.get("/").status_code == 302  # the open session ended
    assert app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "用户名或密码错误" in attempt(app.test_client(), "xiaozhang", "小张的-密码-2026").get_data(as_text=True)


def login_as(app, username, password):
    c = app.test_client()
    assert attempt(c, username, password).status_code == 302
    return c


def test_only_administrators_reach_the_account_pages(app, client):
    login(client, "head")
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/users/new").status_code == 403


def test_seed_demo_needs_demo_and_is_refused_in_production(app):
    db.session.remove()
    plain = _flask(app, "seed-demo")
    assert plain.returncode == 1 and "--demo" in plain.stderr
    production = _flask(app, "seed-demo", "--demo", env_extra={"BANJIAN_ENV": "production"})
    assert production.returncode == 1 and "production" in production.stderr


def test_cli_password_commands_read_stdin_and_apply_the_policy(app):
    db.session.remove()
    weak = _flask(app, "set-password", "officer", stdin="123456\n")
    assert weak.returncode == 1 and "至少 10 位" in weak.stderr
    done = _flask(app, "set-password", "officer", stdin="新的-口令-2026-十二月\n")
    assert done.returncode == 0, done.stderr
    assert attempt(app.test_client(), "officer", "新的-口令-2026-十二月").status_code == 302
    assert _flask(app, "deactivate-user", "officer2").returncode == 0
    db.session.expire_all()
    assert db.session.execute(db.select(User).where(User.username == "officer2")).scalar_one().active is False


def test_session_settings_come_from_the_environment(monkeypatch):
    from app.config import default_config
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "15")
    config = default_config()
    assert config["SESSION_COOKIE_SECURE"] is True and config["SESSION_IDLE_MINUTES"] == 15
    assert config["WTF_CSRF_TIME_LIMIT"] == 2 * 3600  # a form's token expires
