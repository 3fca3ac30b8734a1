"""Rate limits of the public side, per client address (Flask-Limiter, the shared :data:`app.extensions.limiter`).

One budget for every lookup — pages and API, status and downloads alike — so switching door does not buy more
guesses; one for filings. Their sizes are settings (``PUBLIC_LOOKUP_LIMIT``, ``PUBLIC_FILING_LIMIT``); the
counters live in ``RATELIMIT_STORAGE_URI`` (memory, or Redis shared by all processes). A client over its
budget gets 429.
"""
from flask import current_app

from ..extensions import limiter

lookup = limiter.shared_limit(lambda: current_app.config["PUBLIC_LOOKUP_LIMIT"], scope="public-lookup",
                              methods=["GET", "POST"])
filing = limiter.shared_limit(lambda: current_app.config["PUBLIC_FILING_LIMIT"], scope="public-filing",
                              methods=["POST"])
