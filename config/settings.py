"""Animedex settings: one module, configured by environment variables.

Every knob has a default that suits a local checkout; README.md lists them all with the values a
production deployment needs. Malformed values fail loudly at start-up rather than half-working.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config import localdb, pool

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Django's DATABASES entry for a postgres:// URL.

    Query parameters other than `host` become libpq options (sslmode=require, …), so a socket
    directory (postgresql://user@/db?host=/run/postgresql) and a TCP server both fit in one string.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be a postgresql:// URL, got {url!r}")
    options = dict(parse_qsl(parts.query))
    host = options.pop("host", "") or unquote(parts.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
    }


DEBUG = env_bool("DEBUG", False)

# A fixed development key keeps sessions across restarts of `make run`; production sets its own
# (`manage.py check --deploy` flags this one).
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-animedex-local-development-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin, with its log-in rate-limited like the site's (config/admin.py).
    "config.apps.AnimedexAdminConfig",
    # Before django.contrib.auth, so that its createsuperuser (which refuses an e-mail address
    # another account has) is the one manage.py runs.
    "accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "catalog",
    "reviews",
    "userlists",
    "customlists",
    "manga",
    "people",
    "throttle",
]

MIDDLEWARE = [
    "config.middleware.DatabaseBusyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.RejectNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees a view's Throttled first and answers with the 429 page.
    "throttle.http.ThrottleMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The admin's templates put the nonce on their own inline <style> and <script>.
                "django.template.context_processors.csp",
            ],
            # The cached loader always, in development too: what runs locally is what production
            # runs. `runserver` still reloads templates when they change.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL") or localdb.database_url())}
# JIT compilation costs more than it saves on a web page's short queries.
DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DATABASES["default"]["OPTIONS"]["pool"] = {
    "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
    "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
    # psycopg waits 30 s for a free connection by default; a busy site should fail fast instead.
    "timeout": env_int("DATABASE_POOL_TIMEOUT", 5),
    # After a database restart the dead connections are thrown away when a request asks for
    # one, instead of failing that request (a poll of the socket, no round trip).
    "check": pool.check_connection,
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each process keeps its own copies of anonymous pages (catalog.page_cache); versions kept in the
# database decide which copies are current, so processes never serve each other stale pages.
# A shared cache would save each gunicorn worker building its own copy, but every hit would cost
# a round trip and unpickling; docs/deploy.md says when that trade changes (several machines).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 5000)},
    }
}

LOGIN_URL = "accounts:login"
# Logging in without a `next` goes to the user's profile (accounts.views.LoginView).
LOGOUT_REDIRECT_URL = "catalog:anime-list"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / ".local" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / ".local" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development, edits to static/ show up without a collectstatic.
WHITENOISE_USE_FINDERS = DEBUG

# Mail goes to the console until EMAIL_HOST names an SMTP server.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Animedex <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    # Only trustworthy when a proxy in front sets this header on every request.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Rate limits count visitors by address (throttle.http.client_address): behind a proxy of ours,
# the last X-Forwarded-For entry, which that proxy appends; otherwise the connection's address.
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# `make serve` turns this off: it runs production's settings on plain http://127.0.0.1, where
# the front web server's TLS is missing.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
# Lax, not Strict: a visitor who follows a link to Animedex from elsewhere arrives logged in.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
# Not HttpOnly on purpose: static/js/animedex.js reads the token to send it with htmx requests.
# The token is no secret from the page itself, and a cross-site page cannot read the cookie.
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: scripts, styles and everything else come from this site's own files.
# No inline <script>, no style="…" attributes, no on…= handlers anywhere in our templates
# (tests/test_csp_browser.py watches for violations). CSP.NONCE adds a per-response nonce only to
# responses that render one: the admin's templates do, for their few inline blocks; ours never
# do, so cached anonymous pages never carry a stale nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
