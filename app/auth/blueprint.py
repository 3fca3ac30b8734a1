from flask import Blueprint, current_app

from ..extensions import limiter
from . import account, views

bp = Blueprint("auth", __name__, template_folder="templates")
# Per client address, on top of the per-account lock of services.login.
bp.add_url_rule("/login", view_func=limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"],
                                                  methods=["POST"])(views.login), methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/account", "account_index", view_func=account.index, methods=["GET"])
bp.add_url_rule("/account/password", view_func=account.change_password, methods=["POST"])
bp.add_url_rule("/account/tokens", view_func=account.create_token, methods=["POST"])
bp.add_url_rule("/account/tokens/<int:token_id>/revoke", view_func=account.revoke_token, methods=["POST"])
