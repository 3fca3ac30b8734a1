from flask import Blueprint

from . import views

bp = Blueprint("cases", __name__, template_folder="templates")
bp.add_url_rule("/cases", view_func=views.index)
bp.add_url_rule("/cases/new/<process>", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/cases/<int:case_id>", view_func=views.show)
bp.add_url_rule("/documents/<int:document_id>", view_func=views.document)
bp.add_url_rule("/cases/<int:case_id>/remedies", view_func=views.save_remedy, methods=["POST"])
bp.add_url_rule("/cases/<int:case_id>/remedies/<int:remedy_id>", view_func=views.save_remedy, methods=["POST"])
