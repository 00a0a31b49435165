"""Settings shared by every environment.

Values that differ between a workstation and a force's servers come from the environment;
the modules beside this one set the defaults for each.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

SRC_DIR = Path(__file__).resolve().parents[3]
PROJECT_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("CPMP_VAR_DIR", PROJECT_DIR / "var"))

DEBUG = False
ALLOWED_HOSTS = [
    h for h in os.environ.get("CPMP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    # SimpleAdminConfig does not autodiscover, so only the models that cpmp.access.admin
    # registers on its own site appear in the administration pages.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "cpmp.access",
    "cpmp.audit",
    "cpmp.operations",
    "cpmp.authorities",
    "cpmp.oversight",
    "cpmp.assets",
    "cpmp.deployments",
    "cpmp.sources",
    "cpmp.risk",
    "cpmp.deconfliction",
    "cpmp.reminders",
    "cpmp.web",
    "cpmp.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cpmp.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cpmp.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cpmp.audit.context.AuditSourceMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cpmp.web.middleware.AbsoluteSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cpmp.web.middleware.LoginRequiredMiddleware",
    "cpmp.web.middleware.SecondFactorRequiredMiddleware",
    # django-axes turns a lockout into the "locked" page, so it comes last.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks for a lockout before any other backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cpmp.config.urls"
WSGI_APPLICATION = "cpmp.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cpmp.web.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'cpmp.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the register be read while an import writes; the timeout waits out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "access.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CSRF_FAILURE_VIEW = "cpmp.web.views.csrf_failure"

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "authorities:register"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The test settings set this to None, because tests never run collectstatic and WhiteNoise
# serves the files from the apps' static folders.
STATIC_ROOT: Path | None = Path(os.environ.get("CPMP_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Sessions: short idle timeout; the cookie never outlives the browser session.
SESSION_COOKIE_AGE = int(os.environ.get("CPMP_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Seconds after sign-in when a session ends however active it has been: one shift.
CPMP_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("CPMP_SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60))

# Lockout (django-axes): failures counted per username and IP address together, so that one
# person mistyping cannot lock a colleague out from another desk. Wrong second-factor codes
# count as failures too. A successful password does not reset the count, because otherwise
# someone holding the password could guess codes without limit by signing in again.
AXES_FAILURE_LIMIT = int(os.environ.get("CPMP_LOCKOUT_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CPMP_LOCKOUT_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "cpmp.web.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Logs name neither the username nor the address: both are masked in axes' log lines.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
# Lockouts are managed in CPMP's own administration pages, not axes' admin.
AXES_ENABLE_ADMIN = False
# Reverse proxies in front of CPMP that append to X-Forwarded-For. With 0, the header is ignored
# because the client could forge it.
CPMP_TRUSTED_PROXY_COUNT = int(os.environ.get("CPMP_TRUSTED_PROXY_COUNT", 0))
# The same client address as the audit chain records, so CPMP_TRUSTED_PROXY_COUNT applies.
AXES_CLIENT_IP_CALLABLE = "cpmp.web.lockout.client_address"

# Second factor (django-otp TOTP). The issuer names CPMP in the person's authenticator app.
OTP_TOTP_ISSUER = os.environ.get("CPMP_TOTP_ISSUER", "CPMP")
# Seconds to wait after the first wrong code, doubling with each further wrong code.
OTP_TOTP_THROTTLE_FACTOR = 1

# Security headers. HSTS is set in the production settings, which require HTTPS.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Pages may load only the service's own files. GOV.UK Frontend needs no inline script or style;
# img-src allows data: for the QR code on the second-factor set-up page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features the service never uses, each switched off for every origin. Only names that
# Chromium 156 recognises: it reports an unknown one as an error in the console.
CPMP_PERMISSIONS_POLICY = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "clipboard-read",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)

# Uploaded registers are read in memory up to this size; larger files are refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
CPMP_IMPORT_MAX_BYTES = 20 * 1024 * 1024

# Key for the audit chain's HMAC. Each settings module sets it; production reads it from the
# environment, and losing it means old chains can no longer be verified.
CPMP_AUDIT_KEY = os.environ.get("CPMP_AUDIT_KEY", "")
# Keys for fields encrypted at rest (true identities and other marked fields): Fernet keys,
# comma-separated, the first encrypting new values and every one decrypting. Each settings
# module sets them; see docs/access.md for rotation.
CPMP_FIELD_ENCRYPTION_KEYS: list[str] = []
# Events between signed checkpoints of the audit chain.
CPMP_AUDIT_CHECKPOINT_EVERY = 1000

# Demonstration accounts and records may be created only where this is true.
CPMP_DEMONSTRATION_DATA_ALLOWED = False
# The force whose rank rules apply: county (Police Act 1996 s.2 force), met or city.
CPMP_FORCE = os.environ.get("CPMP_FORCE", "met")

# Sign-in with the force's OpenID Connect provider (such as Microsoft Entra ID). Off unless a
# force sets the client id, secret and either the tenant id or every endpoint: there are no
# default endpoints. See docs/security.md.
CPMP_OIDC_CLIENT_ID = os.environ.get("CPMP_OIDC_CLIENT_ID", "")
CPMP_OIDC_CLIENT_SECRET = os.environ.get("CPMP_OIDC_CLIENT_SECRET", "")
CPMP_OIDC_TENANT_ID = os.environ.get("CPMP_OIDC_TENANT_ID", "")
# The claim that names the CPMP account: preferred_username (matched to the username),
# email (matched to the email address) or oid (matched to the linked directory object ID).
CPMP_OIDC_MATCH_CLAIM = os.environ.get("CPMP_OIDC_MATCH_CLAIM", "preferred_username")
CPMP_OIDC_ISSUER = os.environ.get(
    "CPMP_OIDC_ISSUER",
    f"https://login.microsoftonline.com/{CPMP_OIDC_TENANT_ID}/v2.0" if CPMP_OIDC_TENANT_ID else "",
)
_entra_base = (
    f"https://login.microsoftonline.com/{CPMP_OIDC_TENANT_ID}" if CPMP_OIDC_TENANT_ID else ""
)
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get(
    "CPMP_OIDC_AUTHORIZATION_ENDPOINT",
    f"{_entra_base}/oauth2/v2.0/authorize" if _entra_base else "",
)
OIDC_OP_TOKEN_ENDPOINT = os.environ.get(
    "CPMP_OIDC_TOKEN_ENDPOINT", f"{_entra_base}/oauth2/v2.0/token" if _entra_base else ""
)
OIDC_OP_JWKS_ENDPOINT = os.environ.get(
    "CPMP_OIDC_JWKS_ENDPOINT", f"{_entra_base}/discovery/v2.0/keys" if _entra_base else ""
)
# Empty means the claims come from the signed ID token alone, which is what Entra ID needs:
# its user info endpoint returns neither preferred_username nor oid.
OIDC_OP_USER_ENDPOINT = os.environ.get("CPMP_OIDC_USER_ENDPOINT", "")
OIDC_RP_CLIENT_ID = CPMP_OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = CPMP_OIDC_CLIENT_SECRET
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "web:oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/?organisation-sign-in=failed"
CPMP_OIDC_ENABLED = bool(
    CPMP_OIDC_CLIENT_ID
    and CPMP_OIDC_CLIENT_SECRET
    and OIDC_OP_AUTHORIZATION_ENDPOINT
    and OIDC_OP_TOKEN_ENDPOINT
    and OIDC_OP_JWKS_ENDPOINT
)
if CPMP_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("cpmp.access.oidc.OrganisationAccountBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CPMP_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
