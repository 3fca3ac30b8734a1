"""Headers every response carries.

- Content-Security-Policy with ``frame-ancestors 'none'`` (and X-Frame-Options for older browsers): scripts
  and styles only from this server (no inline script or style attribute in the templates; bpmn-js sets its
  styles through the DOM, which the policy allows — checked in Chromium by tests/ui/test_modeler_flow.py).
  A response that set its own policy (attachment downloads: ``sandbox``) keeps it.
- ``X-Content-Type-Options: nosniff`` on everything, documents included; a referrer never leaves the site.
- One charset: ``mimetype="text/csv; charset=utf-8"`` would get Flask's second ``; charset=utf-8``.
No version banner: that header is the server's, not the application's.  gunicorn (``make run``, production)
sends only "gunicorn"; Werkzeug's development server (``flask run``) always announces its own and Python's
version, so it is for development only.
"""
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")

# The one kind of response a page of this site may frame: the draft letter on a deciding task's page. A PDF
# runs no script of ours; the viewer needs nothing but to be framed by the site itself.
FRAMED_BY_SITE_CSP = "frame-ancestors 'self'"


def _one_charset(content_type: str) -> str:
    parts = [p.strip() for p in content_type.split(";")]
    seen, kept = set(), []
    for part in parts:
        key = part.lower().replace(" ", "")
        if key in seen:
            continue
        seen.add(key)
        kept.append(part)
    return "; ".join(kept)


def register(app) -> None:
    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault("Referrer-Policy", "same-origin")
        if headers.get("Content-Type", "").lower().count("charset") > 1:
            headers["Content-Type"] = _one_charset(headers["Content-Type"])
        return response
