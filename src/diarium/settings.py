"""Settings. Everything an operator changes comes from DIARIUM_* environment variables
(documented in docs/configuration.md); the defaults run the embedded mode with nothing set."""

import contextlib
import json
import os
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key

from diarium.organisation.signin_conf import signin_settings

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("DIARIUM_DATA_DIR", "./var")).resolve()
# 0700: the data dir holds the database, every stored file and the secret key. An existing
# dir keeps its mode; `diarium check --deploy` warns when others can read it.
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use DIARIUM_SECRET_KEY, else a key generated once and kept in the data dir.

    Several processes may start at once on a new data dir (the web server's workers and
    the job worker): each writes a key of its own to a private file and links it into
    place, which only the first does; every one then reads the same, whole key."""
    if key := os.environ.get("DIARIUM_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Created 0600 from the first byte, never readable by others even for a moment.
        draft = DATA_DIR / f".secret_key.{os.getpid()}"
        fd = os.open(draft, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(get_random_secret_key())
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process's key came first
        finally:
            draft.unlink()
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
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served locally, no CDN
    "django_tasks",
    "django_tasks_db",  # the task queue in the database: no extra server (docs/jobs.md)
    "django_otp",  # two-factor login for administrators (docs/sign-in.md)
    "django_otp.plugins.otp_totp",
    "djangosaml2",  # SAML 2.0 sign-in, when DIARIUM_SAML_IDP_METADATA is set
    "diarium.organisation",
    "diarium.audit",
    "diarium.documents",
    "diarium.plan",
    "diarium.registry",
    "diarium.search",
    "diarium.archive",
    "diarium.board",
    "diarium.diarymigration",
    "diarium.disclosure",
    "diarium.public",  # the public diary (/insyn/) and its open API (docs/public.md)
    "diarium.core",
    "diarium.operations",
    "diarium.api",
    "diarium.web",
]

MIDDLEWARE = [
    "diarium.operations.middleware.MetricsMiddleware",  # first: it times the whole answer
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "diarium.web.middleware.NoStoreMiddleware",
    "diarium.web.middleware.UploadLimitMiddleware",
    "diarium.web.middleware.NulRefusalMiddleware",
    # The public host name (DIARIUM_PUBLIC_HOST) sees the public diary only, at its root.
    "diarium.public.middleware.PublicHostMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "diarium.web.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A password session of someone who must use two factors and has not: signed out.
    "diarium.web.middleware.TwoFactorMiddleware",
    # The SAML exchange's own cookie (SameSite=None: the IdP posts back cross-site).
    "djangosaml2.middleware.SamlSessionMiddleware",
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


def _private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, unless it exists. SQLite accepts an
    empty file as a new database and gives its -wal and -shm files the same mode."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _database() -> dict:
    url = os.environ.get("DIARIUM_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'diarium.sqlite3'}"
    db = dj_database_url.parse(url, conn_max_age=int(os.environ.get("DIARIUM_DB_CONN_AGE", 0)))
    if db["ENGINE"].endswith("sqlite3"):
        _private_file(Path(db["NAME"]))
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

# E-mail intake (docs/intake.md): a message larger than this is not taken in (its headers
# are, with the refusal; the message stays in the mailbox); deeper MIME nesting or more
# parts are not taken apart. DIARIUM_MAIL_CA_FILE: a CA certificate (PEM) the mailbox
# servers' TLS certificates may chain to besides the system's. DIARIUM_SEALING_KEY: the key
# that seals mailbox passwords (default: derived from the secret key).
MAIL_MAX_BYTES = int(os.environ.get("DIARIUM_MAIL_MAX_BYTES", 30 * 1024 * 1024))
MAIL_MAX_DEPTH = int(os.environ.get("DIARIUM_MAIL_MAX_DEPTH", 16))
MAIL_MAX_PARTS = int(os.environ.get("DIARIUM_MAIL_MAX_PARTS", 500))
MAIL_CA_FILE = os.environ.get("DIARIUM_MAIL_CA_FILE", "")
MAIL_TIMEOUT_SECONDS = float(os.environ.get("DIARIUM_MAIL_TIMEOUT_SECONDS", 60))
SEALING_KEY = os.environ.get("DIARIUM_SEALING_KEY", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Stored files and the folders made for them: for the owner only (see DATA_DIR).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

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

# Electronic signatures (docs/signatures.md): the trust list (CA certificates, PEM or DER),
# other certificates (intermediates), revocation data (CRL files), whether revocation data
# may be fetched from the network, and the timestamp authority for PAdES-B-T/B-LT.
SIGNATURE_TRUST = [p for p in os.environ.get("DIARIUM_SIGNATURE_TRUST", "").split(",") if p]
SIGNATURE_OTHER_CERTS = [
    p for p in os.environ.get("DIARIUM_SIGNATURE_OTHER_CERTS", "").split(",") if p]
SIGNATURE_CRLS = [p for p in os.environ.get("DIARIUM_SIGNATURE_CRLS", "").split(",") if p]
SIGNATURE_FETCH_REVOCATION = os.environ.get("DIARIUM_SIGNATURE_FETCH_REVOCATION", "") == "1"
SIGNATURE_TSA_URL = os.environ.get("DIARIUM_SIGNATURE_TSA_URL", "")

# Diarienummer display: {series} {year} {number} and a zero-padding width.
DIARY_NUMBER_FORMAT = os.environ.get("DIARIUM_DIARY_NUMBER_FORMAT", "{series} {year}/{number}")
DIARY_NUMBER_PADDING = int(os.environ.get("DIARIUM_DIARY_NUMBER_PADDING", 0))

# Outgoing mail of the system itself (reminders to officers, answers to requests): the
# server and the sender address. An authority's dispatches use its own server instead.
EMAIL_HOST = os.environ.get("DIARIUM_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DIARIUM_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("DIARIUM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DIARIUM_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DIARIUM_EMAIL_STARTTLS", "") == "1"
EMAIL_TIMEOUT = float(os.environ.get("DIARIUM_EMAIL_TIMEOUT_SECONDS", 30))
DEFAULT_FROM_EMAIL = os.environ.get("DIARIUM_EMAIL_FROM", "diarium@localhost")

# Requests for official documents (docs/requests.md): the address links in answers start
# with, how long a download link lives, the public form's rate limit and its minimum fill
# time (spam protection), and the fees for copies (avgiftsförordningen).
DISCLOSURE_BASE_URL = os.environ.get("DIARIUM_BASE_URL", "http://localhost:8000")
DISCLOSURE_LINK_DAYS = int(os.environ.get("DIARIUM_DISCLOSURE_LINK_DAYS", 14))
DISCLOSURE_RATE_PER_HOUR = int(os.environ.get("DIARIUM_DISCLOSURE_RATE_PER_HOUR", 10))
DISCLOSURE_MIN_SECONDS = float(os.environ.get("DIARIUM_DISCLOSURE_MIN_SECONDS", 3))
DISCLOSURE_FEE_FREE_PAGES = int(os.environ.get("DIARIUM_DISCLOSURE_FEE_FREE_PAGES", 9))
DISCLOSURE_FEE_BASE = os.environ.get("DIARIUM_DISCLOSURE_FEE_BASE", "50")
DISCLOSURE_FEE_PER_PAGE = os.environ.get("DIARIUM_DISCLOSURE_FEE_PER_PAGE", "2")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "diarium.organisation.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "diarium.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "diarium.core.problems.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [],
    # DRF's HTML API browser (?format=api) only in debug mode: in production it is one more
    # page type to secure, with inline script that the Content-Security-Policy forbids.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    # Bodies are checked for size and nesting before they are parsed (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "diarium.core.parsers.JSONParser",
        "diarium.core.parsers.FormParser",
        "diarium.core.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "diarium.core.throttles.UserRateThrottle",
        "diarium.core.throttles.AnonRateThrottle",
    ],
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
    # The open public API has its own schema (/api/public/v1/schema/).
    "PREPROCESSING_HOOKS": ["diarium.public.schema_hooks.without_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "diarium.core.schema.document_common_errors",
    ],
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
        "CaseStatusEnum": "diarium.registry.models.CaseStatus",
        "DocumentStatusEnum": "diarium.registry.models.DocumentStatus",
        "RoleEnum": "diarium.organisation.models.Role",
        "ValidationTriggerEnum": "diarium.documents.signature_models.Trigger",
        "TriggerEnum": "diarium.plan.models.plans.Trigger",  # the name it had before
        "DirectionEnum": "diarium.registry.models.Direction",  # the name it had before
        "RecordTypeDirectionEnum": "diarium.plan.models.RecordDirection",
        "SignatureRequestStatusEnum": "diarium.documents.signature_models.RequestStatus",
        "SignatureStepStateEnum": "diarium.documents.signature_models.StepState",
        "JobStateEnum": "diarium.core.jobs.models.JobState",
        "ArchiveFileRoleEnum": "diarium.archive.models.packages.FileRole",
        "RecipientKindEnum": "diarium.registry.dispatch.models.RecipientKind",
        "DispatchChannelEnum": "diarium.registry.dispatch.models.DispatchChannel",
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
        "audit-checkpoint": {"kind": "audit.checkpoint", "every": "1d", "at": "03:00",
                             "principal": "system:audit"},
        # With a directory configured (DIARIUM_LDAP_URL) and DIARIUM_LDAP_SYNC_EVERY set.
        **({"directory-sync": {"kind": "organisation.directory_sync",
                               "every": os.environ["DIARIUM_LDAP_SYNC_EVERY"],
                               "principal": "system:directory"}}
           if os.environ.get("DIARIUM_LDAP_URL") and os.environ.get("DIARIUM_LDAP_SYNC_EVERY")
           else {}),
        "mailbox-poll": {"kind": "registry.poll_mailboxes", "every": "5m",
                         "principal": "system:mail"},
        # E-mail reminders to officers: follow-up dates and FL 12 § (docs/registry.md).
        "case-reminders": {"kind": "registry.send_reminders", "every": "1d", "at": "06:30",
                           "principal": "system:reminders"},
        # The board's justering alerts, notice take-downs and settling (docs/board.md).
        "board-daily": {"kind": "board.daily", "every": "1d", "at": "00:30",
                        "principal": "system:board"},
        # The public diary's projection, checked and repaired (docs/public.md).
        "public-rebuild": {"kind": "public.rebuild", "every": "1d", "at": "04:00",
                           "principal": "system:operator"},
    })

# --- Security: logins, passwords, tokens, throttling, HTTPS and headers -----------------
# Kept together; docs/configuration.md ("Security", "Production settings") explains each.

# Argon2id (core/passwords.py, parameters below) hashes new passwords; the PBKDF2 hashers
# still verify older hashes, and Django rehashes with Argon2 at the user's next login.
PASSWORD_HASHERS = [
    h for h in os.environ.get("DIARIUM_PASSWORD_HASHERS", "").split(",") if h
] or [
    "diarium.core.passwords.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
ARGON2_TIME_COST = int(os.environ.get("DIARIUM_ARGON2_TIME_COST", 1))
ARGON2_MEMORY_KIB = int(os.environ.get("DIARIUM_ARGON2_MEMORY_KIB", 47104))
ARGON2_PARALLELISM = int(os.environ.get("DIARIUM_ARGON2_PARALLELISM", 1))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("DIARIUM_PASSWORD_MIN_LENGTH", 12))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "diarium.core.passwords.SwedishCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins (organisation/lockout.py): a username is locked after LOGIN_FAILURES_PER_USER
# failures within LOGIN_LOCKOUT_MINUTES, a client address after LOGIN_FAILURES_PER_ADDRESS
# (higher: a town hall's staff share one address behind NAT). An administrator unlocks.
# Single sign-on (OpenID Connect, SAML), the directory sync and two-factor login
# (organisation/signin_conf.py, docs/sign-in.md): AUTHENTICATION_BACKENDS (the password
# backend with the lockout, then the SSO backends switched on), OIDC_*, SAML_*, LDAP_SYNC,
# REQUIRE_2FA_FOR_ADMINS.
globals().update(signin_settings(os.environ))
SAML_SESSION_COOKIE_NAME = "diarium_saml"
LOGIN_FAILURES_PER_USER = int(os.environ.get("DIARIUM_LOGIN_FAILURES_PER_USER", 5))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("DIARIUM_LOGIN_FAILURES_PER_ADDRESS", 50))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("DIARIUM_LOGIN_LOCKOUT_MINUTES", 15))
# How many proxies in front of Diarium append to X-Forwarded-For; 0 trusts no header and
# takes the client address from the connection.
PROXY_COUNT = int(os.environ.get("DIARIUM_PROXY_COUNT", 0))
REST_FRAMEWORK["NUM_PROXIES"] = PROXY_COUNT  # the throttles' client address, the same way

# API tokens (organisation/tokens.py): stored as SHA-256 digests, shown once, expiring.
API_TOKEN_DAYS = int(os.environ.get("DIARIUM_API_TOKEN_DAYS", 365))

# API rate limits (core/throttles.py), DRF's "N/second|minute|hour|day" or "off". Counted
# in the cache below; the default local-memory cache counts per process.
API_RATE_USER = os.environ.get("DIARIUM_API_RATE_USER", "3000/minute")
API_RATE_ANON = os.environ.get("DIARIUM_API_RATE_ANON", "60/minute")
# The public diary's search pages, feeds and open API, per client address (docs/public.md).
PUBLIC_RATE = os.environ.get("DIARIUM_PUBLIC_RATE", "120/minute")
# A host name that serves the public diary at its root (e.g. insyn.kommun.se); empty: none.
PUBLIC_HOST = os.environ.get("DIARIUM_PUBLIC_HOST", "")
CACHES = {"default": {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "diarium_cache",
} if os.environ.get("DIARIUM_CACHE") == "database" else {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
}}

# Request bodies (core/parsers.py): JSON nested deeper than this is refused with 400.
MAX_JSON_DEPTH = int(os.environ.get("DIARIUM_MAX_JSON_DEPTH", 64))

# HTTPS. Behind a proxy that terminates TLS, DIARIUM_PROXY_SSL_HEADER=on trusts its
# X-Forwarded-Proto header (the proxy must set it and strip it from clients).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DIARIUM_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DIARIUM_SSL_REDIRECT")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DIARIUM_PROXY_SSL_HEADER") else None
)
SECURE_HSTS_SECONDS = int(os.environ.get("DIARIUM_HSTS_SECONDS", 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DIARIUM_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DIARIUM_HSTS_PRELOAD")
# A load balancer probes /health/ over plain HTTP inside the network: never redirected.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "diarium.core.problems.csrf_failure"

# Content-Security-Policy (django-csp): no inline script or style anywhere in the UI, so
# everything must come from our own origin. img-src allows data: for the empty favicon.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}}
# --- end of the security block ------------------------------------------------------------

# Health and metrics (operations/health.py, operations/access.py; docs/operations.md).
HEALTH_STORAGE_SECONDS = float(os.environ.get("DIARIUM_HEALTH_STORAGE_SECONDS", 30))
HEALTH_WORKER_SECONDS = float(os.environ.get("DIARIUM_HEALTH_WORKER_SECONDS", 60))
HEALTH_QUEUE_WAIT_SECONDS = float(os.environ.get("DIARIUM_HEALTH_QUEUE_WAIT_SECONDS", 600))
HEALTH_REQUIRE_WORKERS = env_bool("DIARIUM_HEALTH_REQUIRE_WORKERS")
# /metrics answers only a scraper with this bearer token or from these networks; 404 when
# neither is set.
METRICS_TOKEN = os.environ.get("DIARIUM_METRICS_TOKEN", "")
METRICS_ALLOW = [a for a in os.environ.get("DIARIUM_METRICS_ALLOW", "").split(",") if a.strip()]

# Logs go to standard error, as text or (DIARIUM_LOG_FORMAT=json) one JSON object a line.
LOG_FORMAT = os.environ.get("DIARIUM_LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "diarium.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             **({"formatter": "json"} if LOG_FORMAT == "json" else {})}},
    "root": {"handlers": ["console"], "level": os.environ.get("DIARIUM_LOG_LEVEL", "WARNING")},
}
