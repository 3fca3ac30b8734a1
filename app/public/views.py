"""Pages of the public side: plain HTML forms (CSRF, no JavaScript), thin handlers over the services.

The query code never travels in a URL: the status page, downloads and the petitioner's evaluation and review
request are POSTed forms that carry it.
"""
from flask import flash, redirect, render_template, request, session, url_for

from workflows.forms import form_fields

from .. import families
from ..services.errors import ServiceError
from . import filing, limits, status, tokens
from .api import send_pdf

RECEIPT_KEY = "public_receipt"


def private_headers(response):
    """Pages and answers about one person's case are not cached, nor is the address sent on to other sites."""
    if request.endpoint == "public.static":
        return response
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def index():
    return render_template("public/index.html")


def _fields(kind):
    """The public form's fields, in the kind's order, as the officers' form renderer describes them."""
    by_name = {f.name: f for f in form_fields(filing.start_schema(kind))}
    return [by_name[name] for name in kind.fields if name in by_name]


def _form(kind, values=None, errors=None, message=None, status_code=200):
    return render_template("public/apply.html", kind=kind, fields=_fields(kind), values=values or {},
                           errors=errors or {}, message=message, form_token=tokens.form_token(kind.key),
                           max_files=filing.MAX_FILES), status_code


@limits.filing
def apply(kind):
    kind = filing.kind_of(kind)
    if request.method == "GET":
        return _form(kind)
    values = {name: request.form.get(name, "") for name in kind.fields}
    refused = tokens.check_form_token(request.form.get("form_token"), kind.key)
    if refused:
        return _form(kind, values, message=refused, status_code=422)
    uploads = [(f.filename, f.stream) for f in request.files.getlist("attachments") if f and f.filename]
    try:
        filed = filing.file(kind, values, uploads)
    except ServiceError as exc:
        if exc.status != 422:
            raise
        return _form(kind, values, exc.fields, exc.message, 422)
    session[RECEIPT_KEY] = {"tracking_number": filed.case.tracking_number, "query_code": filed.query_code,
                            "received_on": filed.case.data["received_on"], "kind": kind.key,
                            "token": status.receipt_link_token(filed.receipt)}
    return redirect(url_for("public.receipt_page"))


def receipt_page():
    """The receipt, once: the query code leaves the session as it is shown."""
    shown = session.pop(RECEIPT_KEY, None)
    if shown is None:
        return render_template("public/receipt.html", receipt=None)
    kind = filing.kind_of(shown["kind"])
    return render_template("public/receipt.html", receipt=shown, kind=kind,
                           next_steps=families.public_status(kind.process_key).NEXT_STEPS)


@limits.lookup
def receipt_pdf(token):
    return send_pdf(status.receipt(token))


def lookup_form():
    return render_template("public/lookup.html", values={})


def _credentials():
    return request.form.get("tracking_number", ""), request.form.get("query_code", "")


@limits.lookup
def status_page():
    number, code = _credentials()
    try:
        view = status.status(number, code)
    except ServiceError as exc:
        if exc.status != 404:
            raise
        return render_template("public/lookup.html", values={"tracking_number": number},
                               message=exc.message), 404
    return render_template("public/status.html", view=view, query_code=code,
                           satisfaction=status.SATISFACTION)


@limits.lookup
def document():
    number, code = _credentials()
    return send_pdf(status.download(number, code, request.form.get("document_id")))


def _after(action):
    """Run a petitioner's action, then show the status again with what happened."""
    number, code = _credentials()
    try:
        action(number, code)
    except ServiceError as exc:
        if exc.status == 404:
            return render_template("public/lookup.html", values={"tracking_number": number},
                                   message=exc.message), 404
        view = status.status(number, code)
        return render_template("public/status.html", view=view, query_code=code, satisfaction=status.SATISFACTION,
                               message=exc.message, errors=exc.fields, values=request.form), exc.status
    view = status.status(number, code)
    return render_template("public/status.html", view=view, query_code=code, satisfaction=status.SATISFACTION,
                           done=True)


@limits.lookup
def evaluate():
    return _after(lambda number, code: status.evaluate(number, code, request.form.get("satisfaction"),
                                                       request.form.get("satisfaction_comment")))


@limits.lookup
def request_review():
    def action(number, code):
        review = status.request_review(number, code, request.form.get("request_reasons"))
        flash(f"复查请求已提交，编号 {review.tracking_number}，可用同一查询码查询办理进度", "info")
    return _after(action)
