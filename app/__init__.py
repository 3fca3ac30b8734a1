"""Banjian (办件): the Flask application factory."""
from pathlib import Path

from flask import Flask, redirect, url_for

from .config import default_config
from .db_setup import configure_engine
from .extensions import csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(config: dict | None = None) -> Flask:
    """Build the application; ``config`` overrides the defaults (tests pass their own database)."""
    app = Flask(__name__, instance_relative_config=False)
    from .ids import IdConverter
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.config.update(default_config())
    if config:
        app.config.update(config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"
    with app.app_context():
        configure_engine(db.engine)

    from . import models  # noqa: F401  (register tables)
    from .admin.blueprint import bp as admin_bp
    from .api.blueprint import bp as api_bp
    from .attachments.blueprint import bp as attachments_bp
    from .audit.blueprint import bp as audit_bp
    from .auth.blueprint import bp as auth_bp
    from .cases.blueprint import bp as cases_bp
    from .inbox.blueprint import bp as inbox_bp
    from .modeler.blueprint import bp as modeler_bp
    from .operations.blueprint import bp as operations_bp
    from .reports.blueprint import bp as reports_bp
    from .statistics.blueprint import bp as statistics_bp
    from .versions.blueprint import bp as versions_bp

    for bp in (auth_bp, inbox_bp, cases_bp, attachments_bp, audit_bp, admin_bp, operations_bp, modeler_bp,
               versions_bp, statistics_bp, reports_bp, api_bp):
        if not app.config.get("PUBLIC_ONLY"):  # served alone (internet-facing): the officers' side is not routed
            app.register_blueprint(bp)
    # Each process family's own officer pages (bulletins, rankings…), declared in its family.py.
    from .families import families
    if not app.config.get("PUBLIC_ONLY"):
        for family in families():
            for family_bp in family.blueprints:
                app.register_blueprint(family_bp)
    csrf.exempt(api_bp)  # the API checks CSRF itself for cookie sessions, see api/auth.py
    _register_public_side(app)

    from . import input_guard, security_headers
    input_guard.register(app)  # before every blueprint's own before_request hooks
    from .letters import fonts, render
    render.configure_fonts(fonts.from_settings(app.config))  # a missing font file stops the start, loudly
    security_headers.register(app)

    from .cli import register_cli
    from .ui import register_ui
    register_cli(app)
    register_ui(app)
    return app


def _register_public_side(app: Flask) -> None:
    """The public side (app.public): no login, its own templates; its JSON API authenticates nobody, so CSRF
    is moot there. With ``PUBLIC_ONLY`` it is all the application serves."""
    from .public.blueprint import api_bp as public_api_bp
    from .public.blueprint import bp as public_bp
    app.register_blueprint(public_bp)
    app.register_blueprint(public_api_bp)
    from .families import families
    for family in families():  # each family's public pages (the proactive-disclosure catalogue)
        for family_bp in family.public_blueprints:
            app.register_blueprint(family_bp)
    csrf.exempt(public_api_bp)
    if app.config.get("PUBLIC_ONLY"):
        app.add_url_rule("/", "public_home", lambda: redirect(url_for("public.index")))
