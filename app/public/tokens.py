"""Query codes and the signed filing-form token: what keeps an internet-facing form from being abused.

- A query code is 16 characters from 31 unambiguous ones (no 0/O, 1/I/L): about 79 bits, shown to the applicant
  once and stored only as a keyed hash (HMAC-SHA256 with the app's secret), so neither a database reader nor a
  guesser learns it. People may type it in lower case, with spaces or dashes.
- A filing form carries a token signed with the secret key and its time of issue (itsdangerous): a form sent
  back sooner than ``PUBLIC_FORM_MIN_SECONDS`` (a script, not a person) or later than ``PUBLIC_FORM_MAX_AGE``,
  or whose token was forged, is refused. No outside service, no JavaScript, no CAPTCHA.
"""
import hashlib
import hmac
import secrets
import time

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def new_query_code() -> str:
    """A fresh query code, grouped by four for reading aloud: ``ABCD-EFGH-JKMN-PQRS``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(code: str | None) -> str:
    return "".join(c for c in str(code or "").upper() if c.isalnum())


def code_hash(code: str | None) -> str:
    """The keyed hash stored for a query code (normalized first, so the grouping does not matter)."""
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, normalize_code(code).encode("utf-8"), hashlib.sha256).hexdigest()


def code_matches(code: str | None, stored_hash: str | None) -> bool:
    """Constant-time comparison; a missing stored hash (unknown case) costs the same work and fails."""
    candidate = code_hash(code)
    return hmac.compare_digest(candidate, stored_hash or "0" * 64) and stored_hash is not None


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"banjian-public-{purpose}")


def form_token(form: str) -> str:
    """The token a filing form of kind ``form`` carries (issued now)."""
    return _serializer("form").dumps({"form": form, "nonce": secrets.token_hex(8)})


def check_form_token(token: str | None, form: str) -> str | None:
    """``None`` when the token is genuine, for this form, and old enough; else what to tell the person."""
    config = current_app.config
    try:
        body, issued = _serializer("form").loads(token or "", max_age=config["PUBLIC_FORM_MAX_AGE"],
                                                 return_timestamp=True)
    except SignatureExpired:
        return "表单已过期，请重新打开申请页面填写（您填写的内容已保留）"
    except BadSignature:
        return "表单来源无法确认，请从本网站的申请页面提交"
    if not isinstance(body, dict) or body.get("form") != form:
        return "表单来源无法确认，请从本网站的申请页面提交"
    if time.time() - issued.timestamp() < config["PUBLIC_FORM_MIN_SECONDS"]:
        return "提交过快，请核对填写的内容后再提交"
    return None


def signed_link(purpose: str, value) -> str:
    """A token for a link that works for a while without the query code (e.g. the receipt just issued)."""
    return _serializer(purpose).dumps(value)


def read_link(purpose: str, token: str, max_age: int):
    """The value of :func:`signed_link`, or ``None`` when forged or older than ``max_age`` seconds."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:
        return None
