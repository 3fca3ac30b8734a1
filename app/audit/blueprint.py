from flask import Blueprint

from . import views

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/audit")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/cases/<int:case_id>/verify", view_func=views.verify_case, methods=["POST"])
