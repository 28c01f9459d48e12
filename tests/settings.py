"""Test settings: the real settings module, made fast and kept off the developer's data folder."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789"
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("BULLETIN_DATA_DIR", tempfile.mkdtemp(prefix="bulletin-test-"))
# The test client speaks plain http; tests/bulletin/test_security_deploy.py proves the
# production defaults (redirect on) in a fresh process without this.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from bulletin.settings import *  # noqa: E402,F403
from bulletin.settings import DATA_DIR, STATIC_ROOT  # noqa: E402

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "articles.search.backend.ChineseWhooshEngine",
        "PATH": str(DATA_DIR / "whoosh_index"),
    },
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: threads in transactional tests then wait for each other's locks
    # (busy timeout) as separate processes would, instead of failing at once.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
