"""Settings. Everything an operator changes comes from DIARIUM_* environment variables
(documented in docs/configuration.md); the defaults run the embedded mode with nothing set."""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("DIARIUM_DATA_DIR", "./var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use DIARIUM_SECRET_KEY, else a key generated once and kept in the data dir."""
    if key := os.environ.get("DIARIUM_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DIARIUM_DEBUG")
ALLOWED_HOSTS = os.environ.get("DIARIUM_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DIARIUM_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served locally, no CDN
    "django_tasks",
    "django_tasks_db",  # the task queue in the database: no extra server (docs/jobs.md)
    "diarium.organisation",
    "diarium.audit",
    "diarium.documents",
    "diarium.plan",
    "diarium.registry",
    "diarium.search",
    "diarium.archive",
    "diarium.core",
    "diarium.api",
    "diarium.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "diarium.web.middleware.UploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "diarium.web.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "diarium.urls"
WSGI_APPLICATION = "diarium.wsgi.application"
AUTH_USER_MODEL = "organisation.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


def _database() -> dict:
    url = os.environ.get("DIARIUM_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'diarium.sqlite3'}"
    db = dj_database_url.parse(url, conn_max_age=int(os.environ.get("DIARIUM_DB_CONN_AGE", 0)))
    if db["ENGINE"].endswith("sqlite3"):
        # IMMEDIATE: a write transaction takes the write lock when it begins, so two writers
        # queue on the busy timeout instead of deadlocking on a read-to-write upgrade.
        # WAL lets readers go on while one writer works.
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests use a real file (not shared-cache memory) so that threads lock like
        # production processes do; one per test process, so parallel runs never collide.
        db["TEST"] = {"NAME": str(DATA_DIR / f"test-diarium-{os.getpid()}.sqlite3")}
    elif db["ENGINE"].endswith("postgresql"):
        # No JIT: it pays off for long analytic queries, not for short ones whose
        # correlated subqueries (the visibility filters) inflate the planner's estimate past
        # jit_above_cost; compiling then took 3 of 4 seconds (bench/visibility_cost.py).
        db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    h for h in os.environ.get("DIARIUM_PASSWORD_HASHERS", "").split(",") if h
] or ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The file store (document content): a folder, or a JSON object such as {"kind": "s3",
# "bucket": …} (docs/configuration.md, DIARIUM_FILE_STORE; diarium.core.storage.config).
_file_store = os.environ.get("DIARIUM_FILE_STORE", "").strip()
FILE_STORE = (json.loads(_file_store) if _file_store.startswith("{") else
              {"kind": "filesystem", "path": _file_store or str(DATA_DIR / "files")})
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: anything larger than this is refused with 413 before it is read.
MAX_UPLOAD_BYTES = int(os.environ.get("DIARIUM_MAX_UPLOAD_BYTES", 100 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Converters (LibreOffice, OCRmyPDF) are stopped after this many seconds (docs/documents.md).
CONVERSION_TIMEOUT = float(os.environ.get("DIARIUM_CONVERSION_TIMEOUT", 300))

# Audit checkpoints (docs/audit.md): the Ed25519 key that signs them, kept outside the
# database (default: created in the data dir on first use); the public keys a checkpoint may
# be signed with (default: the signing key's); the folders that keep a copy of each.
AUDIT_SIGNING_KEY = os.environ.get("DIARIUM_AUDIT_SIGNING_KEY", "")
AUDIT_TRUSTED_KEYS = [k for k in os.environ.get("DIARIUM_AUDIT_TRUSTED_KEYS", "").split(",") if k]
AUDIT_CHECKPOINT_DIRS = [
    d for d in os.environ.get("DIARIUM_AUDIT_CHECKPOINT_DIRS", "").split(",") if d
] or [str(DATA_DIR / "audit-checkpoints")]
# An RFC 3161 timestamp authority for checkpoints, and the TSA certificates trusted (PEM).
AUDIT_TSA_URL = os.environ.get("DIARIUM_AUDIT_TSA_URL", "")
AUDIT_TSA_TRUST = [c for c in os.environ.get("DIARIUM_AUDIT_TSA_TRUST", "").split(",") if c]

# Diarienummer display: {series} {year} {number} and a zero-padding width.
DIARY_NUMBER_FORMAT = os.environ.get("DIARIUM_DIARY_NUMBER_FORMAT", "{series} {year}/{number}")
DIARY_NUMBER_PADDING = int(os.environ.get("DIARIUM_DIARY_NUMBER_PADDING", 0))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "diarium.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "diarium.core.problems.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Diarium API",
    "DESCRIPTION": "Diarium REST API: the registry (diarium) of a Swedish municipality.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page loads Swagger UI from our own static files: municipal networks and
    # offline installations often cannot reach a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("status", "kind") with another app's get names.
    "ENUM_NAME_OVERRIDES": {
        "PlanVersionStatusEnum": "diarium.plan.models.VersionStatus",
        "SystemStatusEnum": "diarium.plan.models.SystemStatus",
        "ChecklistKindEnum": "diarium.plan.models.ChecklistKind",
        "KindEnum": "diarium.registry.models.PartyKind",  # the name it had before
        "PackageStateEnum": "diarium.archive.models.PackageState",
        "CopyStateEnum": "diarium.archive.models.CopyState",
        "ArchiveRecordKindEnum": "diarium.archive.models.RecordKind",
        "DipOrderStateEnum": "diarium.archive.models.OrderState",
        "SecrecyDecisionEnum": "diarium.archive.models.Decision",
        "JobStateEnum": "diarium.core.jobs.models.JobState",
    },
}

# Background jobs (docs/jobs.md): Django's task interface with the database backend, run by
# `diarium worker`; the lease, attempts and progress live on diarium.core's Job.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOB_LEASE_SECONDS = float(os.environ.get("DIARIUM_JOB_LEASE_SECONDS", 60))
JOB_MAX_ATTEMPTS = int(os.environ.get("DIARIUM_JOB_MAX_ATTEMPTS", 3))
JOB_RETRY_DELAY_SECONDS = float(os.environ.get("DIARIUM_JOB_RETRY_DELAY_SECONDS", 30))
JOB_POLL_SECONDS = float(os.environ.get("DIARIUM_WORKER_POLL_SECONDS", 1))
JOB_SCHEDULE_GRACE_SECONDS = float(os.environ.get("DIARIUM_JOB_SCHEDULE_GRACE_SECONDS", 3600))
# Periodic jobs, started by the workers (no cron). DIARIUM_JOB_SCHEDULE: JSON, {} for none.
JOB_SCHEDULE = json.loads(os.environ.get("DIARIUM_JOB_SCHEDULE") or "null") or (
    {} if "DIARIUM_JOB_SCHEDULE" in os.environ else {
        "fixity-audit": {"kind": "archive.fixity", "every": "1d", "at": "02:00",
                         "principal": "system:fixity"},
        "export-closed-cases": {"kind": "archive.export_cases", "every": "1d", "at": "01:00",
                                "principal": "system:export"},
    })

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DIARIUM_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DIARIUM_LOG_LEVEL", "WARNING")},
}
