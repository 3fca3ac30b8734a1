from flask import Blueprint

from . import views

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")
bp.add_url_rule("/calendar", view_func=views.calendar, methods=["GET", "POST"])
