"""The one settings module. Everything comes from environment variables; see README "Configuration"."""

from __future__ import annotations

from datetime import timedelta

import django_stubs_ext
from django.utils.csp import CSP

from socialdesk.config import (
    api_bases,
    data_dir,
    env,
    env_bool,
    env_choice,
    env_int,
    oidc_settings,
    parse_database_url,
    secret_key,
    smtp_mailer,
    sqlite_database,
)
from socialdesk.jobs import beat_schedule

# Lets admin and querysets be subscripted for the type checker at run time too.
django_stubs_ext.monkeypatch()

DATA_DIR = data_dir()
SECRET_KEY = secret_key()
DEBUG = env_bool("SOCIALDESK_DEBUG", False)
ALLOWED_HOSTS = (env("SOCIALDESK_ALLOWED_HOSTS") or "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in (env("SOCIALDESK_CSRF_TRUSTED_ORIGINS") or "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Listed so that /api/docs renders Swagger UI from ninja's bundled static files, not from a CDN.
    "ninja",
    # Login throttling: failed attempts are rows (AccessAttempt), so N web processes share the count.
    "axes",
    # Two-factor sign-in: TOTP devices (authenticator apps) and static one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # OpenID Connect sign-in (off unless SOCIALDESK_OIDC_* is set): its views and session refresh.
    "mozilla_django_oidc",
    "socialdesk.workspaces",
    "socialdesk.channels",
    "socialdesk.conversations",
    "socialdesk.ingest",
    "socialdesk.policy",
    "socialdesk.triage",
    "socialdesk.incidents",
    "socialdesk.outbox",
    "socialdesk.notifications",
    "socialdesk.reports",
    "socialdesk.roster",
    "socialdesk.privacy",
    "socialdesk.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (SECURE_CSP below): Django's own, since 6.0.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Hostile input (NULs, JSON nested too deep, numbers past any integer column) is a 400 here.
    "socialdesk.web.boundary.InputBoundary",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the session's user as verified once they gave a second factor (user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # A signed-in user who owes a second factor (or must enrol) reaches only the pages that settle it.
    "socialdesk.web.two_factor.TwoFactorGate",
    "socialdesk.web.clock.WorkspaceClockMiddleware",
    "socialdesk.web.activity.ActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a refused login (locked out) into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialdesk.urls"
WSGI_APPLICATION = "socialdesk.wsgi.application"

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
                "socialdesk.web.context.user_workspaces",
                "socialdesk.web.context.approvals_waiting",
                "socialdesk.web.context.notifications_unread",
                "socialdesk.web.context.my_status",
                "socialdesk.web.context.can_plan",
                "socialdesk.web.clock.desk_zone",
            ],
        },
    },
]

_database_url = env("DATABASE_URL")
DATABASES = {
    "default": parse_database_url(_database_url)
    if _database_url
    else sqlite_database(DATA_DIR / "socialdesk.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Keys used to encrypt channel credentials at rest (comma-separated Fernet keys, newest first, for rotation).
# Without them a key is derived from SECRET_KEY.
SOCIALDESK_ENCRYPTION_KEYS = [k for k in (env("SOCIALDESK_ENCRYPTION_KEYS") or "").split(",") if k]

# Notifications by email (socialdesk.notifications.mail): off until an SMTP host is set.
SOCIALDESK_SMTP_HOST = env("SOCIALDESK_SMTP_HOST") or ""
SOCIALDESK_SMTP_PORT = env_int("SOCIALDESK_SMTP_PORT", 587)
SOCIALDESK_SMTP_USER = env("SOCIALDESK_SMTP_USER") or ""
SOCIALDESK_SMTP_PASSWORD = env("SOCIALDESK_SMTP_PASSWORD") or ""
SOCIALDESK_SMTP_SECURITY = env_choice("SOCIALDESK_SMTP_SECURITY", ("starttls", "tls", "none"), "starttls")
SOCIALDESK_EMAIL_FROM = env("SOCIALDESK_EMAIL_FROM") or "Socialdesk <socialdesk@localhost>"
# Django's mailers: the desk sends only notification email, through the SMTP server above.
MAILERS = {
    "default": smtp_mailer(
        SOCIALDESK_SMTP_HOST,
        SOCIALDESK_SMTP_PORT,
        SOCIALDESK_SMTP_USER,
        SOCIALDESK_SMTP_PASSWORD,
        SOCIALDESK_SMTP_SECURITY,
    )
}
# Where people open the desk: links in notification emails and webhooks are made absolute with it.
SOCIALDESK_BASE_URL = env("SOCIALDESK_BASE_URL") or "http://127.0.0.1:8000"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# WhiteNoise indexes files once, when the WSGI app loads. Serving the installed packages' static files
# through the finders means the desk's scripts are there on the very first start under any WSGI server,
# whether or not `collectstatic` ran before (`socialdesk serve` still collects, for speed).
WHITENOISE_USE_FINDERS = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:inbox"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account, or from one
# address, logins from there are refused for the cool-off, right password or not; a success before the
# limit clears the count. Both the desk's login page and the admin's go through it.
AUTHENTICATION_BACKENDS = [
    "socialdesk.web.throttle.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
    # OpenID Connect: only a user whose verified email matches an existing account (socialdesk.web.sso).
    "socialdesk.web.sso.EmailMatchingBackend",
]
AXES_FAILURE_LIMIT = env_int("SOCIALDESK_LOGIN_FAILURE_LIMIT", 25)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SOCIALDESK_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Two-factor (django-otp): after a wrong code the device refuses every code for 1 s, doubling with each
# further wrong code (2, 4, 8 ... s), so guessing six digits takes years; a right code resets it.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The issuer shown in authenticator apps next to the account name.
OTP_TOTP_ISSUER = env("SOCIALDESK_TOTP_ISSUER") or "Socialdesk"

# OpenID Connect sign-in (mozilla-django-oidc): on when an issuer's endpoints and a client are set.
# See docs/security.md. The secret may come from SOCIALDESK_OIDC_CLIENT_SECRET_FILE.
SOCIALDESK_OIDC = oidc_settings()
OIDC_ENABLED = SOCIALDESK_OIDC is not None
OIDC_RP_CLIENT_ID = SOCIALDESK_OIDC.client_id if SOCIALDESK_OIDC else ""
OIDC_RP_CLIENT_SECRET = SOCIALDESK_OIDC.client_secret if SOCIALDESK_OIDC else ""
OIDC_OP_AUTHORIZATION_ENDPOINT = SOCIALDESK_OIDC.authorization_endpoint if SOCIALDESK_OIDC else ""
OIDC_OP_TOKEN_ENDPOINT = SOCIALDESK_OIDC.token_endpoint if SOCIALDESK_OIDC else ""
OIDC_OP_USER_ENDPOINT = SOCIALDESK_OIDC.userinfo_endpoint if SOCIALDESK_OIDC else ""
OIDC_OP_JWKS_ENDPOINT = SOCIALDESK_OIDC.jwks_endpoint if SOCIALDESK_OIDC else ""
OIDC_RP_SIGN_ALGO = SOCIALDESK_OIDC.sign_algorithm if SOCIALDESK_OIDC else "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
# The library's views, answering 404 while sign-in with a provider is off.
OIDC_AUTHENTICATE_CLASS = "socialdesk.web.sso.StartSignIn"
OIDC_CALLBACK_CLASS = "socialdesk.web.sso.FinishSignIn"
# A refused sign-in (unknown email, email not verified) comes back to the login page with the reason.
LOGIN_REDIRECT_URL_FAILURE = "/login/"
# Off: an unknown (verified) email is refused. On: a user with no workspace is made, to be added by an admin.
OIDC_CREATE_USER = env_bool("SOCIALDESK_OIDC_CREATE_USERS", False)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come only from the desk's own files: no inline script or style, no eval (htmx is
# configured without it in web/base.html), so a post that slipped past escaping still runs nothing.
# Images may be data: URLs (the favicon in Swagger UI's stylesheet, SVG charts are inline markup).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Served over HTTPS (docs/security.md): HSTS, and cookies the browser sends over HTTPS only. Behind a
# proxy that ends TLS, SOCIALDESK_PROXY_SSL_HEADER names the header it sets (X-Forwarded-Proto), so
# Django knows the request came over HTTPS; only set it when the proxy always sets or overwrites it.
SOCIALDESK_HTTPS = env_bool("SOCIALDESK_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SOCIALDESK_HTTPS
SECURE_HSTS_SECONDS = env_int("SOCIALDESK_HSTS_SECONDS", 31_536_000) if SOCIALDESK_HTTPS else 0
_proxy_ssl_header = env("SOCIALDESK_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Where the public reaches this desk (the status page's links in bulletins), e.g. https://help.nimbus.example
SOCIALDESK_PUBLIC_URL = (env("SOCIALDESK_PUBLIC_URL") or "http://localhost:8000").rstrip("/")

# Where each network's API is reached: its public host unless set (a proxy, or a local fake in tests).
SOCIALDESK_API_BASES = api_bases()  # SOCIALDESK_<NAME>_API_BASE, e.g. SOCIALDESK_X_API_BASE

# Celery: in-process (eager) when no broker is configured; Redis or RabbitMQ URL otherwise.
_broker_url = env("SOCIALDESK_BROKER_URL") or ""
CELERY_TASK_ALWAYS_EAGER = not _broker_url
# Eager tasks never touch the broker; "memory://" keeps Celery from looking for one on localhost.
CELERY_BROKER_URL = _broker_url or "memory://localhost/"
CELERY_TASK_DEFAULT_QUEUE = env("SOCIALDESK_QUEUE") or "socialdesk"
CELERY_TASK_EAGER_PROPAGATES = True
# A worker killed mid-task must not lose the task: ack only after the task finished.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = beat_schedule()  # the one job list: socialdesk.jobs

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("SOCIALDESK_LOG_LEVEL") or "WARNING"},
}
