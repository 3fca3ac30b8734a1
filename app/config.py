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
        # Whether the applicant's fee payment period (20 working days) pauses the reply clock: the national
        # text (国办函〔2020〕109号) does not settle it; paused by default (DOMAIN.md 2.6).
        "FEE_PAUSES_REPLY_CLOCK": os.environ.get("FEE_PAUSES_REPLY_CLOCK", "1") not in ("0", "false", "no"),
        # E-mail is optional: without MAIL_SERVER only in-app notifications are made.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "banjian@localhost"),
        # Attachments: the largest file accepted; a request may carry a little more (the form around it).
        "MAX_ATTACHMENT_BYTES": _max_attachment_bytes(),
        "MAX_CONTENT_LENGTH": _max_attachment_bytes() + 1024 * 1024,
    }
