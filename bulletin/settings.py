"""Settings for the bulletin CMS, read from the environment.

Variables (all optional for a local trial run):
  DATABASE_URL          e.g. postgres://user@host:5432/bulletin (default: SQLite in the data folder)
  BULLETIN_DATA_DIR     folder for the SQLite file, uploaded media and the search index (default ./var)
  DJANGO_SECRET_KEY     required when DEBUG is off
  DJANGO_DEBUG          1/true/yes to turn debug on (default off)
  DJANGO_ALLOWED_HOSTS  comma-separated host names, required when DEBUG is off
  DJANGO_CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://bulletin.example.org
  DATABASE_CONN_MAX_AGE seconds a PostgreSQL connection is kept (default 60)
  DJANGO_LOG_LEVEL      level of the console log (default INFO)
  ELASTICSEARCH_URL, ELASTICSEARCH_INDEX  haystack's Elasticsearch backend instead of Whoosh
  SEARCH_WRITER_PROCS   processes writing the Whoosh index (default 2)
  BULLETIN_PUBLICATION_SLUG  the publication the site shows (default the first one)
  BULLETIN_CACHE_URL    redis://… for a Redis cache (also REDIS_URL); default: files in the data folder
Security, with DEBUG off (README, "Security"):
  DJANGO_SECURE_SSL_REDIRECT      redirect http to https (default on; 0 for plain http inside
                                  an intranet, or when the proxy in front redirects itself)
  DJANGO_SECURE_PROXY_SSL_HEADER  1: a TLS-terminating proxy sets X-Forwarded-Proto, trust it
                                  (default off: the header is ignored, any client could send it)
  DJANGO_SECURE_HSTS_SECONDS      Strict-Transport-Security max-age on https (default one
                                  year; 0 turns HSTS off)
  DJANGO_SECURE_COOKIES           session and CSRF cookies only over https (default on)
  BULLETIN_BEHIND_PROXY           number of proxies in front that append the client's address
                                  to X-Forwarded-For (default 0: login throttling counts
                                  REMOTE_ADDR; 1 for one nginx in front)
  BULLETIN_LOGIN_FAILURE_LIMIT    failed logins before a lockout, per user and per address (5)
  BULLETIN_LOGIN_COOLOFF_MINUTES  minutes a lockout lasts after the last failure (30)
"""

import os
from datetime import timedelta
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
    "csp",
    "bulletin.security.AxesConfig",  # django-axes, named in Chinese
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
    # Readers' pages as last sent, answered here without the rest of the stack (pagecache).
    "bulletin.pagecache.SentPageCacheMiddleware",
    # Below WhiteNoise (static files come precompressed), above everything that writes bodies.
    "bulletin.pagecache.GZipUnlessCsrfMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bulletin.security.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
    # diskcache: SQLite-indexed files that every process on the host shares. Django's own
    # FileBasedCache lists its whole folder on every store once it holds many pages.
    CACHES = {
        "default": {
            "BACKEND": "bulletin.pagecache.DiskCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.25,
            "OPTIONS": {"size_limit": 512 * 1024 * 1024},
        }
    }
# Off by default with DEBUG on: a developer's edited template shows at once.
BULLETIN_PAGE_CACHE_SECONDS = int(
    os.environ.get("BULLETIN_PAGE_CACHE_SECONDS") or (0 if DEBUG else 600)
)
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

# --- Security (README, "Security") ---
# Production is safe by default (check --deploy is clean); each switch loosens one thing.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Sent on https responses only, so a plain-http intranet site is not affected.
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS") or 365 * 24 * 3600)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Only a proxy in front may say the request came over https: trusted from the client, the
# header would flip the scheme of absolute links (the API's) and of the secure-cookie check.
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# includeSubDomains and preload would commit every other host of the parent domain (often a
# shared government domain) to https, which is not this site's decision to make.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# Hosts whose images an article body may show (same patterns as DJANGO_ALLOWED_HOSTS, comma-
# separated); images from any other host are dropped when a body is saved (bulletin/html.py).
# The site's own images (MEDIA_URL and other same-site paths) are always kept.
BULLETIN_ALLOWED_IMAGE_HOSTS = env_list("BULLETIN_ALLOWED_IMAGE_HOSTS")

# Content-Security-Policy (django-csp): no inline script and no inline style on the site; the
# admin allows inline styles only (bulletin.security.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # The hosts above, in CSP's spelling: ".example.org" is the domain and its subdomains.
        "img-src": ["'self'", "data:"]
        + [
            source
            for host in BULLETIN_ALLOWED_IMAGE_HOSTS
            for source in ([host[1:], f"*{host}"] if host.startswith(".") else [host])
        ],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
BULLETIN_ADMIN_CSP_UPDATE = {"style-src": ["'unsafe-inline'"]}

# Login throttling (django-axes): a user name, and separately an address, is locked out after
# this many failures until the cool-off has passed since the last one, or an administrator
# unlocks it (admin "登录保护", or manage.py axes_reset_username / axes_reset_ip / axes_reset).
AXES_FAILURE_LIMIT = int(os.environ.get("BULLETIN_LOGIN_FAILURE_LIMIT") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BULLETIN_LOGIN_COOLOFF_MINUTES") or 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "bulletin.security.client_ip_address"
BULLETIN_BEHIND_PROXY = int(os.environ.get("BULLETIN_BEHIND_PROXY") or 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line": {"()": "bulletin.security.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # axes announces itself at every start (every management command): keep its warnings.
        "axes.apps": {"level": "WARNING"},
        # Refused requests: one warning line each, not a traceback (a filter runs on the
        # logger that emits, so each is named; django.request keeps tracebacks of 5xx).
        **{
            name: {"filters": ["one_line"]}
            for name in [
                "django.request",
                "django.security.csrf",
                "django.security.DisallowedHost",
                "django.security.DisallowedRedirect",
                "django.security.RequestDataTooBig",
                "django.security.TooManyFieldsSent",
                "django.security.TooManyFilesSent",
                "django.security.SuspiciousOperation",
                "django.security.SuspiciousFileOperation",
                "django.security.SuspiciousMultipartForm",
                "django.security.SuspiciousSession",
            ]
        },
    },
}

# Mailing labels of the distribution list: overrides of people.exports.LABEL_DEFAULTS (A4,
# 3 × 8 a sheet; margins and gaps in millimetres, font size in points), e.g. {"rows": 7}.
BULLETIN_LABELS = {}
