"""Security plumbing named by the settings: the Content-Security-Policy middleware, the client
address for login throttling, and one-line logs of refused requests (README, "Security")."""

import base64
import functools
import hashlib
import logging
import re

from axes.apps import AppConfig as AxesAppConfig
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's two exceptions to the site's policy.

    The article editor (django-prose-editor) needs its import map, a <script type="importmap">
    that CSP counts as inline script: admin pages allow exactly that one by its hash. Its Tiptap
    injects its stylesheet as a <style> element: admin pages allow inline styles
    (settings.BULLETIN_ADMIN_CSP_UPDATE). Any other inline script stays forbidden everywhere.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(reverse("admin:index")):
            admin = {**settings.BULLETIN_ADMIN_CSP_UPDATE, "script-src": editor_script_hashes()}
            parts.update = {**admin, **(parts.update or {})}
        return parts


@functools.cache
def editor_script_hashes():
    """CSP sources for the article editor's import map: the hash of the exact text it renders
    (its static URLs, hashed in production, are fixed for the life of the process)."""
    from django_prose_editor.widgets import importmap

    content = re.fullmatch(r"<script[^>]*>(.*)</script>", importmap.render(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
    return [f"'sha256-{digest}'"]


def client_ip_address(request):
    """The address login throttling counts failures against (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless BULLETIN_BEHIND_PROXY says how many proxies stand in front: then the
    address the outermost of them saw, read from the right of X-Forwarded-For (each proxy
    appends its peer there; whatever a client writes itself stays on the left, so it cannot
    pick an address to dodge a lockout or to lock someone else out).
    """
    proxies = settings.BULLETIN_BEHIND_PROXY
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class AxesConfig(AxesAppConfig):
    """django-axes, named in Chinese in the admin (axes has no Chinese translation)."""

    verbose_name = "登录保护"

    def ready(self):
        super().ready()
        names = {
            "AccessAttempt": ("登录失败记录", "登录失败记录（锁定）"),
            "AccessLog": ("登录日志", "登录日志"),
            "AccessFailureLog": ("登录失败日志", "登录失败日志"),
        }
        for model_name, (singular, plural) in names.items():
            meta = self.get_model(model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural


MAX_MESSAGE_LENGTH = 300
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class OneLineClientErrors(logging.Filter):
    """Log refused requests (403s, CSRF failures, bad Host headers and other client errors) as
    one short warning line: no traceback, no line breaks a client could smuggle in via the
    path or a header, at most MAX_MESSAGE_LENGTH characters. Server errors (5xx) keep theirs.

    Attached to the loggers that report them (the LOGGING dict in bulletin/settings.py): a
    logger's filter sees the record before any handler does.
    """

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if record.name == "django.request" and not (status and 400 <= status < 500):
            return True
        message = record.getMessage()
        message = CONTROL_CHARACTERS.sub(lambda match: repr(match.group())[1:-1], message)
        if len(message) > MAX_MESSAGE_LENGTH:
            message = message[: MAX_MESSAGE_LENGTH - 1] + "…"
        record.msg, record.args = message, ()
        record.exc_info = record.exc_text = record.stack_info = None
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
