from flask import Blueprint

from . import views

bp = Blueprint("versions", __name__, template_folder="templates", url_prefix="/versions")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/<process_key>", view_func=views.process_versions)
bp.add_url_rule("/<process_key>/compare", view_func=views.compare)
bp.add_url_rule("/<process_key>/migration", view_func=views.migration)
bp.add_url_rule("/<process_key>/migration/all", view_func=views.migrate_all, methods=["POST"])
bp.add_url_rule("/<process_key>/migration/<int:case_id>", view_func=views.migrate_one, methods=["POST"])
