"""The public catalogue (政府信息公开目录): pages, Atom feed, sitemap and JSON, no login.

Its own blueprint, so an agency can serve it beside (or apart from) the rest of the public side.
"""
from flask import Blueprint

from . import views

bp = Blueprint("catalogue", __name__, template_folder="templates")
bp.add_url_rule("/catalogue/", view_func=views.index)
bp.add_url_rule("/catalogue/feed.atom", view_func=views.feed)
bp.add_url_rule("/catalogue/sitemap.xml", view_func=views.sitemap)
bp.add_url_rule("/catalogue/items/<index_number>", view_func=views.item)
bp.add_url_rule("/catalogue/items/<index_number>/files/<int:attachment_id>", view_func=views.item_file)
bp.add_url_rule("/api/public/v1/catalogue", view_func=views.api_search)
