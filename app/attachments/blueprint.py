from flask import Blueprint

from . import views

bp = Blueprint("attachments", __name__)
bp.add_url_rule("/cases/<int:case_id>/attachments", view_func=views.upload, methods=["POST"])
bp.add_url_rule("/attachments/<int:attachment_id>", view_func=views.download)
bp.app_context_processor(views.template_helpers)
bp.app_errorhandler(413)(views.too_large)
bp.record_once(views.label_events)
