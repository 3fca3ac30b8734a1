from flask import Blueprint

from . import views

bp = Blueprint("reports", __name__, template_folder="templates")
bp.add_url_rule("/reports/annual", view_func=views.annual_page)
bp.add_url_rule("/reports/annual/<int:year>/texts", view_func=views.save_texts, methods=["POST"])
bp.add_url_rule("/reports/annual/<int:year>/freeze", view_func=views.freeze, methods=["POST"])
bp.add_url_rule("/reports/annual/<int:year>/cases", view_func=views.cell_cases)
bp.add_url_rule("/reports/annual/<int:year>.pdf", view_func=views.pdf)
bp.add_url_rule("/reports/annual/<int:year>.xlsx", view_func=views.xlsx)
