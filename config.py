"""Configuration classes, read from the environment with safe embedded defaults."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_PATH = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))
DEFAULT_SECRET = "dev-only-not-secret"  # noqa: S105 - refused in production by check_production


def env_str(name: str, default: str = "") -> str:
    """Return the environment variable as a stripped string."""
    return os.environ.get(name, default).strip()


def env_int(name: str, default: int) -> int:
    """Return the environment variable as an int, failing loudly on garbage."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number, got {raw!r}") from exc


def env_bool(name: str, default: bool) -> bool:
    """Return the environment variable as a bool (1/true/yes/on)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated environment variable as a list."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_seconds_by_name(name: str) -> dict[str, int]:
    """Return "job=seconds,..." from the environment as a dict, failing loudly on garbage."""
    result = {}
    for item in env_list(name):
        key, _, value = item.partition("=")
        if not key.strip() or not value.strip().isdigit():
            raise RuntimeError(f"{name} must look like 'poll_imap=900,send_outbox=300', "
                               f"got {item!r}")
        result[key.strip()] = int(value)
    return result


def default_database_url() -> str:
    """Return the embedded SQLite database in the instance folder."""
    return f"sqlite:///{INSTANCE_PATH / 'pengaduan.sqlite3'}"


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = env_str("DATABASE_URL") or default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = env_int("SQLITE_BUSY_TIMEOUT_MS", 30000)
    INSTANCE_DIR = str(INSTANCE_PATH)
    UPLOAD_DIR = env_str("UPLOAD_DIR") or str(INSTANCE_PATH / "uploads")
    MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    # Files in UPLOAD_DIR without an attachment row are deleted once older than this.
    ATTACHMENT_ORPHAN_GRACE_HOURS = env_int("ATTACHMENT_ORPHAN_GRACE_HOURS", 24)
    MAX_UPLOADS_PER_FORM = env_int("MAX_UPLOADS_PER_FORM", 5)
    # The request limit is above the per-file limit so an oversized file reaches the
    # form and is refused with a message instead of a bare 413 page.
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 64 * 1024 * 1024)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None

    BABEL_DEFAULT_LOCALE = env_str("DEFAULT_LOCALE", "id")
    BABEL_DEFAULT_TIMEZONE = env_str("TIMEZONE", "Asia/Jakarta")
    LANGUAGES = ("id", "en")

    REGISTER_PREFIX = env_str("REGISTER_PREFIX", "ADU")
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a secret
    LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
    PAGE_SIZE = env_int("PAGE_SIZE", 50)

    # "database://" keeps the counters in the application's database, so that limits hold
    # across gunicorn workers (see complaints/core/ratelimit.py); "redis://…" works too.
    RATELIMIT_STORAGE_URI = env_str("RATELIMIT_STORAGE_URI", "database://")
    RATELIMIT_HEADERS_ENABLED = True
    # The public portal: limits per client IP and per contact (email/phone).
    PUBLIC_SUBMIT_LIMIT_IP = env_str("PUBLIC_SUBMIT_LIMIT_IP", "10 per hour")
    PUBLIC_SUBMIT_LIMIT_CONTACT = env_str("PUBLIC_SUBMIT_LIMIT_CONTACT", "5 per hour")
    PUBLIC_TRACK_LIMIT_IP = env_str("PUBLIC_TRACK_LIMIT_IP", "20 per 10 minutes")
    PUBLIC_TRACK_LIMIT_NUMBER = env_str("PUBLIC_TRACK_LIMIT_NUMBER", "10 per 10 minutes")
    PUBLIC_MESSAGE_LIMIT = env_str("PUBLIC_MESSAGE_LIMIT", "10 per hour")
    PUBLIC_UPLOAD_HOLD_HOURS = env_int("PUBLIC_UPLOAD_HOLD_HOURS", 6)
    PUBLIC_RATING_CHANGE_DAYS = env_int("PUBLIC_RATING_CHANGE_DAYS", 7)

    # The office (defaults from the service standards in the seeds).
    OFFICE_NAME = env_str(
        "OFFICE_NAME", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Pekanbaru"
    )
    OFFICE_SHORT_NAME = env_str("OFFICE_SHORT_NAME", "DPMPTSP Kota Pekanbaru")
    OFFICE_ADDRESS = env_str("OFFICE_ADDRESS", "Jalan Jenderal Sudirman No. 464, Pekanbaru")
    OFFICE_EMAIL = env_str("OFFICE_EMAIL", "dpmptsppekanbaru@gmail.com")
    OFFICE_PHONE = env_str("OFFICE_PHONE", "(0761) 28262")
    OFFICE_FAX = env_str("OFFICE_FAX", "(0761) 42003")
    OFFICE_SMS = env_str("OFFICE_SMS", "08117515133")
    OFFICE_HOURS = env_str("OFFICE_HOURS", "Senin–Jumat 07.30–16.00 WIB")
    OFFICE_HOURS_EN = env_str("OFFICE_HOURS_EN", "Monday–Friday 07:30–16:00 WIB")
    # The first line of the letterhead (kop surat) of printed documents.
    OFFICE_GOVERNMENT = env_str("OFFICE_GOVERNMENT", "Pemerintah Kota Pekanbaru")
    # The place written above the Sekretaris' signature on the printed register.
    REGISTER_SIGN_CITY = env_str("REGISTER_SIGN_CITY", "Pekanbaru")
    # Largest selection exported as PDF at once (a bigger one is refused: use filters or XLSX).
    # Laying out takes about 15-20 s per 1000 rows, so the default fits a 30 s worker timeout.
    REGISTER_PDF_MAX_ROWS = env_int("REGISTER_PDF_MAX_ROWS", 1000)
    PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    # Outgoing messages: with nothing configured they are written to a local log.
    MAIL_SERVER = env_str("MAIL_SERVER")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = env_str("MAIL_USERNAME") or None
    MAIL_PASSWORD = env_str("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = env_str("MAIL_DEFAULT_SENDER", OFFICE_EMAIL)
    OUTBOX_LOG = env_str("OUTBOX_LOG") or str(INSTANCE_PATH / "outbox.log")
    MAIL_TIMEOUT_SECONDS = env_int("MAIL_TIMEOUT_SECONDS", 30)
    # Our Message-IDs end in this domain (default: the domain of MAIL_DEFAULT_SENDER).
    MAIL_MESSAGE_ID_DOMAIN = env_str("MAIL_MESSAGE_ID_DOMAIN")
    # Where the public tracking page lives, for the link in every message.
    TRACKING_PATH = env_str("TRACKING_PATH", "/lacak")

    # The outbox worker (flask outbox send, or the scheduler's send_outbox job).
    OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 50)
    OUTBOX_MAX_BATCHES = env_int("OUTBOX_MAX_BATCHES", 20)
    OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)
    OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
    OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 6 * 3600)

    # Incoming email: an IMAP mailbox polled by the scheduler, or `flask mail ingest`.
    MAIL_IMAP_HOST = env_str("MAIL_IMAP_HOST")
    MAIL_IMAP_PORT = env_int("MAIL_IMAP_PORT", 993)
    MAIL_IMAP_SSL = env_bool("MAIL_IMAP_SSL", True)
    MAIL_IMAP_USER = env_str("MAIL_IMAP_USER")
    MAIL_IMAP_PASSWORD = env_str("MAIL_IMAP_PASSWORD")
    MAIL_IMAP_FOLDER = env_str("MAIL_IMAP_FOLDER", "INBOX")
    # When set, handled messages are moved there; otherwise they are flagged \Seen.
    MAIL_IMAP_DONE_FOLDER = env_str("MAIL_IMAP_DONE_FOLDER")
    MAIL_IMAP_BATCH = env_int("MAIL_IMAP_BATCH", 50)
    # The mailbox name in idempotency keys: the same for the poller and the pipe.
    MAIL_INBOX_NAME = env_str("MAIL_INBOX_NAME") or OFFICE_EMAIL
    # Our own addresses: mail from them is a loop and is never acknowledged.
    MAIL_OWN_ADDRESSES = env_list("MAIL_OWN_ADDRESSES")
    MAIL_MAX_MESSAGE_BYTES = env_int("MAIL_MAX_MESSAGE_BYTES", 25 * 1024 * 1024)
    MAIL_MAX_ATTACHMENTS = env_int("MAIL_MAX_ATTACHMENTS", 10)
    MAIL_ACK_PER_SENDER_PER_DAY = env_int("MAIL_ACK_PER_SENDER_PER_DAY", 3)
    # Raw incoming messages are kept here (default: INSTANCE_DIR/mail).
    MAIL_RAW_DIR = env_str("MAIL_RAW_DIR")

    TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
    TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
    TWILIO_SMS_FROM = env_str("TWILIO_SMS_FROM")
    TWILIO_WHATSAPP_FROM = env_str("TWILIO_WHATSAPP_FROM")
    # Content SID (HX…) of the approved WhatsApp template sent outside the 24-hour window.
    TWILIO_WHATSAPP_TEMPLATE_SID = env_str("TWILIO_WHATSAPP_TEMPLATE_SID")
    # Only for a regional endpoint or a local stand-in of the REST API (tests); empty: Twilio.
    TWILIO_API_BASE_URL = env_str("TWILIO_API_BASE_URL")
    TWILIO_TIMEOUT_SECONDS = env_int("TWILIO_TIMEOUT_SECONDS", 10)
    # No SMS/WhatsApp at night: held until the end of the quiet hours (office time, WIB).
    SMS_QUIET_START = env_str("SMS_QUIET_START", "21:00")
    SMS_QUIET_END = env_str("SMS_QUIET_END", "07:00")
    SMS_ACK_DAILY_CAP = env_int("SMS_ACK_DAILY_CAP", 3)
    SMS_NEW_KEYWORDS = env_list("SMS_NEW_KEYWORDS", "BARU,NEW")

    # Reply letters (nomor surat keluar, kop surat, who signs).
    LETTER_NUMBER_FORMAT = env_str("LETTER_NUMBER_FORMAT", "{seq:03d}/DPMPTSP/{roman_month}/{year}")
    LETTER_CITY = env_str("LETTER_CITY", "Pekanbaru")
    LETTER_RINGAN_SIGNER = env_str("LETTER_RINGAN_SIGNER", "kabid")  # kabid or sekretaris

    SECURITY_HSTS_SECONDS = env_int("SECURITY_HSTS_SECONDS", 31536000)
    # Number of reverse proxies in front (nginx: 1); 0 trusts no X-Forwarded-* header.
    PROXY_FIX_HOPS = env_int("PROXY_FIX_HOPS", 0)

    # Working-day calendar and deadlines (README "Deadlines and the working-day calendar").
    OFFICE_OPENS = env_str("OFFICE_OPENS", "07:30")  # office time (TIMEZONE)
    OFFICE_CLOSES = env_str("OFFICE_CLOSES", "16:00")
    WORKDAYS_CUTI_BERSAMA_OFF = env_bool("WORKDAYS_CUTI_BERSAMA_OFF", True)
    DEADLINE_FIRST_RESPONSE_DAYS = env_int("DEADLINE_FIRST_RESPONSE_DAYS", 3)  # SP4N-LAPOR!
    DEADLINE_RINGAN_DAYS = env_int("DEADLINE_RINGAN_DAYS", 3)
    DEADLINE_SEDANG_DAYS = env_int("DEADLINE_SEDANG_DAYS", 7)
    DEADLINE_BERAT_DAYS = env_int("DEADLINE_BERAT_DAYS", 15)
    ESCALATION_REMIND_BEFORE_HOURS = env_int("ESCALATION_REMIND_BEFORE_HOURS", 8)  # office hours
    # Workflow: reopening, duplicates at triage, information requests.
    WORKFLOW_REOPEN_DAYS = env_int("WORKFLOW_REOPEN_DAYS", 30)
    WORKFLOW_DUPLICATE_DAYS = env_int("WORKFLOW_DUPLICATE_DAYS", 30)
    WORKFLOW_DUPLICATE_CANDIDATES = env_int("WORKFLOW_DUPLICATE_CANDIDATES", 300)
    WORKFLOW_PAUSE_ON_INFO_REQUEST = env_bool("WORKFLOW_PAUSE_ON_INFO_REQUEST", True)

    # The scheduler: a running job refreshes its heartbeat; a run whose heartbeat is older
    # than the limit (or whose process on this host is gone) is abandoned and re-run.
    SCHEDULER_HEARTBEAT_SECONDS = env_int("SCHEDULER_HEARTBEAT_SECONDS", 30)
    SCHEDULER_STALE_AFTER_SECONDS = env_int("SCHEDULER_STALE_AFTER_SECONDS", 300)
    SCHEDULER_STALE_AFTER = env_seconds_by_name("SCHEDULER_STALE_AFTER")  # per job
    SCHEDULER_RECOVER_SECONDS = env_int("SCHEDULER_RECOVER_SECONDS", 60)
    # A run longer than its maximum (a hung call) is abandoned and the scheduler exits to
    # be restarted; jobs that run long have their own maximum (0: no maximum).
    SCHEDULER_MAX_RUN_SECONDS = env_int("SCHEDULER_MAX_RUN_SECONDS", 1800)
    SCHEDULER_MAX_RUN = env_seconds_by_name("SCHEDULER_MAX_RUN")  # per job


class DevelopmentConfig(Config):
    """The embedded default used by `make run`."""


class TestingConfig(Config):
    """Settings for the test suite: a throwaway database, no CSRF unless a test asks."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast hashing for tests


class ProductionConfig(Config):
    """Settings for a real deployment: secrets must come from the environment."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def check_production(config: dict) -> list[str]:
    """Return the problems that forbid starting in production (empty when fine)."""
    problems = []
    secret = config.get("SECRET_KEY") or ""
    if secret in {"", DEFAULT_SECRET} or len(secret) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not env_str("DATABASE_URL"):
        problems.append("DATABASE_URL must be set (PostgreSQL is recommended)")
    if config.get("TWILIO_ACCOUNT_SID") and not config.get("TWILIO_AUTH_TOKEN"):
        problems.append("TWILIO_AUTH_TOKEN must be set when TWILIO_ACCOUNT_SID is")
    if config.get("MAIL_USERNAME") and not config.get("MAIL_PASSWORD"):
        problems.append("MAIL_PASSWORD must be set when MAIL_USERNAME is")
    return problems
