"""Django settings for GeoCivic, read from environment variables.

``DATABASE_URL`` picks the PostGIS server; unset, the embedded cluster under ``.data/`` is used
(see ``geo_civic.operations.embedded_db``). Every variable is listed in the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from geo_civic.operations import embedded_db
from geo_civic.web import email_url, params, rate_limits

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable, spelled as a request parameter would be; a typo is refused, and an
    empty value is the default (``GEO_CIVIC_THROTTLE=`` must not mean off)."""
    value = os.environ.get(name, "")
    if not value.strip():
        return default
    try:
        return params.boolean(name, value)
    except params.ParameterError as exc:
        raise ImproperlyConfigured(str(exc)) from None


# `GEO_CIVIC_ENV=production` turns debug off, requires a real secret key and secures cookies.
PRODUCTION = os.environ.get("GEO_CIVIC_ENV", "development") == "production"
DEBUG = env_bool("GEO_CIVIC_DEBUG", not PRODUCTION)
DEVELOPMENT_SECRET_KEY = "geo-civic-development-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_gis",
    "knox",
    "drf_spectacular",
    "procrastinate.contrib.django",
    "csp",
    "axes",
    "geo_civic.territories",
    "geo_civic.actors",
    "geo_civic.geocoding",
    "geo_civic.accounts",
    "geo_civic.contributions",
    "geo_civic.operations",
    "geo_civic.pages",
    "geo_civic.participation",
    "geo_civic.notifications",
    "geo_civic.social",
    "layers",
    "importers",
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # With replicas: GET/HEAD may read them, unless this client wrote moments ago.
    "geo_civic.web.primary_after_writes.PrimaryAfterWritesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for data answers only, never for pages with CSRF tokens (see its docstring: BREACH).
    "geo_civic.web.compression.DataCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Before anything reads the request: NUL characters and too many parameters are a 400.
    "geo_civic.web.malformed_requests.MalformedRequestMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Order matters: responses pass the basemap middleware first, then django-csp's.
    "csp.middleware.CSPMiddleware",
    "geo_civic.web.basemap.BasemapTilesCSPMiddleware",
    # Last, as django-axes requires: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]



# Rate limits (geo_civic.web.rate_limits), per client address and per account, in fixed windows:
# COUNT/UNIT with units s, m, h, d ("20/15m"), or "off". GEO_CIVIC_THROTTLE=off turns every
# limit off, django-axes' login lockout included (tests, load benchmarks; never in production).
GEO_CIVIC_THROTTLE = env_bool("GEO_CIVIC_THROTTLE", True)
GEO_CIVIC_RATE_PASSWORD_RESET = os.environ.get("GEO_CIVIC_RATE_PASSWORD_RESET", "5/h")
GEO_CIVIC_RATE_SIGNUP = os.environ.get("GEO_CIVIC_RATE_SIGNUP", "5/h")
GEO_CIVIC_RATE_REPORT = os.environ.get("GEO_CIVIC_RATE_REPORT", "10/h")
GEO_CIVIC_RATE_PREVIEW = os.environ.get("GEO_CIVIC_RATE_PREVIEW", "60/h")
GEO_CIVIC_RATE_INVITATION = os.environ.get("GEO_CIVIC_RATE_INVITATION", "20/h")
# Reverse proxies in front of the app that append to X-Forwarded-For (0: clients connect directly).
GEO_CIVIC_PROXY_COUNT = int(os.environ.get("GEO_CIVIC_PROXY_COUNT", "0"))
for _rate in ("PASSWORD_RESET", "SIGNUP", "REPORT", "PREVIEW", "INVITATION"):
    try:
        rate_limits.parse_rate(globals()[f"GEO_CIVIC_RATE_{_rate}"])
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(f"GEO_CIVIC_RATE_{_rate}: {exc}") from None

# Login lockout (django-axes): 5 failures for a user name from one address lock that pair out
# for 15 minutes, and GEO_CIVIC_LOGIN_FAILURES_PER_IP failures from one address across any user
# names (password spraying) lock the address out (geo_civic.accounts.login_lockout). Every login
# form that uses Django's authenticate() is covered.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = GEO_CIVIC_THROTTLE
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "geo_civic.accounts.login_lockout.AddressWideLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "geo_civic.web.rate_limits.client_ip"
AXES_LOCKOUT_CALLABLE = "geo_civic.accounts.login_lockout.lockout_response"
GEO_CIVIC_LOGIN_FAILURES_PER_IP = int(os.environ.get("GEO_CIVIC_LOGIN_FAILURES_PER_IP", "20"))
AXES_USERNAME_CALLABLE = "geo_civic.accounts.login_attempts.attempted_username"

ROOT_URLCONF = "geo_civic.urls"
WSGI_APPLICATION = "geo_civic.wsgi.application"

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
                "geo_civic.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            engine="django.contrib.gis.db.backends.postgis",
            conn_max_age=60,
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {"default": embedded_db.django_settings()}

# Streaming replicas serve public reads (geo_civic.operations.replicas): replica_0, replica_1…
_replica_urls = os.environ.get("GEO_CIVIC_REPLICA_URLS", "").split(",")
for _index, _url in enumerate(u.strip() for u in _replica_urls if u.strip()):
    DATABASES[f"replica_{_index}"] = dj_database_url.parse(
        _url,
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=60,
        conn_health_checks=True,
    )
    # A replica that does not answer must not hold a request for long; in tests, a replica
    # alias is the test database itself.
    DATABASES[f"replica_{_index}"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES[f"replica_{_index}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["geo_civic.operations.replicas.ReplicaRouter"]
# A replica further behind than this many bytes of WAL is skipped until it catches up.
GEO_CIVIC_REPLICA_MAX_LAG_BYTES = int(os.environ.get("GEO_CIVIC_REPLICA_MAX_LAG_BYTES", 16 << 20))
GEO_CIVIC_REPLICA_CHECK_SECONDS = float(os.environ.get("GEO_CIVIC_REPLICA_CHECK_SECONDS", "1"))
# After a write, the same client reads from the primary for this long (read-your-writes).
GEO_CIVIC_REPLICA_STICKY_SECONDS = int(os.environ.get("GEO_CIVIC_REPLICA_STICKY_SECONDS", "10"))

# Debian 12 ships GDAL 3.6, which cannot block file and network access in spatial references
# (GDAL 3.9+ can); we only build references from EPSG codes and the files being imported, which
# are read with GDAL's network off (importers/gdal_open.py).
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("fr", "Français"), ("en", "English")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Indian/Reunion")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The front end is built by esbuild (scripts/build.mjs, run by `make install`) from our sources
# and the npm packages into static_build/, git-ignored; its entries.json says what each page loads.
GEO_CIVIC_BUILD_DIR = BASE_DIR / "static_build"
STATICFILES_DIRS = [GEO_CIVIC_BUILD_DIR / "static"]
# In production, collectstatic gives every file a content-hashed name (the manifest) and gzip and
# brotli copies, which whitenoise serves as `immutable` for a year. Development keeps plain names.
# Django's cache (rate-limit counters among others): Redis when GEO_CIVIC_CACHE_URL is set, shared
# by every app server; otherwise each process keeps its own in memory.
if os.environ.get("GEO_CIVIC_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["GEO_CIVIC_CACHE_URL"],
        }
    }

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# A file whose name holds its content's hash never changes: Django's manifest hash (12 hex
# digits), or esbuild's for the build's chunks and assets (imported by these names).
WHITENOISE_IMMUTABLE_FILE_TEST = (
    r"\.[0-9a-f]{12}\.\w+$|/build/(chunks|assets)/[^/]+-[A-Z0-9]{8}\.\w+$"
)

# Source definitions of official datasets live in data/<kind>/*.toml; downloads are cached in
# data/<kind>/cache/. The mirror is a local folder laid out like ../shared/data, read offline.
GEO_CIVIC_SOURCES_DIR = BASE_DIR / "data"
_default_mirror = BASE_DIR.parent / "shared" / "data"
GEO_CIVIC_DATA_MIRROR = os.environ.get(
    "GEO_CIVIC_DATA_MIRROR", str(_default_mirror) if _default_mirror.is_dir() else ""
)
# Real datasets the tests read (see ../shared/data/MANIFEST.md).
GEO_CIVIC_TEST_DATA = Path(os.environ.get("GEO_CIVIC_TEST_DATA", _default_mirror))

# The basemap under the map; any XYZ tile URL template.
GEO_CIVIC_BASEMAP_URL = os.environ.get(
    "GEO_CIVIC_BASEMAP_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
GEO_CIVIC_BASEMAP_ATTRIBUTION = os.environ.get(
    "GEO_CIVIC_BASEMAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

# The read-only public data (layers, exports, tiles, OGC API) may be read from any site.
CORS_URLS_REGEX = r"^/(api/layers/|api/categories$|api/schema/|tiles/|ogc/)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Content-Disposition", "Link"]
# File exports (one GDAL process each) allowed per client and minute; 0 for no limit.
GEO_CIVIC_EXPORTS_PER_MINUTE = int(os.environ.get("GEO_CIVIC_EXPORTS_PER_MINUTE", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Security. A Content Security Policy everywhere but the admin (whose map widget uses inline
# scripts): our pages load only our own scripts and styles; map pages add the basemap's host.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

# Dataset downloads (importers.downloads): public addresses only, unless tests serve on loopback.
GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE = env_bool("GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE", False)
GEO_CIVIC_DOWNLOAD_MAX_BYTES = int(os.environ.get("GEO_CIVIC_DOWNLOAD_MAX_MB", "2048")) * 1024**2
GEO_CIVIC_DOWNLOAD_MAX_SECONDS = int(os.environ.get("GEO_CIVIC_DOWNLOAD_MAX_SECONDS", "1800"))

if PRODUCTION:
    _problems = []
    if DEBUG:
        _problems.append("DEBUG is on (unset GEO_CIVIC_DEBUG)")
    if GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE:
        _problems.append("GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE is set (downloads could reach inside)")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32:
        _problems.append("SECRET_KEY is unset, the development key, or under 32 characters")
    if not GEO_CIVIC_THROTTLE:
        _problems.append("GEO_CIVIC_THROTTLE is off (rate limits and login lockout)")
    if _problems:
        raise ImproperlyConfigured("refusing to start in production: " + "; ".join(_problems))
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("GEO_CIVIC_HSTS_SECONDS", 31_536_000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("GEO_CIVIC_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Geocoding (geo_civic.geocoding): geopy geocoders asked in order, answers cached in the database.
# "offline" finds a commune of our database named in the address, so it works without network.
GEO_CIVIC_GEOCODERS = [
    name.strip()
    for name in os.environ.get("GEO_CIVIC_GEOCODERS", "ban,nominatim,offline").split(",")
    if name.strip()
]
GEO_CIVIC_BAN_DOMAIN = os.environ.get("GEO_CIVIC_BAN_DOMAIN", "api-adresse.data.gouv.fr")
GEO_CIVIC_NOMINATIM_DOMAIN = os.environ.get(
    "GEO_CIVIC_NOMINATIM_DOMAIN", "nominatim.openstreetmap.org"
)
GEO_CIVIC_GEOCODER_SCHEME = os.environ.get("GEO_CIVIC_GEOCODER_SCHEME", "https")
GEO_CIVIC_GEOCODER_TIMEOUT = float(os.environ.get("GEO_CIVIC_GEOCODER_TIMEOUT", "5"))
GEO_CIVIC_GEOCODER_USER_AGENT = os.environ.get(
    "GEO_CIVIC_GEOCODER_USER_AGENT", "GeoCivic/0.1 (civic map; https://github.com/geocivic)"
)
GEO_CIVIC_NOMINATIM_MIN_DELAY = 1.0
GEO_CIVIC_BAN_MIN_SCORE = 0.5

# E-mail (password reset, notifications): one URL, GEO_CIVIC_EMAIL_URL, e.g.
# smtp://user:pass@host:587/?tls=1 or smtps://user:pass@host; unset, e-mails are printed.
if os.environ.get("GEO_CIVIC_EMAIL_BACKEND"):
    raise ImproperlyConfigured("GEO_CIVIC_EMAIL_BACKEND is gone: set GEO_CIVIC_EMAIL_URL")
globals().update(email_url.email_settings(os.environ.get("GEO_CIVIC_EMAIL_URL", "")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "GeoCivic <noreply@geocivic.invalid>")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-contributions"
LOGOUT_REDIRECT_URL = "map"

# Imports over HTTP (importers.views): the largest upload, and what a zip may inflate to.
GEO_CIVIC_UPLOAD_MAX_BYTES = int(os.environ.get("GEO_CIVIC_UPLOAD_MAX_MB", "512")) * 1024**2
GEO_CIVIC_UPLOAD_MAX_UNZIPPED_BYTES = (
    int(os.environ.get("GEO_CIVIC_UPLOAD_MAX_UNZIPPED_MB", "2048")) * 1024**2
)

# The JSON API /api/v1/ (Django REST framework): session auth with CSRF for the site, bearer tokens
# (django-rest-knox) for apps; refusals as RFC 9457 problem details; rates per client and scope,
# turned off by GEO_CIVIC_THROTTLE=off (tests of volume, benchmarks).
GEO_CIVIC_THROTTLE = os.environ.get("GEO_CIVIC_THROTTLE", "on").strip().lower() != "off"
GEO_CIVIC_THROTTLE_RATES = {
    "anon": os.environ.get("GEO_CIVIC_THROTTLE_ANON", "120/min"),
    "user": os.environ.get("GEO_CIVIC_THROTTLE_USER", "1200/min"),
    "token": os.environ.get("GEO_CIVIC_THROTTLE_TOKEN", "10/min"),
    "write": os.environ.get("GEO_CIVIC_THROTTLE_WRITE", "60/min"),
    # Per client address, whatever tokens or accounts it uses (/api/v1/ actors, directory, tokens).
    "ip": os.environ.get("GEO_CIVIC_THROTTLE_IP", "3000/min"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: an anonymous request is then told 401 with WWW-Authenticate: Bearer.
        # knox's Bearer tokens in one query (it sweeps the user's other tokens on each request).
        "geo_civic.api_v1.bearer.BearerAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["geo_civic.api_v1.throttles.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "geo_civic.api_v1.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Named so accounts.TokenLabel may point at it (knox's token model is swappable).
KNOX_TOKEN_MODEL = "knox.AuthToken"
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": timedelta(days=int(os.environ.get("GEO_CIVIC_TOKEN_DAYS", "30"))),
    "TOKEN_LIMIT_PER_USER": 20,
}
# One OpenAPI 3.1 document (/api/schema/, /api/v1/schema/): the app API's DRF views, and the
# site's JSON endpoints added by a hook from the specs their code parses with.
SPECTACULAR_SETTINGS = {
    "TITLE": "GeoCivic API",
    "DESCRIPTION": "",  # written by the hook (geo_civic/api_v1/site_schema.py)
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The document is public: a stale or wrong token never keeps anyone from reading it.
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # Every v1 operation lists the problems (RFC 9457) it may answer; then the site's own
        # endpoints join, each with its exact refusals.
        "geo_civic.api_v1.schema_parts.document_refusals",
        "geo_civic.api_v1.site_schema.add_site_endpoints",
    ],
}

# Background jobs run on procrastinate (PostgreSQL): `manage.py procrastinate worker` runs them,
# among which the periodic one that moves proposals on at their dates (participation/tasks.py).

# Federation (ActivityPub, geo_civic.federation and geo_civic.fediverse): communes, actors and
# participation spaces are fediverse actors. Their ids use GEO_CIVIC_DOMAIN (required in
# production: `manage.py check --deploy`), else each request's host. Remote actors and inboxes
# are reached on public addresses only; GEO_CIVIC_FEDERATION_ALLOW_PRIVATE=1 opens loopback and
# private ones for tests (refused in production).
INSTALLED_APPS += ["geo_civic.federation"]
GEO_CIVIC_DOMAIN = os.environ.get("GEO_CIVIC_DOMAIN", "").strip()
GEO_CIVIC_FEDERATION_SCHEME = (
    "https" if PRODUCTION else os.environ.get("GEO_CIVIC_FEDERATION_SCHEME", "https")
)
GEO_CIVIC_FEDERATION_ALLOW_PRIVATE = env_bool("GEO_CIVIC_FEDERATION_ALLOW_PRIVATE", False)
# POSTs to our inboxes per client address (each may cost a fetch of the sender's key).
GEO_CIVIC_RATE_INBOX = os.environ.get("GEO_CIVIC_RATE_INBOX", "600/m")
try:
    rate_limits.parse_rate(GEO_CIVIC_RATE_INBOX)
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(f"GEO_CIVIC_RATE_INBOX: {exc}") from None
if PRODUCTION and GEO_CIVIC_FEDERATION_ALLOW_PRIVATE:
    raise ImproperlyConfigured(
        "refusing to start in production: GEO_CIVIC_FEDERATION_ALLOW_PRIVATE is set "
        "(federation could reach inside)"
    )

# Follow and news (geo_civic/social): uploaded news images, re-encoded, in MEDIA_ROOT.
# Uploaded files waiting for a worker (large imports) live there too, in the default storage.
MEDIA_ROOT = os.environ.get("GEO_CIVIC_MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
GEO_CIVIC_NEWS_IMAGE_MAX_BYTES = 8 * 1024 * 1024
GEO_CIVIC_NEWS_IMAGE_WIDTHS = (320, 640, 1280)

# Notifications (geo_civic.notifications): links in e-mails and pushes are absolute, under
# GEO_CIVIC_SITE_URL. Web Push signs with a VAPID key pair made on first use and kept in the
# database, unless GEO_CIVIC_VAPID_PRIVATE_KEY (PEM) gives one; GEO_CIVIC_VAPID_SUBJECT is the
# contact push services may write to. Push endpoints must be public https addresses, unless
# GEO_CIVIC_PUSH_ALLOW_PRIVATE is set (tests serve a push service on loopback).
GEO_CIVIC_SITE_URL = os.environ.get("GEO_CIVIC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
GEO_CIVIC_VAPID_PRIVATE_KEY = os.environ.get("GEO_CIVIC_VAPID_PRIVATE_KEY", "")
GEO_CIVIC_VAPID_SUBJECT = os.environ.get("GEO_CIVIC_VAPID_SUBJECT", "mailto:admin@geocivic.invalid")
GEO_CIVIC_PUSH_ALLOW_PRIVATE = env_bool("GEO_CIVIC_PUSH_ALLOW_PRIVATE", False)
if PRODUCTION and GEO_CIVIC_PUSH_ALLOW_PRIVATE:
    raise ImproperlyConfigured(
        "refusing to start in production: GEO_CIVIC_PUSH_ALLOW_PRIVATE is set (pushes could "
        "reach inside)"
    )
# A job whose worker sent no heartbeat for this long (killed, machine lost) is retried by the
# periodic check (geo_civic.notifications.tasks.retry_stalled_jobs).
GEO_CIVIC_STALLED_JOB_SECONDS = int(os.environ.get("GEO_CIVIC_STALLED_JOB_SECONDS", "60"))
# Steward uploads (importers.views) larger than this run as a job: 202 and a URL to poll.
GEO_CIVIC_ASYNC_IMPORT_BYTES = int(os.environ.get("GEO_CIVIC_ASYNC_IMPORT_BYTES", 5 * 1024**2))
