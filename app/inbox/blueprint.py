from flask import Blueprint

from . import views

bp = Blueprint("inbox", __name__, template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/overdue", view_func=views.overdue)
bp.add_url_rule("/notifications", view_func=views.notifications_page)
bp.add_url_rule("/notifications/read", view_func=views.notifications_read, methods=["POST"])
bp.add_url_rule("/tasks/<task_id>", view_func=views.task, methods=["GET", "POST"])
bp.add_url_rule("/tasks/<task_id>/claim", view_func=views.claim, methods=["POST"])
bp.add_url_rule("/tasks/<task_id>/release", view_func=views.release, methods=["POST"])
