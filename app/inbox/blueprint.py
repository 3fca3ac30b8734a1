from flask import Blueprint

from . import views

bp = Blueprint("inbox", __name__, template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/overdue", view_func=views.overdue)
bp.add_url_rule("/filters", view_func=views.save_filter, methods=["POST"])
bp.add_url_rule("/filters/<int:filter_id>", view_func=views.apply_filter)
bp.add_url_rule("/filters/<int:filter_id>/share", view_func=views.share_filter, methods=["POST"])
bp.add_url_rule("/filters/<int:filter_id>/delete", view_func=views.delete_filter, methods=["POST"])
bp.add_url_rule("/notifications", view_func=views.notifications_page)
bp.add_url_rule("/notifications/read", view_func=views.notifications_read, methods=["POST"])
bp.add_url_rule("/tasks/<task_id>", view_func=views.task, methods=["GET", "POST"])
bp.add_url_rule("/tasks/<task_id>/preview", view_func=views.preview)
bp.add_url_rule("/tasks/<task_id>/claim", view_func=views.claim, methods=["POST"])
bp.add_url_rule("/tasks/<task_id>/release", view_func=views.release, methods=["POST"])
