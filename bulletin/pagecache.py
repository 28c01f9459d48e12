"""The readers' pages, cached whole in the shared cache and invalidated by a content generation.

Every public page shows some mix of publications, issues, articles, sections and authors, and a
correction to any of them may change many pages (the home page, an issue's contents, the
section and author lists, the feeds, the sitemap). Rather than track which page shows what, the
cache keys carry a *generation*: a token stored in the cache and replaced whenever a row of a
public-facing model is saved or deleted (PUBLIC_MODELS). Replacing it makes every cached page
unreachable at once; old entries expire on their own (BULLETIN_PAGE_CACHE_SECONDS).

The generation is replaced after the transaction commits, so a page rendered from the old rows
is never stored under the new token; and, for a reader sharing the writer's thread (the tests'
transaction), at the first change after that thread last read it. Writes that bypass model
signals (QuerySet.update(), bulk_create, raw SQL, a restore) call ``bump_generation()``
themselves, or an operator runs ``manage.py clear_page_cache``.

Only anonymous GET/HEAD requests without a session or messages cookie are served from or stored
in the cache: staff see previews and drafts (bulletin.preview), and their pages are never
shared. Readers' pages carry no CSRF token or other secret, so they may be compressed; pages
that do carry a CSRF token are not (GZipUnlessCsrfMiddleware, against BREACH).
"""

import functools
import hashlib
import secrets
import threading
import time

from diskcache import DjangoCache
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import signals
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

GENERATION_KEY = "bulletin:pages:generation"
# The models whose rows appear on readers' pages ("app_label.ModelName").
PUBLIC_MODELS = (
    "bulletin.Publication",
    "issues.Issue",
    "issues.IssueSection",
    "issues.IssueCredit",
    "articles.Article",
    "articles.Section",
    "articles.Authorship",
    "articles.ArticleImage",
    "people.Person",
    "people.Organisation",
)
# Response headers worth keeping with a cached page (the rest are added per request by the
# middleware: security headers, Vary, cookies).
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag")

_local = threading.local()


def _cache():
    return caches[getattr(settings, "BULLETIN_PAGE_CACHE", "default")]


# The generation -----------------------------------------------------------------------------


def _new_generation():
    return {"token": f"{time.time_ns():x}{secrets.token_hex(4)}", "at": time.time()}


def current_generation():
    """The current generation ({"token", "at": epoch seconds}); a new one if the cache lost it."""
    _local.read_since_bump = True
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY) or _new_generation()
    return generation


def bump_generation():
    """Make every cached page stale: call after the change is committed."""
    _cache().set(GENERATION_KEY, _new_generation(), timeout=None)
    _local.read_since_bump = False


def _bump_after_commit():
    bump_generation()


def content_changed(**kwargs):
    """Signal receiver: a public-facing row changed (or will, when its transaction commits)."""
    connection = transaction.get_connection(kwargs.get("using") or "default")
    if not connection.in_atomic_block:
        bump_generation()
        return
    # One bump when the transaction commits, however many rows it writes (a rollback drops it).
    if not any(func is _bump_after_commit for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_bump_after_commit, using=connection.alias)
    # A reader in this very transaction (the test suite's, a view that writes then reads) must
    # not get a page stored before the change either; other readers wait for the commit.
    if getattr(_local, "read_since_bump", True):
        bump_generation()


def connect_signals():
    """Called from BulletinConfig.ready(): bump on any write to a public-facing model."""
    from django.apps import apps

    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        uid = f"bulletin.pagecache:{label}"
        signals.post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        signals.post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            signals.m2m_changed.connect(content_changed, sender=through, dispatch_uid=uid)


# The page cache -----------------------------------------------------------------------------


def _max_age():
    return getattr(settings, "BULLETIN_PAGE_MAX_AGE", 60)


def _cacheable_request(request):
    """Anonymous readers only, decided without touching the session store: no session cookie
    (staff are logged in), no messages cookie (a one-off notice), a safe method."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request, generation):
    url = request.build_absolute_uri()  # feeds and sitemaps hold absolute links
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"bulletin:pages:{generation['token']}:{digest}"


def _stored(response):
    return {
        "status": response.status_code,
        "content": response.content,
        "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
        "etag": f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"',
    }


def _response(entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"].items():
        response[header] = value
    response["ETag"] = entry["etag"]
    return response


def _for_readers(request, response, generation):
    """Validators and cache headers of a page every reader gets alike; 304 when it matches."""
    response["Last-Modified"] = http_date(generation["at"])
    patch_cache_control(response, public=True, max_age=_max_age())
    patch_vary_headers(response, ["Cookie"])
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(generation["at"]),
        response=response,
    )


def public_page(view):
    """Serve ``view`` (a readers' page) from the shared cache for anonymous readers.

    Staff (session cookie) get the page rendered afresh with ``Cache-Control: private,
    no-cache``: it may be a preview. Only 200 responses are stored.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                patch_cache_control(response, private=True, no_cache=True)
                patch_vary_headers(response, ["Cookie"])
            return response
        cache = _cache()
        generation = current_generation()
        key = _key(request, generation)
        entry = cache.get(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            if hasattr(response, "render") and callable(response.render):
                response.render()
            entry = _stored(response)
            timeout = getattr(settings, "BULLETIN_PAGE_CACHE_SECONDS", 600)
            if timeout > 0:  # 0 turns the server's copy off (headers and 304s stay)
                cache.set(key, entry, timeout=timeout)
            response["ETag"] = entry["etag"]
        else:
            response = _response(entry)
        response = _for_readers(request, response, generation)
        response.public_page = True  # SentPageCacheMiddleware may keep it as sent
        return response

    return wrapper


# The sent page ------------------------------------------------------------------------------
# A cached page still went through every middleware (sessions, locale, CSRF, CSP, axes,
# compression) on each request: most of its cost. SentPageCacheMiddleware, just below
# WhiteNoise, also keeps the page as it was sent (headers and compressed body) and answers the
# next anonymous GET of the same URL at once, as WhiteNoise does a static file. Its key holds
# the same generation, read before the page was rendered.

SENT_HEADERS_DROPPED = ("Set-Cookie", "Date", "Content-Length")


def _sent_key(request, generation):
    gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    return _key(request, generation).replace(":pages:", ":sent:gz:" if gzip else ":sent:id:", 1)


class SentPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or not _cacheable_request(request):
            return self.get_response(request)
        key = _sent_key(request, current_generation())
        entry = _cache().get(key)
        if entry is not None:
            response = HttpResponse(entry["content"], status=200)
            for header, value in entry["headers"]:
                response[header] = value
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=entry["last_modified"],
                response=response,
            )
        response = self.get_response(request)
        timeout = getattr(settings, "BULLETIN_PAGE_CACHE_SECONDS", 600)
        if (
            timeout > 0
            and getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            headers = [(h, v) for h, v in response.items() if h not in SENT_HEADERS_DROPPED]
            last_modified = response.get("Last-Modified")
            entry = {
                "content": response.content,
                "headers": headers,
                "last_modified": parse_http_date_safe(last_modified) if last_modified else None,
            }
            _cache().set(key, entry, timeout=timeout)
        return response


class DiskCache(DjangoCache):
    """diskcache's Django backend, its SQLite connections kept between requests: Django closes
    every cache when a request finishes, and reopening them cost each page a connection and a
    dozen setup statements. diskcache keeps one connection a thread, safe to reuse."""

    def close(self, **kwargs):
        pass


class GZipUnlessCsrfMiddleware(GZipMiddleware):
    """GZipMiddleware, except for responses that hold a CSRF token (admin forms, the login
    page): a secret in a compressed page sent alongside attacker-chosen text is what BREACH
    reads out. Readers' pages hold none, and they are the pages worth compressing."""

    def process_response(self, request, response):
        # CsrfViewMiddleware (below) sets the cookie on every response whose page used the token.
        if settings.CSRF_COOKIE_NAME in response.cookies:
            return response
        return super().process_response(request, response)
