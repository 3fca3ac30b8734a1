"""Configuration: defaults for the embedded demo, overridden by the environment.

Secrets never live in the repository: ``SECRET_KEY`` (sessions, CSRF) and ``HISTORY_KEY`` (the keyed hash
of the case history, kept outside the database so that whoever can write the database cannot re-chain it)
come from the environment, or from ``instance/secret_key`` / ``instance/history_key`` generated on first
start.  Both must be the same on every machine that serves the application.
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
    # FY 24: the people's government at the same level. No "court": letters then say "依法向人民法院提起行政诉讼"
    # (first instance is normally a basic court, SS 14); an agency that knows its court sets it here.
    "reconsideration_body": "示范市人民政府",
}


def ensure_instance() -> Path:
    """The instance folder, created readable by its owner only (it holds the keys and the SQLite file)."""
    INSTANCE.mkdir(mode=0o700, exist_ok=True)
    return INSTANCE


def _key_file(name: str) -> str:
    """Read ``instance/<name>``, creating it once with a random key.

    Atomic: the key is written to a private temporary file (0600 from its creation) and linked into place;
    ``link`` fails if another process won the race, and then everyone reads the winner's key — so processes
    starting together never end up with different keys.
    """
    path = ensure_instance() / name
    if not path.exists():
        tmp = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def _secret_key() -> str:
    return os.environ.get("SECRET_KEY") or _key_file("secret_key")


def _history_key() -> str:
    return os.environ.get("HISTORY_KEY") or _key_file("history_key")


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def _agency() -> dict:
    """The issuing agency; ``AGENCY_COURT`` names the court letters send applicants to (default: none named)."""
    agency = dict(DEFAULT_AGENCY)
    if os.environ.get("AGENCY_COURT"):
        agency["court"] = os.environ["AGENCY_COURT"]
    return agency


def _max_attachment_bytes() -> int:
    return int(os.environ.get("MAX_ATTACHMENT_BYTES", str(20 * 1024 * 1024)))


def default_config() -> dict:
    ensure_instance()
    return {
        "SECRET_KEY": _secret_key(),
        "HISTORY_KEY": _history_key(),
        # "production" refuses demo data (seed-demo).
        "BANJIAN_ENV": os.environ.get("BANJIAN_ENV", "development"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'banjian.db'}"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # A form's CSRF token expires (seconds); a page left open longer must be reloaded.
        "WTF_CSRF_TIME_LIMIT": int(os.environ.get("CSRF_TIME_LIMIT", str(2 * 3600))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Behind TLS set SESSION_COOKIE_SECURE=1: the session cookie is then never sent over plain HTTP.
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        # A session ends after this many minutes without a request, and after this many hours in any case.
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_MAX_HOURS": int(os.environ.get("SESSION_MAX_HOURS", "12")),
        # Password guessing: after LOGIN_MAX_FAILURES wrong passwords for one username the account is locked
        # for LOGIN_LOCK_MINUTES (an administrator can unlock it); one client address may try the login
        # form LOGIN_RATE_LIMIT times (Flask-Limiter syntax).
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_MINUTES": int(os.environ.get("LOGIN_LOCK_MINUTES", "15")),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "30 per 10 minutes"),
        # Flask-Limiter's counters: in memory per process by default; share them with redis://host:6379/n.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # API tokens expire after this many days unless another expiry is chosen.
        "API_TOKEN_DAYS": int(os.environ.get("API_TOKEN_DAYS", "90")),
        "AGENCY": _agency(),
        "TIMEZONE": "Asia/Shanghai",
        "BPMN_DIR": str(Path(__file__).resolve().parent.parent / "bpmn"),
        # Reminders go out this many working days before a statutory deadline.
        "REMINDER_WORKING_DAYS": int(os.environ.get("REMINDER_WORKING_DAYS", "3")),
        # GIO 30 asks for a reasonable correction deadline; practice: at least this many working days after the
        # correction notice (DOMAIN.md 2.2).
        "CORRECTION_MIN_WORKING_DAYS": int(os.environ.get("CORRECTION_MIN_WORKING_DAYS", "10")),
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
        # Letters: the agency's own licensed font files (TrueType/OpenType), e.g. 方正仿宋_GBK for the body and
        # 方正小标宋简体 for titles; unset, the body is FandolFang and the title Noto Serif CJK SC Bold.
        "LETTER_BODY_FONT": os.environ.get("LETTER_BODY_FONT"),
        "LETTER_TITLE_FONT": os.environ.get("LETTER_TITLE_FONT"),
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
