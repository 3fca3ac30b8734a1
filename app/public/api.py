"""The public JSON API (no login): file online, look a case up. Errors are ``{"error": …}`` (422 with
``fields``, 404 alike for a wrong code and an unknown number, 429 when rate-limited)."""
import io

from flask import jsonify, request, send_file, url_for

from ..services.errors import Invalid
from . import filing, limits, status
from .openapi import SPEC


def openapi():
    return jsonify(SPEC)


def _file(kind):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("请求体必须是 JSON 对象", {"body": "请求体必须是 JSON 对象"})
    filed = filing.file(kind, body)
    return jsonify({
        "tracking_number": filed.case.tracking_number, "query_code": filed.query_code,
        "received_on": filed.case.data["received_on"],
        "receipt_document_url": url_for("public_api.receipt", token=status.receipt_link_token(filed.receipt)),
    }), 201


@limits.filing
def file_disclosure():
    return _file(filing.DISCLOSURE)


@limits.filing
def file_petition():
    return _file(filing.PETITION)


def _code():
    return request.args.get("query_code") or request.headers.get("X-Query-Code")


@limits.lookup
def case_status(tracking_number):
    view = status.status(tracking_number, _code())
    body = view.as_dict()
    return jsonify({
        "tracking_number": body["tracking_number"], "process": body["process"],
        "process_name": body["process_name"], "stage": body["stage"], "status": body["status"],
        "received_on": body["received_on"],
        "deadlines": [{"name": d["name"], "due_date": d["due_date"].isoformat(), "provisional": d["provisional"],
                       "state": d["state"], "explanation": d["explanation"]} for d in body["deadlines"]],
        "documents": [{"title": d["title"], "issued_on": d["issued_on"].isoformat(),
                       "delivered_online": d["delivered_online"],
                       "url": url_for("public_api.case_document", tracking_number=view.tracking_number,
                                      document_id=d["id"])} for d in body["documents"]],
        "may_evaluate": body["may_evaluate"], "may_request_review": body["may_request_review"],
    })


def send_pdf(doc):
    response = send_file(io.BytesIO(doc.content), mimetype=doc.mime_type, as_attachment=True,
                         download_name=doc.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@limits.lookup
def case_document(tracking_number, document_id):
    return send_pdf(status.download(tracking_number, _code(), document_id))


@limits.lookup
def receipt(token):
    return send_pdf(status.receipt(token))
