"""The Content-Security-Policy header (django-csp) and the templates it depends on: no inline
script anywhere, no inline style on the public site. tests/browser/test_csp.py shows the same
in Chromium."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import ArticleFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Rendered to PDF by WeasyPrint (people/exports.py), never sent to a browser: its sizes come
# from the label settings, so its stylesheet is written into it.
PDF_ONLY = {"people/labels.html"}

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
INLINE_STYLE = re.compile(r"<style|\sstyle\s*=", re.I)


def directives(header):
    return {name: sources for name, *sources in (d.split() for d in header.split(";"))}


def templates():
    return sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("name", templates())
def test_no_template_has_inline_script(name):
    text = (TEMPLATES / name).read_text(encoding="utf-8")

    assert not INLINE_SCRIPT.findall(text)
    assert not EVENT_HANDLER.findall(text)
    assert "javascript:" not in text


@pytest.mark.parametrize("name", [n for n in templates() if n not in PDF_ONLY])
def test_no_template_has_inline_style(name):
    assert not INLINE_STYLE.findall((TEMPLATES / name).read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_public_pages_forbid_inline_script_and_style(client, publication):
    response = client.get(reverse("bulletin:home"))

    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]


def test_admin_allows_inline_style_and_only_the_editors_import_map(editor_client):
    article = ArticleFactory()

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    policy = directives(response["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    # The one inline script of the page is django-prose-editor's import map: its exact hash.
    (import_map,) = re.findall(
        r'<script type="importmap">(.*?)</script>', response.content.decode(), re.S
    )
    digest = base64.b64encode(hashlib.sha256(import_map.encode()).digest()).decode()
    assert policy["script-src"] == ["'self'", f"'sha256-{digest}'"]


def test_the_500_page_has_no_inline_style_and_its_stylesheet_exists():
    page = render_to_string("500.html")

    assert "服务暂时不可用" in page
    assert "style=" not in page
    assert '<link rel="stylesheet" href="/static/css/error.css">' in page
    assert finders.find("css/error.css")
