"""Configuration: defaults for the embedded demo, overridden by the environment.

Secrets never live in the repository: ``SECRET_KEY`` comes from the
environment, or from ``instance/secret_key`` generated on first start.
"""
import os
import secrets
from pathlib import Path

INSTANCE = Path(__file__).resolve().parent.parent / "instance"

DEFAULT_AGENCY = {
    "code": "DEMO",
    "name": "示范市人民政府办公室",
    "abbreviation": "示政办",
    "address": "示范市人民路1号",
    "postcode": "100000",
    "phone": "010-12345678",
    "reconsideration_body": "示范市人民政府",
    "court": "示范市中级人民法院",
}


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _max_attachment_bytes() -> int:
    return int(os.environ.get("MAX_ATTACHMENT_BYTES", str(20 * 1024 * 1024)))


def default_config() -> dict:
    INSTANCE.mkdir(exist_ok=True)
    return {
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'banjian.db'}"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "AGENCY": DEFAULT_AGENCY,
        "TIMEZONE": "Asia/Shanghai",
        "BPMN_DIR": str(Path(__file__).resolve().parent.parent / "bpmn"),
        # Reminders go out this many working days before a statutory deadline.
        "REMINDER_WORKING_DAYS": int(os.environ.get("REMINDER_WORKING_DAYS", "3")),
        # E-mail is optional: without MAIL_SERVER only in-app notifications are made.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "banjian@localhost"),
        # Attachments: the largest file accepted; a request may carry a little more (the form around it).
        "MAX_ATTACHMENT_BYTES": _max_attachment_bytes(),
        "MAX_CONTENT_LENGTH": _max_attachment_bytes() + 1024 * 1024,
        # Rate limits (Flask-Limiter): counters in memory by default; set e.g. redis://127.0.0.1:6379/0 to share
        # them between processes and machines.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # The public side (app/public): served alone when PUBLIC_ONLY is set, so an agency can put it on the
        # internet and keep the officers' side on its intranet.
        "PUBLIC_ONLY": os.environ.get("PUBLIC_ONLY", "").lower() in ("1", "true", "yes"),
        "PUBLIC_FILING_LIMIT": os.environ.get("PUBLIC_FILING_LIMIT", "10 per hour"),
        "PUBLIC_LOOKUP_LIMIT": os.environ.get("PUBLIC_LOOKUP_LIMIT", "30 per minute;100 per hour"),
        # Anti-abuse on the filing forms: a form submitted sooner than this after it was served is refused
        # (people take longer than a script); the signed form token expires after PUBLIC_FORM_MAX_AGE seconds.
        "PUBLIC_FORM_MIN_SECONDS": int(os.environ.get("PUBLIC_FORM_MIN_SECONDS", "5")),
        "PUBLIC_FORM_MAX_AGE": int(os.environ.get("PUBLIC_FORM_MAX_AGE", str(4 * 3600))),
        # GIO 31: an online filing is received the day receipt is confirmed; on a rest day that is the next
        # working day. Set False where the agency confirms receipt on rest days too.
        "PUBLIC_REST_DAY_NEXT_WORKING_DAY": os.environ.get("PUBLIC_REST_DAY_NEXT_WORKING_DAY", "true").lower()
        not in ("0", "false", "no"),
    }
