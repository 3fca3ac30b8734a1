"""URL rules of the public side: pages under /public, the JSON API under /api/public/v1."""
from flask import Blueprint

from . import api, views

bp = Blueprint("public", __name__, url_prefix="/public", template_folder="templates",
               static_folder="static", static_url_path="/static")
bp.after_request(views.private_headers)
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/apply/<kind>", view_func=views.apply, methods=["GET", "POST"])
bp.add_url_rule("/receipt", view_func=views.receipt_page)
bp.add_url_rule("/receipt/<token>", view_func=views.receipt_pdf)
bp.add_url_rule("/status", view_func=views.lookup_form)
bp.add_url_rule("/status", view_func=views.status_page, methods=["POST"])
bp.add_url_rule("/status/document", view_func=views.document, methods=["POST"])
bp.add_url_rule("/status/evaluate", view_func=views.evaluate, methods=["POST"])
bp.add_url_rule("/status/review", view_func=views.request_review, methods=["POST"])

api_bp = Blueprint("public_api", __name__, url_prefix="/api/public/v1")
api_bp.after_request(views.private_headers)
api_bp.add_url_rule("/openapi.json", view_func=api.openapi)
api_bp.add_url_rule("/disclosure-requests", view_func=api.file_disclosure, methods=["POST"])
api_bp.add_url_rule("/petitions", view_func=api.file_petition, methods=["POST"])
api_bp.add_url_rule("/cases/<tracking_number>", view_func=api.case_status)
api_bp.add_url_rule("/cases/<tracking_number>/documents/<int:document_id>", view_func=api.case_document)
api_bp.add_url_rule("/receipts/<token>", view_func=api.receipt)
