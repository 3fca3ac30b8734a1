from flask import Blueprint

from . import views

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(views.authenticate)
bp.add_url_rule("/openapi.json", view_func=views.openapi)
bp.add_url_rule("/cases", view_func=views.create_case, methods=["POST"])
bp.add_url_rule("/cases/<int:case_id>", view_func=views.get_case)
bp.add_url_rule("/cases/<int:case_id>/history", view_func=views.case_history)
bp.add_url_rule("/tasks", view_func=views.list_tasks)
bp.add_url_rule("/tasks/<task_id>", view_func=views.get_task)
bp.add_url_rule("/tasks/<task_id>/claim", view_func=views.claim_task, methods=["POST"])
bp.add_url_rule("/tasks/<task_id>/complete", view_func=views.complete_task, methods=["POST"])
bp.add_url_rule("/documents/<int:document_id>", view_func=views.get_document)
bp.add_url_rule("/cases/<int:case_id>/attachments", view_func=views.list_attachments)
bp.add_url_rule("/cases/<int:case_id>/attachments", view_func=views.upload_attachment, methods=["POST"])
bp.add_url_rule("/attachments/<int:attachment_id>", view_func=views.get_attachment)
bp.add_url_rule("/cases/<int:case_id>/leaders", view_func=views.list_leaders)
bp.add_url_rule("/cases/<int:case_id>/leaders", view_func=views.attach_leader, methods=["POST"])
bp.add_url_rule("/led-cases", view_func=views.led_cases)
bp.add_url_rule("/statistics", view_func=views.department_statistics)
bp.add_url_rule("/reports/information-scores", view_func=views.information_scores)
