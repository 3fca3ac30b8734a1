"""Thin handlers of the public catalogue; what is published and found is decided in catalogue.py."""
import io

from flask import jsonify, render_template, request, send_file, url_for

from ..services.errors import Invalid, ServiceError
from . import catalogue, codes

FEED_SIZE = 50


def _filters() -> dict:
    """Query-string filters, checked: a bad year or page is a clear message, never a 500."""
    errors, year, page = {}, None, 1
    raw_year = request.args.get("year", "").strip()
    if raw_year:
        if not raw_year.isdigit() or not 1900 <= int(raw_year) <= 2999:
            errors["year"] = "年份应为四位数字，例如 2026"
        else:
            year = int(raw_year)
    raw_page = request.args.get("page", "1").strip() or "1"
    if not raw_page.isdigit() or int(raw_page) < 1:
        errors["page"] = "页码应为正整数"
    else:
        page = min(int(raw_page), 10000)
    category = request.args.get("category", "").strip()
    if category and category not in codes.CATEGORIES:
        errors["category"] = "信息类别不存在"
    if errors:
        raise Invalid("查询条件有误", errors)
    return {"q": request.args.get("q", "").strip()[:catalogue.MAX_QUERY], "category": category, "year": year,
            "page": page}


def _item_url(item) -> str:
    return url_for("catalogue.item", index_number=item.index_number, _external=True)


def index():
    try:
        f = _filters()
    except Invalid as exc:
        return render_template("proactive/index.html", items=[], total=0, f={"q": "", "category": "", "year": None,
                               "page": 1}, errors=exc.fields, codes=codes, years=catalogue.years(), pages=0, counts={}), 422
    items, total = catalogue.search(**f)
    pages = (total + catalogue.PER_PAGE - 1) // catalogue.PER_PAGE
    return render_template("proactive/index.html", items=items, total=total, f=f, errors={}, codes=codes,
                           years=catalogue.years(), pages=pages, counts=catalogue.published_counts(f["year"]))


def item(index_number):
    try:
        found = catalogue.published(index_number)
    except ServiceError as exc:
        return render_template("proactive/public_error.html", message=exc.message), 404
    return render_template("proactive/item.html", item=found, files=catalogue.files_of(found), codes=codes)


def item_file(index_number, attachment_id):
    try:
        attachment = catalogue.published_file(catalogue.published(index_number), attachment_id)
    except ServiceError as exc:
        return render_template("proactive/public_error.html", message=exc.message), 404
    response = send_file(io.BytesIO(attachment.content), mimetype=attachment.mime_type, as_attachment=True,
                         download_name=attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


def feed():
    items = catalogue.latest(FEED_SIZE)
    body = render_template("proactive/feed.xml", items=items, codes=codes, item_url=_item_url,
                           updated=max((i.updated_at for i in items), default=None))
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


def sitemap():
    body = render_template("proactive/sitemap.xml", rows=catalogue.all_published())
    return body, 200, {"Content-Type": "application/xml; charset=utf-8"}


def api_search():
    """``GET /api/public/v1/catalogue?q=…&category=…&year=…&page=…`` → ``{"items": [...], "total": n}``."""
    try:
        items, total = catalogue.search(**_filters())
    except ServiceError as exc:
        body = {"error": exc.message}
        if exc.fields:
            body["fields"] = exc.fields
        return jsonify(body), 422 if isinstance(exc, Invalid) else exc.status
    return jsonify({"items": [{"index_number": i.index_number, "title": i.title, "category": i.category,
                               "category_label": codes.CATEGORIES[i.category].label,
                               "published_on": i.published_on.isoformat(), "issuer": i.issuer,
                               "url": _item_url(i)} for i in items], "total": total})
