"""Letters: Jinja HTML rendered to PDF by WeasyPrint (see :mod:`app.letters.render`)."""
from app.letters.render import ResourceRefused, html_to_pdf, render_html, render_pdf

__all__ = ["ResourceRefused", "html_to_pdf", "render_html", "render_pdf"]
