"""Django settings for GeoCivic, read from environment variables.

``DATABASE_URL`` picks the PostGIS server; unset, the embedded cluster under ``.data/`` is used
(see ``geo_civic.embedded_db``). Every variable is listed in the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from geo_civic import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


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
    "geo_civic",
    "geo_civic.territories",
    "geo_civic.actors",
    "geo_civic.geocoding",
    "geo_civic.accounts",
    "geo_civic.contributions",
    "geo_civic.participation",
    "layers",
    "importers",
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Order matters: responses pass the basemap middleware first, then django-csp's.
    "csp.middleware.CSPMiddleware",
    "geo_civic.basemap.BasemapTilesCSPMiddleware",
    # Last, as django-axes requires: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

# Login rate limiting (django-axes): 5 failures for a user name from one address lock that pair
# out for 15 minutes; every login form that uses Django's authenticate() is covered.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

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

# Debian 12 ships GDAL 3.6, which cannot block file and network access in spatial references
# (GDAL 3.9+ can); we only build references from EPSG codes and the files being imported.
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
# Front-end packages come from npm (package-lock.json) and are served from node_modules.
STATICFILES_DIRS = [
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/ol", BASE_DIR / "node_modules" / "ol"),
    ("vendor/markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    ("vendor/protomaps-leaflet", BASE_DIR / "node_modules" / "protomaps-leaflet" / "dist"),
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

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

if PRODUCTION:
    _problems = []
    if DEBUG:
        _problems.append("DEBUG is on (unset GEO_CIVIC_DEBUG)")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32:
        _problems.append("SECRET_KEY is unset, the development key, or under 32 characters")
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

# Accounts (geo_civic.accounts): e-mails (password reset) are printed on the console unless an
# SMTP server is configured.
EMAIL_BACKEND = os.environ.get(
    "GEO_CIVIC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
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
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: an anonymous request is then told 401 with WWW-Authenticate: Bearer.
        "knox.auth.TokenAuthentication",
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
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": timedelta(days=int(os.environ.get("GEO_CIVIC_TOKEN_DAYS", "30"))),
    "TOKEN_LIMIT_PER_USER": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GeoCivic API v1",
    "DESCRIPTION": "Local democracy: spaces, proposals, debate, amendments and votes.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Background jobs run on procrastinate (PostgreSQL): `manage.py procrastinate worker` runs them,
# among which the periodic one that moves proposals on at their dates (participation/tasks.py).
