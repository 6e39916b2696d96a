"""Django settings for GeoCivic, read from environment variables.

``DATABASE_URL`` picks the PostGIS server; unset, the embedded cluster under ``.data/`` is used
(see ``geo_civic.embedded_db``). Every variable is listed in the README.
"""

import os
from pathlib import Path

import dj_database_url

from geo_civic import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("GEO_CIVIC_DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "geo-civic-development-key-not-for-production")
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
    "geo_civic",
    "geo_civic.territories",
    "geo_civic.actors",
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
]

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
CORS_URLS_REGEX = r"^/(api/layers|api/schema|tiles|ogc)/"
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
