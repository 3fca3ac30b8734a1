from flask import Blueprint

from . import views

bp = Blueprint("operations", __name__, template_folder="templates")
bp.add_url_rule("/cases/<int:case_id>/comments", view_func=views.comment, methods=["POST"])
bp.add_url_rule("/cases/<int:case_id>/leaders", view_func=views.attach_leader, methods=["POST"])
bp.add_url_rule("/cases/<int:case_id>/<any(suspend, resume, terminate):action>", view_func=views.case_action,
                methods=["POST"])
bp.add_url_rule("/tasks/<task_id>/rewind", view_func=views.rewind, methods=["POST"])
bp.add_url_rule("/tasks/<task_id>/reassign", view_func=views.reassign, methods=["POST"])
bp.add_url_rule("/admin/incidents", view_func=views.incidents)
bp.add_url_rule("/admin/incidents/<int:incident_id>/retry", view_func=views.retry, methods=["POST"])
