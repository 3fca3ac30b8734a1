from flask import Blueprint

from . import views

bp = Blueprint("statistics", __name__, template_folder="templates")
bp.add_url_rule("/statistics", view_func=views.index)
bp.add_url_rule("/statistics.csv", view_func=views.csv_export)
