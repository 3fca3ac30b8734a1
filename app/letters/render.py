"""Render letters: Jinja HTML → PDF with WeasyPrint, without a Flask app context.

Two rules shape this module:

* Safety. Letters carry text typed by applicants and officers. Jinja autoescaping keeps it text, and the
  URL fetcher serves nothing but files under ``app/static/`` and the configured letter fonts (see
  :mod:`app.letters.fonts`): no network, no other file, no ``data:`` URL. A refused resource raises
  :class:`ResourceRefused`; WeasyPrint logs it and renders without the resource.
* Speed. The costly parts of a render are layout and font subsetting, which WeasyPrint must do anyway; what
  we add must stay small. So the Jinja environment, the stylesheet text and the FontConfiguration are built
  once per process and reused. The stylesheet is inlined into the HTML (a ``<style>`` element) so that
  :func:`render_html` returns a self-contained document: a benchmark can feed the very same string to bare
  WeasyPrint and compare like with like.
"""
from __future__ import annotations

import datetime
import functools
import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
import weasyprint
from markupsafe import Markup
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.letters import fonts as letter_fonts
from app.letters.punctuation import in_sentence

APP_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = APP_DIR / "static"
# The shared letter layout, then each process's domain package, which keeps its letters under
# <package>/templates/<package>/letters/ (e.g. app/disclosure/templates/disclosure/letters/).
TEMPLATE_DIRS = (APP_DIR / "letters" / "templates",
                 *sorted(path.parent.parent for path in APP_DIR.glob("*/templates/*/letters") if path.is_dir()
                         and path.parent.name == path.parent.parent.parent.name))
LETTER_CSS = STATIC_DIR / "letters" / "letter.css"

log = logging.getLogger(__name__)


class ResourceRefused(ValueError):
    """A letter referred to something other than a file under ``app/static/``."""


def static_path(url: str) -> Path:
    """The file under ``app/static/`` that ``url`` names; raise :class:`ResourceRefused` for anything else.

    Only ``file:`` URLs without a host (or with ``localhost``) qualify. The path is resolved (``..`` and
    symlinks included) before the check, so neither can lead outside the static folder.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise ResourceRefused(f"letters may only use the app's static files, not {url!r}")
    static_root = STATIC_DIR.resolve()
    path = Path(url2pathname(parts.path)).resolve()  # url2pathname also percent-decodes
    if not path.is_relative_to(static_root) or not path.is_file():
        raise ResourceRefused(f"letters may only use the app's static files, not {url!r}")
    return path


def font_path(url: str) -> Path:
    """The configured letter font file that ``url`` names; raise :class:`ResourceRefused` for anything else."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "file" and parts.netloc in ("", "localhost"):
        path = Path(url2pathname(parts.path)).resolve()
        if path in _fonts().allowed_files():
            return path
    raise ResourceRefused(f"letters may only use the app's static files, not {url!r}")


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint 70 URL fetcher that serves only ``app/static/`` (see :func:`static_path`) and the
    configured letter font files (see :func:`font_path`)."""

    def fetch(self, url, headers=None):
        try:
            try:
                path = static_path(url)
            except ResourceRefused:
                path = font_path(url)
        except ResourceRefused:
            log.warning("letter resource refused: %s", url)
            raise
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime_type})


_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader([str(directory) for directory in TEMPLATE_DIRS]),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def chinese_date(value: datetime.date) -> str:
    """A date as official documents write it: 2026年11月22日 (Arabic numerals, no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"


_environment.filters["cn_date"] = chinese_date
# "…施工合同。" quoted in a sentence: "申请获取“…施工合同”。", never "…施工合同。”。" (see punctuation.py).
_environment.filters["in_sentence"] = in_sentence
# Relative URLs in a letter resolve inside the static folder (and nowhere else, see the fetcher).
_BASE_URL = STATIC_DIR.as_uri() + "/"
_fetcher = StaticFilesFetcher()
# A Pango font map is not documented as thread-safe, and the font configuration below is shared: one
# render at a time per process. Renders are CPU-bound anyway; scale with processes.
_render_lock = threading.Lock()


_configured_fonts: letter_fonts.LetterFonts | None = None


def configure_fonts(fonts: letter_fonts.LetterFonts | None) -> None:
    """Use ``fonts`` for every letter from now on (``None``: back to the defaults of
    :func:`app.letters.fonts.from_settings`). Called by ``create_app`` with the app's settings."""
    global _configured_fonts
    with _render_lock:
        if fonts == _configured_fonts:
            return  # keep the loaded fonts: every test builds an app, most with the same settings
        _configured_fonts = fonts
        # A font configuration remembers the @font-face files it loaded under their family names.
        _font_config.cache_clear()
        _letter_css.cache_clear()


def _fonts() -> letter_fonts.LetterFonts:
    global _configured_fonts
    if _configured_fonts is None:
        _configured_fonts = letter_fonts.from_settings()
    return _configured_fonts


@functools.cache
def _font_config() -> FontConfiguration:
    # One per process: its Pango font map keeps the CJK fonts loaded between renders, which is why a letter
    # renders faster here than through bare WeasyPrint (which builds a new configuration per call).
    return FontConfiguration()


@functools.cache
def _letter_css() -> Markup:
    # Our own file and font paths, trusted: Markup stops autoescaping from mangling the quotes in font names.
    # The fonts come last so that their font-family declarations win over the stylesheet's defaults.
    return Markup(LETTER_CSS.read_text(encoding="utf-8") + "\n" + _fonts().css())


def render_html(template_name: str, context: dict) -> str:
    """The letter as a self-contained HTML document (stylesheet inlined). Values in ``context`` are escaped."""
    template = _environment.get_template(template_name)
    return template.render({**context, "letter_css": _letter_css()})


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` and return the PDF bytes; only ``app/static/`` files can be loaded."""
    with _render_lock:
        document = weasyprint.HTML(string=html, base_url=_BASE_URL, url_fetcher=_fetcher)
        return document.write_pdf(font_config=_font_config())


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render the Jinja template ``template_name`` with ``context`` to PDF bytes."""
    return html_to_pdf(render_html(template_name, context))
