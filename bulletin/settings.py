"""Settings for the bulletin CMS, read from the environment.

Variables (all optional for a local trial run):
  DATABASE_URL          e.g. postgres://user@host:5432/bulletin (default: SQLite in the data folder)
  BULLETIN_DATA_DIR     folder for the SQLite file, uploaded media and the search index (default ./var)
  DJANGO_SECRET_KEY     required when DEBUG is off
  DJANGO_DEBUG          1/true/yes to turn debug on (default off)
  DJANGO_ALLOWED_HOSTS  comma-separated host names, required when DEBUG is off
  BULLETIN_CACHE_URL    redis://… for a Redis cache (also REDIS_URL); default: files in the data folder
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

DATA_DIR = Path(os.environ.get("BULLETIN_DATA_DIR") or BASE_DIR / "var").resolve()

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

if not DEBUG:
    # A production start with a missing or throw-away key would sign sessions with a guessable
    # value; refuse before serving anything.
    if not SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off the site refuses to start "
            "without a secret key: set DJANGO_SECRET_KEY to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), '
            "or set DJANGO_DEBUG=1 for a local trial run."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. With DJANGO_DEBUG off, list the host names the "
            "site answers to, e.g. DJANGO_ALLOWED_HOSTS=bulletin.example.org"
        )
else:
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "mptt",
    "concurrency",
    "reversion",
    "django_prose_editor",
    "haystack",
    "bulletin",
    "bulletin.site",
    "issues",
    "articles",
    "people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come precompressed), above everything that writes bodies.
    "bulletin.pagecache.GZipUnlessCsrfMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bulletin.site.urls"
WSGI_APPLICATION = "bulletin.wsgi.application"

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
                "bulletin.context_processors.publication",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'bulletin.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Let a second writer wait instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Take the write lock when a transaction begins: two writers then queue for it instead of
    # one failing when it upgrades a read lock (what the workflow's state changes rely on).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# --- Caching (bulletin/pagecache.py) -------------------------------------------------------------
# One cache every gunicorn worker shares: Redis when BULLETIN_CACHE_URL (or REDIS_URL) is set
# (e.g. redis://cache:6379/0; needs `pip install redis`), else files in the data folder. Readers'
# pages are stored whole for BULLETIN_PAGE_CACHE_SECONDS and dropped at once when published
# content changes; browsers and proxies may keep them BULLETIN_PAGE_MAX_AGE seconds.
CACHE_URL = os.environ.get("BULLETIN_CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "bulletin",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            # Each store lists the folder when it is over this size (FileBasedCache culls).
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
BULLETIN_PAGE_CACHE_SECONDS = int(os.environ.get("BULLETIN_PAGE_CACHE_SECONDS", "600"))
BULLETIN_PAGE_MAX_AGE = int(os.environ.get("BULLETIN_PAGE_MAX_AGE", "60"))
# --- end of caching ------------------------------------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

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

# Uploads: covers and article images are checked by Pillow; keep request bodies bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Search: Whoosh in a folder of the data dir. For the scale-out path set ELASTICSEARCH_URL
# (e.g. http://search:9200/) and ELASTICSEARCH_INDEX: haystack's Elasticsearch 7 backend is
# used instead, with no code change (install django-haystack's elasticsearch extra).
if os.environ.get("ELASTICSEARCH_URL"):
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
            "URL": os.environ["ELASTICSEARCH_URL"],
            "INDEX_NAME": os.environ.get("ELASTICSEARCH_INDEX", "bulletin"),
        },
    }
else:
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "articles.search.backend.ChineseWhooshEngine",
            "PATH": str(DATA_DIR / "whoosh_index"),
            "WRITER_PROCS": int(os.environ.get("SEARCH_WRITER_PROCS", "2")),
            # rebuild_index loads this many articles at a time, each batch one Whoosh commit
            "BATCH_SIZE": 5000,
        },
    }
HAYSTACK_SIGNAL_PROCESSOR = "articles.search.signals.QueuedSignalProcessor"

# The publication this site shows; empty means the first one created.
BULLETIN_PUBLICATION_SLUG = os.environ.get("BULLETIN_PUBLICATION_SLUG", "")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Mailing labels of the distribution list: overrides of people.exports.LABEL_DEFAULTS (A4,
# 3 × 8 a sheet; margins and gaps in millimetres, font size in points), e.g. {"rows": 7}.
BULLETIN_LABELS = {}
