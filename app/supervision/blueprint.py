from flask import Blueprint

from . import views

bp = Blueprint("supervision", __name__, template_folder="templates")
bp.add_url_rule("/supervision/bulletin", view_func=views.bulletin_page, methods=["GET", "POST"])
