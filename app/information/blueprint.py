from flask import Blueprint

from flask_login import current_user

from . import scores, views

bp = Blueprint("information", __name__, template_folder="templates")
bp.add_url_rule("/information/ranking", view_func=views.ranking)
bp.add_url_rule("/information/mine", view_func=views.mine)
bp.add_url_rule("/information/on-call", view_func=views.on_call)
bp.add_url_rule("/information/bulletin", view_func=views.bulletin_page)
bp.add_url_rule("/information/bulletin", view_func=views.issue_bulletin, methods=["POST"])
bp.add_url_rule("/information/bulletin/<int:bulletin_id>.pdf", view_func=views.bulletin_pdf)


@bp.app_context_processor
def navigation():
    # A callable: only pages that render the navigation pay for the lane query.
    return {"may_read_information": lambda: scores.may_read(current_user),
            "may_submit_information": lambda: scores.may_submit(current_user)}
