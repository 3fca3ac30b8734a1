from flask import Blueprint

from . import views

bp = Blueprint("modeler", __name__, template_folder="templates", static_folder="static",
               static_url_path="/modeler/static")
bp.add_url_rule("/modeler", view_func=views.index)
bp.add_url_rule("/modeler/new", view_func=views.new_process, methods=["POST"])
bp.add_url_rule("/modeler/<process_key>", view_func=views.edit)
bp.add_url_rule("/modeler/<process_key>/model.json", view_func=views.model)
bp.add_url_rule("/modeler/<process_key>/lanes", view_func=views.lanes, methods=["GET", "POST"])
bp.add_url_rule("/modeler/<process_key>/draft", view_func=views.save_draft, methods=["POST"])
bp.add_url_rule("/modeler/<process_key>/draft/discard", view_func=views.discard_draft, methods=["POST"])
bp.add_url_rule("/modeler/<process_key>/validate", view_func=views.validate, methods=["POST"])
bp.add_url_rule("/modeler/<process_key>/deploy", view_func=views.deploy, methods=["POST"])
bp.add_url_rule("/modeler/<process_key>/upload", view_func=views.upload, methods=["POST"])
bp.add_url_rule("/modeler/<process_key>/download", view_func=views.download)
bp.add_url_rule("/modeler/forms/check", view_func=views.check_form, methods=["POST"])
# bpmn-js, served from node_modules as npm installed it (with its licence).
bp.add_url_rule("/modeler/vendor/bpmn-js/<path:filename>", view_func=views.vendor)
# The case page's diagram: the case's own version and where the case stands on it.
bp.add_url_rule("/cases/<int:case_id>/diagram.bpmn", view_func=views.case_bpmn)
bp.add_url_rule("/cases/<int:case_id>/diagram.json", view_func=views.case_states)
