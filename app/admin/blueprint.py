from flask import Blueprint

from . import users, views

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")
bp.add_url_rule("/calendar", view_func=views.calendar, methods=["GET", "POST"])
bp.add_url_rule("/users", "users", view_func=users.index)
bp.add_url_rule("/users/new", "new", view_func=users.new, methods=["GET", "POST"])
bp.add_url_rule("/users/<int:user_id>", view_func=users.user, methods=["GET", "POST"])
bp.add_url_rule("/users/<int:user_id>/active", view_func=users.set_active, methods=["POST"])
bp.add_url_rule("/users/<int:user_id>/password", view_func=users.reset_password, methods=["POST"])
bp.add_url_rule("/users/<int:user_id>/unlock", view_func=users.unlock, methods=["POST"])
bp.add_url_rule("/users/<int:user_id>/tokens/<int:token_id>/revoke", view_func=users.revoke_token,
                methods=["POST"])
