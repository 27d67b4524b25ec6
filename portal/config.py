"""Settings, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = PROJECT_ROOT / "instance" / "portal.sqlite3"
DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"  # noqa: S105
# No pooled database connection is used after this long: a firewall or proxy between
# the portal and PostgreSQL may silently drop connections idle for longer.
DATABASE_POOL_RECYCLE_SECONDS = 300
# How each request's log line is written (portal.web.request_log): for people, or JSON.
LOG_FORMATS = ("text", "json")


class ConfigurationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    env: str
    secret_key: str
    database_url: str
    redis_url: str | None
    child_idle_minutes: int
    staff_idle_minutes: int
    secure_cookies: bool
    trusted_proxy_hops: int
    # How invitations, reminders and safety alerts go out (see portal.notifications).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = ""
    notify_api_key: str = ""
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    notify_email_template_id: str = ""
    notify_sms_template_id: str = ""
    public_base_url: str = ""
    # Earlier secret keys, still accepted while a new SECRET_KEY takes over (see README).
    secret_key_fallbacks: tuple[str, ...] = ()
    # "json" writes one JSON object a line for a log collector; "text" a line to read.
    log_format: str = "text"
    # The queue emails and text messages wait in for the worker (portal.notifications.queue):
    # QUEUE_URL, else Redis when REDIS_URL is set, else a SQLite file beside the database.
    queue_url: str = ""
    # Run each task at once, in the process that queued it (tests), instead of in a worker.
    queue_immediate: bool = False

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        portal_env = env.get("PORTAL_ENV", "production")
        secret = env.get("SECRET_KEY", "")
        if not secret:
            if portal_env in ("development", "test"):
                secret = DEVELOPMENT_SECRET
            else:
                raise ConfigurationError(
                    "SECRET_KEY must be set (PORTAL_ENV=development allows a built-in one)."
                )
        elif portal_env == "production" and (secret == DEVELOPMENT_SECRET or len(secret) < 32):
            raise ConfigurationError("SECRET_KEY must be a random value of at least 32 characters.")
        database_url = env.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
        # Heroku-style URLs name the old driver; SQLAlchemy 2 wants psycopg 3 spelled out.
        if database_url.startswith(("postgres://", "postgresql://")):
            database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
        log_format = env.get("LOG_FORMAT", "").strip().lower() or "text"
        if log_format not in LOG_FORMATS:
            raise ConfigurationError(f"LOG_FORMAT must be one of: {', '.join(LOG_FORMATS)}.")
        return cls(
            env=portal_env,
            secret_key=secret,
            database_url=database_url,
            redis_url=env.get("REDIS_URL") or None,
            child_idle_minutes=int(env.get("CHILD_IDLE_MINUTES", "20")),
            staff_idle_minutes=int(env.get("STAFF_IDLE_MINUTES", "30")),
            secure_cookies=portal_env == "production",
            # Behind a reverse proxy, how many hops of X-Forwarded-For to trust, so that
            # rate limits count each client, not the proxy. 0 means none.
            trusted_proxy_hops=int(env.get("TRUSTED_PROXY_HOPS", "0")),
            smtp_host=env.get("SMTP_HOST", ""),
            smtp_port=int(env.get("SMTP_PORT") or "587"),
            smtp_username=env.get("SMTP_USERNAME", ""),
            smtp_password=env.get("SMTP_PASSWORD", ""),
            smtp_starttls=env.get("SMTP_STARTTLS", "true").lower() not in ("0", "false", "no"),
            mail_from=env.get("MAIL_FROM", ""),
            notify_api_key=env.get("NOTIFY_API_KEY", ""),
            notify_base_url=env.get("NOTIFY_BASE_URL")
            or "https://api.notifications.service.gov.uk",
            notify_email_template_id=env.get("NOTIFY_EMAIL_TEMPLATE_ID", ""),
            notify_sms_template_id=env.get("NOTIFY_SMS_TEMPLATE_ID", ""),
            public_base_url=env.get("PUBLIC_BASE_URL", ""),
            secret_key_fallbacks=tuple(
                key for key in env.get("SECRET_KEY_FALLBACKS", "").replace(",", " ").split() if key
            ),
            log_format=log_format,
            queue_url=_queue_url(env, database_url),
            queue_immediate=_flag(env.get("QUEUE_IMMEDIATE"), default=portal_env == "test"),
        )

    def flask_config(self) -> dict[str, object]:
        return {
            "SECRET_KEY": self.secret_key,
            # Flask checks session cookies against these too; the portal's own keyed
            # digests and sealed secrets do the same (portal.web.keys).
            "SECRET_KEY_FALLBACKS": list(self.secret_key_fallbacks),
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            # A server connection can drop (a restart, a failover, a firewall timing it
            # out); a SQLite file cannot. Rather than a round trip to ping the server
            # before every request (pool_pre_ping, about a millisecond of CPU a request),
            # each pooled connection is checked on checkout for a close the server has
            # already sent, without a round trip (portal.extensions), and none is kept
            # longer than DATABASE_POOL_RECYCLE_SECONDS.
            #
            # PostgreSQL compiles a query to machine code (JIT) once its estimated cost
            # passes a threshold: the participation figures' aggregates over a large
            # authority's years approach it, and compiling costs 150-800 ms, more than
            # such a query saves. The portal's queries are short, so it is off for them.
            #
            # Cursors describe their columns only when asked (portal.postgres_cursor).
            "SQLALCHEMY_ENGINE_OPTIONS": (
                {} if self.database_url.startswith("sqlite") else _postgresql_engine_options()
            ),
            "PORTAL_ENV": self.env,
            "CHILD_IDLE_MINUTES": self.child_idle_minutes,
            "STAFF_IDLE_MINUTES": self.staff_idle_minutes,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "SESSION_COOKIE_NAME": "portal_session",
            # The sign-in session has its own idle limit; the CSRF token lives as long as it.
            "WTF_CSRF_TIME_LIMIT": None,
            "MAX_CONTENT_LENGTH": 1024 * 1024,
            "BABEL_DEFAULT_LOCALE": "en_GB",
            "BABEL_DEFAULT_TIMEZONE": "Europe/London",
            "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
            "REDIS_URL": self.redis_url,
            "RATELIMIT_STORAGE_URI": self.redis_url or "memory://",
            "RATELIMIT_HEADERS_ENABLED": False,
            # If Redis cannot be reached, limits still hold, counted in each process: they
            # fail safe, never open.
            "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
            "SEND_FILE_MAX_AGE_DEFAULT": 31536000,
            "SMTP_HOST": self.smtp_host,
            "SMTP_PORT": self.smtp_port,
            "SMTP_USERNAME": self.smtp_username,
            "SMTP_PASSWORD": self.smtp_password,
            "SMTP_STARTTLS": self.smtp_starttls,
            "MAIL_FROM": self.mail_from,
            "NOTIFY_API_KEY": self.notify_api_key,
            "NOTIFY_BASE_URL": self.notify_base_url,
            "NOTIFY_EMAIL_TEMPLATE_ID": self.notify_email_template_id,
            "NOTIFY_SMS_TEMPLATE_ID": self.notify_sms_template_id,
            "PUBLIC_BASE_URL": self.public_base_url,
            "LOG_FORMAT": self.log_format,
            "QUEUE_URL": self.queue_url,
            "QUEUE_IMMEDIATE": self.queue_immediate,
        }


QUEUE_SCHEMES = ("redis://", "rediss://", "unix://", "sqlite:///")


def _postgresql_engine_options() -> dict[str, object]:
    # Imported here: a SQLite deployment never loads the PostgreSQL driver.
    from portal.postgres_cursor import LazyDescriptionCursor

    return {
        "pool_recycle": DATABASE_POOL_RECYCLE_SECONDS,
        "connect_args": {"options": "-c jit=off", "cursor_factory": LazyDescriptionCursor},
    }


def _flag(value: str | None, *, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def _queue_url(env: dict[str, str], database_url: str) -> str:
    """Where queued messages wait: QUEUE_URL, else REDIS_URL, else SQLite beside the database."""
    url = env.get("QUEUE_URL") or env.get("REDIS_URL") or ""
    if not url:
        folder = DEFAULT_SQLITE.parent
        if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
            folder = Path(database_url.removeprefix("sqlite:///")).parent
        return f"sqlite:///{folder / 'queue.sqlite3'}"
    if not url.startswith(QUEUE_SCHEMES):
        raise ConfigurationError(
            "QUEUE_URL must be a Redis URL (redis://, rediss://, unix://) or a SQLite file "
            "(sqlite:///path/to/queue.sqlite3)."
        )
    return url
