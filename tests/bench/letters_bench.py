"""(b) One reply letter: the app's ``render_letter('reply', ...)`` vs bare WeasyPrint on the very same HTML.

The app path includes building the letter context and rendering the Jinja template; the bare path gets the
finished HTML string (``letter_html``, computed once) and calls ``weasyprint.HTML(string=...).write_pdf()``
with default settings.  Both are warmed up, then alternated, with the order flipped every round.
"""
from __future__ import annotations

import datetime
import time

import weasyprint

from app.config import DEFAULT_AGENCY
from app.disclosure.letters import letter_html, render_letter
from tests.helpers import REGISTRATION

WARMUP = 2

LETTER = {
    "case_data": {**REGISTRATION, "handling_action": "draft_reply", "reply_type": "disclosed",
                  "reply_text": "所需信息见附件。\n如对本答复有疑问，请与我办联系。",
                  "review_result": "cleared", "approval": "approve"},
    "tracking_number": "YSQ-2026-000123",
    "document_number": "示政办依复〔2026〕12号",
    "issued_on": datetime.date(2026, 3, 20),
    "agency": DEFAULT_AGENCY,
}


def app_letter() -> bytes:
    return render_letter("reply", **LETTER)


def bare_letter(html: str) -> bytes:
    return weasyprint.HTML(string=html).write_pdf()


def _timed(fn, *args) -> float:
    started = time.perf_counter()
    pdf = fn(*args)
    seconds = time.perf_counter() - started
    assert pdf.startswith(b"%PDF"), "not a PDF"
    return seconds


def run(rounds: int) -> dict:
    """{"app": [seconds], "bare": [seconds], "html": [seconds for letter_html alone]}."""
    html = letter_html("reply", **LETTER)
    for _ in range(WARMUP):
        app_letter()
        bare_letter(html)
    samples = {"app": [], "bare": [], "html": []}
    for r in range(rounds):
        pair = [("app", app_letter, ()), ("bare", bare_letter, (html,))]
        for label, fn, args in (pair if r % 2 == 0 else pair[::-1]):
            samples[label].append(_timed(fn, *args))
        started = time.perf_counter()
        letter_html("reply", **LETTER)
        samples["html"].append(time.perf_counter() - started)
    return samples
