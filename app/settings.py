"""Settings for Maç Merkezi.

Every knob is read from the environment once, here. `APP_ENV=development` (the default) gives
local defaults that just work: SQLite in `var/`, a local Redis, DEBUG on. `APP_ENV=production`
requires SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS and turns on the secure defaults that
`manage.py check --deploy` asks for.
"""

import os
from pathlib import Path
from typing import Any, overload
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
APP_DIR = BASE_DIR / "app"


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


APP_ENV = env("APP_ENV", "development")
PRODUCTION = APP_ENV == "production"
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", not PRODUCTION)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when APP_ENV=production.")
    SECRET_KEY = "development-only-insecure-key-never-use-in-production-6f3b1c"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
# Where mailed links point (scheme, host, port): never the Host header of the request that caused the mail.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "") or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
    if PRODUCTION and ALLOWED_HOSTS and env_bool("HTTPS", True)
    else f"http://{ALLOWED_HOSTS[0].lstrip('.')}"
    if PRODUCTION and ALLOWED_HOSTS
    else f"http://localhost:{env('WEB_PORT', '8000')}"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_celery_beat",
    "django_celery_results",
    "app.football",
    "app.imports",
    "app.fetching",
    "app.web",
    "app.dashboard",
    "app.accounts",
    "app.health",
    # Only the app config: it offers `manage.py run_simulated_provider` (dev, tests, benches and the appliance
    # test's server); the simulator code in devtools/simulator is imported only when that command runs.
    "devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known, so its 400 page is in the reader's language.
    "app.web.middleware.RejectInvalidInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "app.urls"
WSGI_APPLICATION = "app.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [APP_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------
# app/wsgi.py and app/asgi.py set APP_PROCESS=web: only the processes serving pages get the
# statement and lock timeouts below (docs/deploy.md, "Database timeouts").
WEB_PROCESS = env("APP_PROCESS", "") == "web"
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 15_000)
DB_LOCK_TIMEOUT_MS = env_int("DB_LOCK_TIMEOUT_MS", 5_000)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's default cost of a random page read (4.0) is a spinning disk's. On SSDs, or with
    # the match tables in memory as they are here, 1.1 is the usual value; with 4.0 the planner
    # scanned all the matches for an admin search instead of combining the team and trigram
    # indexes (docs/web.md has the figures). An `options` given in DATABASE_URL wins.
    db_options = DATABASES["default"].setdefault("OPTIONS", {})
    db_options.setdefault("options", f"-c random_page_cost={env('DB_RANDOM_PAGE_COST', '1.1')}")
    if WEB_PROCESS:
        # A page never waits long for the database: a statement or a lock wait past these ends
        # with an error instead of holding a gunicorn thread (and its locks) for minutes. Only the
        # web processes: workers (imports, fetch runs), beat and `manage.py` commands (migrate)
        # run long statements and take locks on purpose. 0 turns one off.
        db_options["options"] += f" -c statement_timeout={DB_STATEMENT_TIMEOUT_MS} -c lock_timeout={DB_LOCK_TIMEOUT_MS}"
if PRODUCTION and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL when APP_ENV=production.")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Web, worker and beat write to one file. WAL: readers never wait for the writer. IMMEDIATE:
    # a transaction takes the write lock when it begins, so it waits for it (busy timeout, in
    # seconds); a deferred one that reads first and writes later fails at once with "database is
    # locked" when another connection wrote meanwhile, whatever the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=env_int("SQLITE_BUSY_TIMEOUT", 30),
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so worker processes started by tests see the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")


def _next_redis_db(url: str) -> str:
    """The same Redis server, the next database number: the cache never shares the broker's keys."""
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(db + 1) % 16}"))


CACHES = {
    "default": {
        "BACKEND": "app.redis_cache.RedisCache",
        # Its own database, so that clearing the cache can never empty the Celery queues.
        "LOCATION": env("CACHE_URL", _next_redis_db(REDIS_URL)),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "macmerkezi"),
        "TIMEOUT": env_int("CACHE_TIMEOUT", 24 * 3600),
        # A dead or hanging cache is a miss within these (app.redis_cache fails open), not a
        # page that waits for it. Milliseconds: a healthy local Redis answers in well under one.
        "OPTIONS": {
            "socket_connect_timeout": env_int("CACHE_CONNECT_TIMEOUT_MS", 500) / 1000,
            "socket_timeout": env_int("CACHE_SOCKET_TIMEOUT_MS", 500) / 1000,
        },
    }
}

# Rendered public pages for anonymous visitors (app.web.page_cache), keyed by the data version so
# a write shows at once; the lifetime only bounds the memory that rarely read pages take (0 = off).
WEB_PAGE_CACHE_SECONDS = env_int("WEB_PAGE_CACHE_SECONDS", 120)
# Each web process also keeps the pages it served last, uncompressed, up to this many bytes.
WEB_PAGE_CACHE_LOCAL_BYTES = env_int("WEB_PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024)

# --- Celery ------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_CACHE_BACKEND = "django-cache"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = env("TIME_ZONE", "Europe/Istanbul")
# A task is acknowledged only after it finished, and a worker that dies mid-task hands it
# back: every task is written to be safe to run twice (idempotent upserts).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
# With acks_late, Redis redelivers an unacknowledged task after this long; it must exceed the
# longest task and the longest countdown a retry uses.
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {  # kombu reads each option with its own type
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # Workers sweep for messages of dead workers every interval x throttle seconds (kombu: 10 x 10).
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
    **({"global_keyprefix": env("CELERY_KEY_PREFIX")} if env("CELERY_KEY_PREFIX") else {}),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
FLOWER_URL = env("FLOWER_URL", "/flower/" if PRODUCTION else "http://127.0.0.1:5555/")

# --- Auth --------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login and password-reset throttling (app.accounts.services.login_guard; docs/web.md argues the numbers).
LOGIN_ACCOUNT_DELAY_AFTER = env_int("LOGIN_ACCOUNT_DELAY_AFTER", 3)  # failures for one username, any address
LOGIN_ACCOUNT_DELAY_SECONDS = env_int("LOGIN_ACCOUNT_DELAY_SECONDS", 2)  # doubled for each further failure
LOGIN_ACCOUNT_DELAY_MAX_SECONDS = env_int("LOGIN_ACCOUNT_DELAY_MAX_SECONDS", 60)
LOGIN_ACCOUNT_LOCKOUT_AFTER = env_int("LOGIN_ACCOUNT_LOCKOUT_AFTER", 10)
LOGIN_ACCOUNT_LOCKOUT_MINUTES = env_int("LOGIN_ACCOUNT_LOCKOUT_MINUTES", 30)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)  # one address, any usernames
LOGIN_ADDRESS_WINDOW_MINUTES = env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 60)
PASSWORD_RESET_EMAIL_LIMIT = env_int("PASSWORD_RESET_EMAIL_LIMIT", 3)  # requests per e-mail address
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 10)  # requests per client address
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)
# Sessions stay in the database alone (not cached_db): with the cache down, a cached session
# backend answers 500 on every signed-in page, the health page included.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- E-mail ------------------------------------------------------------------------------
_email = dj_email_url.parse(env("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = 10
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH")  # file:////abs/dir: a file per mail (tests read a worker's)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Maç Merkezi <info@example.org>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- i18n --------------------------------------------------------------------------------
LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", _("Türkçe")), ("en", _("English"))]
LOCALE_PATHS = [APP_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Istanbul")
USE_I18N = True
USE_TZ = True

# --- Files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 20)
# Bounded memory for imports: more data rows, or a workbook that unpacks to more than this, is
# rejected before it is loaded (zip bombs, runaway sheets).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 1_000_000)
IMPORT_MAX_UNPACKED_MB = env_int("IMPORT_MAX_UNPACKED_MB", 250)
# A running import renews its lease every sixth of this; one silent for longer is resumed by beat.
IMPORT_STALLED_AFTER_SECONDS = env_int("IMPORT_STALLED_AFTER_SECONDS", 120)
# Rows per committed batch: what a resumed import never writes twice, and the progress bar's step.
IMPORT_BATCH_SIZE = env_int("IMPORT_BATCH_SIZE", 5000)
# A match without an id of its own is the stored one with the same competition and teams dated
# this many days either side (a late kick-off dated the next day): app/football/services/identity.py.
MATCH_DATE_TOLERANCE_DAYS = env_int("MATCH_DATE_TOLERANCE_DAYS", 1)

# --- Football data provider --------------------------------------------------------------
# The match-data API client: a module in app/fetching/providers/ (football-data.org v4 by default).
FOOTBALL_PROVIDER = env("FOOTBALL_PROVIDER", "football-data")
FOOTBALL_API_URL = env("FOOTBALL_API_URL", "http://127.0.0.1:8090/v4/")
FOOTBALL_API_TOKEN = env("FOOTBALL_API_TOKEN", "")
FOOTBALL_API_REQUESTS_PER_MINUTE = env_int("FOOTBALL_API_REQUESTS_PER_MINUTE", 1200)
# Requests the token bucket may send back to back (0 = a tenth of a second of the quota).
FOOTBALL_API_BURST = env_int("FOOTBALL_API_BURST", 0)
FOOTBALL_API_CONNECT_TIMEOUT = float(env("FOOTBALL_API_CONNECT_TIMEOUT", "3.05"))
FOOTBALL_API_READ_TIMEOUT = float(env("FOOTBALL_API_READ_TIMEOUT", "10"))
# Fetch runs (app.fetching): ids per chunk task, attempts per id, retry backoff, 429 slow-down.
FETCH_CHUNK_SIZE = env_int("FETCH_CHUNK_SIZE", 50)
FETCH_THREADS_PER_CHUNK = env_int("FETCH_THREADS_PER_CHUNK", 4)
FETCH_MAX_ATTEMPTS = env_int("FETCH_MAX_ATTEMPTS", 8)
FETCH_RETRY_BASE_SECONDS = float(env("FETCH_RETRY_BASE_SECONDS", "2"))
FETCH_RETRY_MAX_SECONDS = float(env("FETCH_RETRY_MAX_SECONDS", "300"))
FETCH_RATE_PENALTY_SECONDS = float(env("FETCH_RATE_PENALTY_SECONDS", "60"))
# A run with pending ids and no progress for this long is dispatched again by beat (every minute).
# Above FETCH_RETRY_MAX_SECONDS, so a chunk waiting out its retry countdown is not taken for lost.
FETCH_STALLED_AFTER_SECONDS = env_int("FETCH_STALLED_AFTER_SECONDS", 6 * 60)

# --- Security ----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    # TLS is terminated by nginx; HTTPS=false is only for a plain-HTTP lab install.
    _https = env_bool("HTTPS", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _https
    SESSION_COOKIE_SECURE = _https
    CSRF_COOKIE_SECURE = _https
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _https else 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
    SECURE_HSTS_PRELOAD = _https

# --- Logging -----------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOG_FILE = env("LOG_FILE")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # WatchedFileHandler reopens the file after logrotate moves it away.
        **(
            {
                "file": {
                    "class": "logging.handlers.WatchedFileHandler",
                    "filename": LOG_FILE,
                    "formatter": "plain",
                }
            }
            if LOG_FILE
            else {}
        ),
    },
    "root": {"handlers": ["file"] if LOG_FILE else ["console"], "level": LOG_LEVEL},
}
