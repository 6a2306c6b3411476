"""One env-driven settings module. Every knob is an environment variable with a safe
default, parsed by the small helpers below, which fail loudly on bad values."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


DEBUG = env_bool("DEBUG", default=False)
# The default key is for local runs only: with DEBUG off the web server and the Celery
# workers refuse to start with it (config/checks.py); any deployment sets SECRET_KEY.
DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = [h for h in env_str("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS").split(",") if o]

# Runtime state that is not source (SQLite file, filesystem broker, beat schedule).
# A relative VAR_DIR is taken from the project folder (beside manage.py), not from
# wherever a process happens to start; empty means the default.
VAR_DIR = BASE_DIR / (env_str("VAR_DIR") or "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "template_partials",
    "allauth",
    "allauth.account",
    "rules.apps.AutodiscoverRulesConfig",
    "accounts",
    "interviews",
    "hiring",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.NulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in var/ by default; DATABASE_URL switches to PostgreSQL. A web process keeps its
# connection for DB_CONN_MAX_AGE seconds (0: a new one per request): connecting cost each
# request ~5 ms on this machine, more than most of a page's queries. The health check
# replaces a connection the database dropped before a request uses it.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# The covering indexes (Index(include=...)) are for PostgreSQL; SQLite, the zero-setup
# default, builds them without the extra columns, which is all right, so `make run` need
# not warn about it on every start.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
    # A file-backed test database, so a real worker process can read what tests write.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
else:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with psycopg's C loader for timestamptz values (config/postgresql).
        DATABASES["default"]["ENGINE"] = "config.postgresql"
    # No parallel query for the app's own connections (PG_PARALLEL_WORKERS to allow it): a
    # page's queries read a few thousand rows at most, and on 1M answers the planner still
    # gathered workers for a candidate's history, whose start-up and seq scans cost more than
    # they split (posting page p50 256 -> 90 ms, CSV 127 -> 59 ms; 2 cores, bench.scale).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={env_int('PG_PARALLEL_WORKERS', 0)}"
    )
    # Server-side parameters, so that a query the ORM sends again is the same text and psycopg
    # prepares it after its fifth run on a connection: PostgreSQL then skips parsing and,
    # once its generic plan is as cheap as the custom ones, planning (results page at 1M
    # answers: 16-19 -> 12-14 ms of SQL a request; bench.scale). Off (PG_PREPARED_STATEMENTS
    # =false) behind a pooler in transaction mode that cannot keep prepared statements.
    if env_bool("PG_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: email is the login; no usernames anywhere.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# "mandatory": nobody is let in before proving their address, and sign-up does not reveal that
# an address is registered (allauth emails its owner instead); the other values give up both.
# Invitations refuse an unverified address whatever this says; an invitation link proves its
# own address (accounts/adapters.py).
ACCOUNT_EMAIL_VERIFICATION = env_choice("ACCOUNT_EMAIL_VERIFICATION", "mandatory", {"none", "optional", "mandatory"})
ACCOUNT_PREVENT_ENUMERATION = True
# Confirming in the browser that signed up carries on to where the sign-up was headed.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Backprop <noreply@backprop.local>")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Front-end libraries come from npm (package.json, `npm ci` in `make`), never copied in.
NODE_ASSETS = {
    "vendor/chart.js": BASE_DIR / "node_modules" / "chart.js" / "dist",
    "vendor/katex": BASE_DIR / "node_modules" / "katex" / "dist",
    # The code editor: CodeMirror bundled by esbuild at `npm ci` (package.json "postinstall").
    "vendor/editor": BASE_DIR / "build" / "editor",
}
STATICFILES_DIRS = [BASE_DIR / "static", *((prefix, path) for prefix, path in NODE_ASSETS.items() if path.exists())]
# `make serve` runs collectstatic into it; whitenoise serves it from gunicorn.
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Request size: a pasted posting may be large, but not unbounded (see POSTING_MAX_CHARS).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

# One cache shared by every web process (login rate limits, allauth's counters): Redis when
# REDIS_URL is set (CACHE_URL picks another Redis database), else per-process memory.
CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "backprop"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # What processes tell each other (a GPU worker's heartbeat, interviews.execution.gpu):
    # without Redis, files under VAR_DIR, since per-process memory would not be shared.
    "shared": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "backprop"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}
    ),
}

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport (no server).
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
    for _folder in ("queue", "control", "processed"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a killed worker's message is redelivered, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 120  # worker processes load the embedding model at start
# A worker process keeps its database connection this long between tasks (config/celery.py),
# whatever DB_CONN_MAX_AGE says for web processes: reconnecting cost 5 ms of each grade.
WORKER_DB_CONN_MAX_AGE = env_int("WORKER_DB_CONN_MAX_AGE", 300)
# Celery 5.7's Django fix-up closes every database connection before and after each task
# unless this is set, and then only every 2 x this many tasks: so large it never does, and
# config/celery.py closes a connection around a task as Django does around a request.
CELERY_DB_REUSE_MAX = 1_000_000_000
# Torch threads per worker process: one, since more spin-wait on a shared CPU (embeddings.py).
GRADING_TORCH_THREADS = env_int("GRADING_TORCH_THREADS", 1)
# Workers log through LOGGING below (JSON lines with the task id), not Celery's own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-grades": {
        "task": "interviews.tasks.requeue_stuck_grades",
        # Often, since it bounds how long a killed grade waits (README, "Lost and killed grades").
        "schedule": float(env_int("GRADE_SWEEP_SECONDS", 20)),
        # A sweep that waited a whole period behind busy workers is replaced by the next.
        "options": {"expires": float(env_int("GRADE_SWEEP_SECONDS", 20))},
    },
    # Renewed only if a GPU worker consumes the `gpu` queue; expires unconsumed otherwise.
    "gpu-heartbeat": {
        "task": "interviews.tasks.gpu_heartbeat",
        "schedule": 60.0,
        "options": {"queue": "gpu", "expires": 60},
    },
}

# Grading.
GRADER = env_choice("GRADER", "auto", {"auto", "llm", "offline"})
LLM_BASE_URL = env_str("LLM_BASE_URL")
LLM_API_KEY = env_str("LLM_API_KEY")
LLM_MODEL = env_str("LLM_MODEL")
LLM_TIMEOUT_SECONDS = env_int("LLM_TIMEOUT_SECONDS", 60)
LLM_MAX_RETRIES = env_int("LLM_MAX_RETRIES", 3)  # transient errors: timeouts, 429, 5xx
LLM_BACKOFF_SECONDS = env_float("LLM_BACKOFF_SECONDS", 0.5)
LLM_MAX_INVALID = env_int("LLM_MAX_INVALID", 1)  # re-asks after malformed output
# Models whose chat template has no system role (Gemma's) drop the system message; with
# this off, the instructions open the user message instead.
LLM_SYSTEM_ROLE = env_bool("LLM_SYSTEM_ROLE", True)
# Ask for token log-probabilities (the grader's confidence). Off for servers that compute
# them slowly: llama-cpp-python over Gemma's 262k-token vocabulary ran at 1 token/s with
# them and about 10 without; the grader then takes a second opinion on borderline scores.
LLM_LOGPROBS = env_bool("LLM_LOGPROBS", True)
# The bound on one reply when the caller gives none (the grader sizes its own to the rubric).
LLM_MAX_TOKENS = env_int("LLM_MAX_TOKENS", 2048)
# Prices in USD per million tokens, for the cost recorded on every call.
LLM_PRICE_INPUT = env_float("LLM_PRICE_INPUT", 0.0)
LLM_PRICE_OUTPUT = env_float("LLM_PRICE_OUTPUT", 0.0)
# The worker's (soft) time limit for one grade.
GRADE_TIME_LIMIT_SECONDS = env_int("GRADE_TIME_LIMIT_SECONDS", LLM_TIMEOUT_SECONDS * (LLM_MAX_RETRIES + 1) + 60)
# Executable questions (the `code` queue): the runner stops starting sandboxes after
# CODE_RUN_SECONDS, so a grade ends well inside the task's limit.
CODE_RUN_SECONDS = env_int("CODE_RUN_SECONDS", 240)
CODE_GRADE_TIME_LIMIT_SECONDS = env_int("CODE_GRADE_TIME_LIMIT_SECONDS", CODE_RUN_SECONDS + 60)
# One budget for all of a grade's LLM calls, retries and second opinion included; the LLM
# grader stops there and grades offline, leaving the rest of the time limit for that.
LLM_GRADE_BUDGET_SECONDS = env_float("LLM_GRADE_BUDGET_SECONDS", max(1.0, GRADE_TIME_LIMIT_SECONDS - 30.0))
# "Run visible tests" runs in the web request (about 1 s for NumPy, 6 s for PyTorch), so
# each user gets one run at a time and a few a minute: it costs a CPU core while it runs.
CODE_VISIBLE_RUNS_PER_MINUTE = env_int("CODE_VISIBLE_RUNS_PER_MINUTE", 4)
CODE_VISIBLE_RUN_SECONDS = env_int("CODE_VISIBLE_RUN_SECONDS", 90)
# The sweep (interviews/grading/sweep.py) re-enqueues a queued grade whose message went out
# longer ago than this and is no longer in the broker's queue (lost, or never published),
# and at most once per this window.
GRADE_LOST_AFTER_SECONDS = env_int("GRADE_LOST_AFTER_SECONDS", 60)
# A worker grading beats every GRADE_HEARTBEAT_SECONDS; a claim silent for
# GRADE_CLAIM_EXPIRES_SECONDS belongs to a killed worker and the sweep takes it back.
GRADE_HEARTBEAT_SECONDS = env_float("GRADE_HEARTBEAT_SECONDS", 10.0)
GRADE_CLAIM_EXPIRES_SECONDS = env_int("GRADE_CLAIM_EXPIRES_SECONDS", 30)
GRADE_MAX_ATTEMPTS = env_int("GRADE_MAX_ATTEMPTS", 5)

# Input limits: clear messages instead of silent truncation.
POSTING_MAX_CHARS = env_int("POSTING_MAX_CHARS", 100_000)
ANSWER_MAX_CHARS = env_int("ANSWER_MAX_CHARS", 20_000)

# Error reports (the DEBUG page, admin emails) never show passwords inside URLs or cookies.
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.error_reports.CredentialCleansingFilter"
DEFAULT_EXCEPTION_REPORTER = "config.error_reports.CredentialCleansingReporter"

# LOG_FORMAT=json (what `make serve` sets): one JSON object per line with the request or task id.
LOG_FORMAT = env_choice("LOG_FORMAT", "text", {"text", "json"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Security headers. Everything `check --deploy` asks for can be set from the environment
# (the defaults suit a plain-HTTP local run); `make serve` behind TLS sets them all.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No inline script or style anywhere (tests/config/test_no_inline_code.py): scripts and styles
# come from our own static files only. KaTeX and Chart.js style elements through the DOM
# (element.style), which CSP allows; KaTeX's fonts are data: URLs in its CSS. The one
# exception is the code editor: CodeMirror writes its styles into a <style> element, which
# CSP refuses unless it carries the page's nonce (interview.html hands it to the editor).
# django-csp adds the nonce to the header only on a page that used it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
