"""Production is safe by default: `check --deploy` is clean with only the required variables set,
each documented switch loosens exactly one thing, and X-Forwarded-Proto is only believed when a
setting says a proxy is in front.

The defaults are read in a fresh interpreter with a clean environment, as gunicorn would start:
the suite's own settings turn the https redirect off for the test client.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STRIPPED_PREFIXES = ("DJANGO_", "DATABASE_", "BULLETIN_", "ELASTICSEARCH_")

PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "bulletin.settings"
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "BULLETIN_BEHIND_PROXY": settings.BULLETIN_BEHIND_PROXY,
    "img-src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
}))
"""


def production(tmp_path, *command, **env):
    """Run a command in a fresh process with DEBUG off and only the required variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(STRIPPED_PREFIXES)}
    clean.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="bulletin.example.org",
        BULLETIN_DATA_DIR=str(tmp_path / "data"),
        **env,
    )
    return subprocess.run(
        [sys.executable, *command],
        cwd=PROJECT_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(tmp_path, **env):
    result = production(tmp_path, "-c", PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_only_the_required_variables(tmp_path):
    result = production(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_defaults_are_https_only(tmp_path):
    config = production_settings(tmp_path)

    assert config["SECURE_SSL_REDIRECT"] is True
    assert config["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["CSRF_COOKIE_SECURE"] is True
    assert config["SECURE_PROXY_SSL_HEADER"] is None  # X-Forwarded-Proto is not believed
    assert config["BULLETIN_BEHIND_PROXY"] == 0  # nor X-Forwarded-For


def test_switches_for_a_tls_proxy_and_for_plain_http(tmp_path):
    behind_tls_proxy = production_settings(
        tmp_path, DJANGO_SECURE_PROXY_SSL_HEADER="1", BULLETIN_BEHIND_PROXY="1"
    )
    plain_http = production_settings(
        tmp_path,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
    )

    assert behind_tls_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert behind_tls_proxy["SECURE_SSL_REDIRECT"] is True
    assert behind_tls_proxy["BULLETIN_BEHIND_PROXY"] == 1
    assert plain_http["SECURE_SSL_REDIRECT"] is False
    assert plain_http["SESSION_COOKIE_SECURE"] is False
    assert plain_http["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.django_db
def test_a_client_cannot_make_api_links_https_with_x_forwarded_proto(client, publication):
    response = client.get(reverse("api:index"), HTTP_X_FORWARDED_PROTO="https")

    links = json.dumps(response.json())
    assert "http://testserver/api/issues/" in links
    assert "https://" not in links


@pytest.mark.django_db
def test_x_forwarded_proto_is_believed_when_a_proxy_is_configured(client, publication, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get(reverse("api:index"), HTTP_X_FORWARDED_PROTO="https")

    assert json.dumps(response.json()).count("https://testserver") == 2


@pytest.mark.django_db
def test_the_https_redirect_cannot_be_skipped_by_claiming_https(client, publication, settings):
    settings.SECURE_SSL_REDIRECT = True  # the production default

    plain = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    secure = client.get("/", secure=True)

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/"
    assert secure.status_code == 200
    assert "max-age=31536000" in secure["Strict-Transport-Security"]


def test_images_of_allowed_hosts_are_allowed_by_the_csp_too(tmp_path):
    # The sanitizer keeps <img> from BULLETIN_ALLOWED_IMAGE_HOSTS: the browser must load them.
    default = production_settings(tmp_path)
    allowed = production_settings(
        tmp_path, BULLETIN_ALLOWED_IMAGE_HOSTS=".gxzx.gov.cn,img.example.org"
    )

    assert default["img-src"] == ["'self'", "data:"]
    assert allowed["img-src"] == [
        "'self'",
        "data:",
        "gxzx.gov.cn",
        "*.gxzx.gov.cn",
        "img.example.org",
    ]
