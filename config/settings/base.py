"""Settings shared by every environment. Environment-specific files override these."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("SINERGI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "sinergi.core",
    "sinergi.organisation",
    "sinergi.accounts",
    "sinergi.audit",
    "sinergi.notifications",
    "sinergi.guide",
    "sinergi.scheduling",
    "sinergi.rehabilitation",
    "sinergi.budget",
    "sinergi.staff",
    "sinergi.pillars",
    "sinergi.performance",
    "sinergi.sakip",
    "sinergi.meetings",
    "sinergi.innovations",
    "sinergi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sinergi.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sinergi.core.middleware.OfficeLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sinergi.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sinergi.accounts.middleware.RequirePasswordChangeMiddleware",
    "sinergi.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sinergi.core.context_processors.shell",
                "sinergi.notifications.context_processors.unread",
            ],
            "builtins": ["sinergi.core.templatetags.sinergi_format"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (production, CI) or SQLite (zero-setup default, WAL mode).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sinergi.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sinergi.accounts.backends.RoleBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A working day; the session ends when the browser closes or after 8 hours.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (Django's built-in CSP). Scripts only from our origin or with a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# django-axes: lock an account+address pair out after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours (15 minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Sinergi Dinsos")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS: list[Path] = []
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"  # uploads are only served through access-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "100"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background jobs ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Email ----------------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 20,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sinergi <no-reply@localhost>")

# --- Logging: no personal data in logs (request paths carry no identity numbers) -------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Sinergi --------------------------------------------------------------------------------
SINERGI = {
    "OFFICE_NAME": os.environ.get("SINERGI_OFFICE_NAME", "Dinas Sosial Provinsi Jawa Timur"),
    "PROVINCE_CODE": os.environ.get("SINERGI_PROVINCE_CODE", "35"),
    "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "sinergi-demo"),
    # Signed-in sessions end after this many idle minutes.
    "IDLE_TIMEOUT_MINUTES": int(os.environ.get("SINERGI_IDLE_TIMEOUT_MINUTES", "60")),
    # Full address of the site, for links in emails (e.g. https://sinergi.dinsos.jatimprov.go.id).
    "SITE_URL": os.environ.get("SINERGI_SITE_URL", ""),
    # Imports above this many rows run as a background job with a progress bar.
    "IMPORT_SYNC_MAX_ROWS": int(os.environ.get("SINERGI_IMPORT_SYNC_MAX_ROWS", "2000")),
    # Exports above this many rows run as a background job (budget P3).
    "EXPORT_SYNC_MAX_ROWS": int(os.environ.get("SINERGI_EXPORT_SYNC_MAX_ROWS", "20000")),
    # Uploaded/exported files are deleted after this many days (the records and counts stay).
    "IMPORT_FILE_RETENTION_DAYS": int(os.environ.get("SINERGI_IMPORT_FILE_RETENTION_DAYS", "30")),
    "EXPORT_FILE_RETENTION_DAYS": int(os.environ.get("SINERGI_EXPORT_FILE_RETENTION_DAYS", "30")),
    # An import or export job with no progress for this long is marked failed (start it again).
    "STALLED_WORK_MINUTES": int(os.environ.get("SINERGI_STALLED_WORK_MINUTES", "60")),
    # core may not import the audit app; it reaches audit.record() through this dotted path.
    "AUDIT_RECORDER": "sinergi.audit.services.record",
    "SKP_DUE_DAY": int(os.environ.get("SINERGI_SKP_DUE_DAY", "5")),  # monthly SKP due by this day
    "SKP_REMINDER_DAYS": int(os.environ.get("SINERGI_SKP_REMINDER_DAYS", "3")),  # days before due
    "SKP_EVIDENCE_MAX_MB": int(os.environ.get("SINERGI_SKP_EVIDENCE_MAX_MB", "5")),  # max MB a file
}
