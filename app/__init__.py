"""Banjian (办件): the Flask application factory."""
from pathlib import Path

from flask import Flask

from .config import default_config
from .db_setup import configure_engine
from .extensions import csrf, db, login_manager, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(config: dict | None = None) -> Flask:
    """Build the application; ``config`` overrides the defaults (tests pass their own database)."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(default_config())
    if config:
        app.config.update(config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
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
    from .statistics.blueprint import bp as statistics_bp
    from .versions.blueprint import bp as versions_bp

    for bp in (auth_bp, inbox_bp, cases_bp, attachments_bp, audit_bp, admin_bp, operations_bp, modeler_bp,
               versions_bp, statistics_bp, api_bp):
        app.register_blueprint(bp)
    # Each process family's own pages (the public catalogue, bulletins…), declared in its family.py.
    from .families import families
    for family in families():
        for family_bp in family.blueprints:
            app.register_blueprint(family_bp)
    csrf.exempt(api_bp)  # the API checks CSRF itself for cookie sessions, see api/auth.py

    from .cli import register_cli
    from .ui import register_ui
    register_cli(app)
    register_ui(app)
    return app
