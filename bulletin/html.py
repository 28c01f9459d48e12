"""Sanitizing of article HTML.

Bodies come from editors, the print-text importer and Word files. Whatever the source, what is
stored is a fixed set of harmless tags: nothing that can run script in a reader's browser.

The admin's rich-text editor (articles/admin_forms.py) writes a subset of these tags, and exactly
the attributes kept here, so an article saved unchanged is stored unchanged
(tests/articles/test_editor.py). No class, style or span is kept: neither the editor nor the
site's stylesheets give a body element a class (they style .article__body's plain tags), so a
class could only borrow the site's own look (a fake notice, a hidden block). Text pasted from Word
or WPS keeps its structure and loses its fonts, sizes and colours.

Images come from the site itself (MEDIA_URL, where uploads are, or any other same-site path) or
from a host in settings.BULLETIN_ALLOWED_IMAGE_HOSTS (none by default): an image from anywhere
else would tell that host who reads which article, and is dropped whole.
"""

import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.http.request import validate_host

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "hr",
}

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    # The admin editor (articles/admin_forms.py) marks numbered lists with data-type="decimal".
    "ol": {"start", "data-type"},
}

ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# An <img> as nh3 writes it: attribute values always in double quotes (which may hold a ">").
_IMG = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')
_HAS_SRC = re.compile(r'\ssrc="')
# What browsers drop from a URL before reading it (so "/\t/host" means "//host").
_URL_NOISE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def is_allowed_image_source(src: str) -> bool:
    """True when an <img src> is on this site or on an allowed image host."""
    url = _URL_NOISE.sub("", src).strip(_C0_AND_SPACE)
    if not url:
        return False
    if settings.MEDIA_URL and url.startswith(settings.MEDIA_URL):
        return True
    # Browsers read a backslash as a slash: "/\\host/x" is another host, like "//host/x".
    if "\\" in url or url.startswith("//"):
        return False
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return True  # a path on this site
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return False
    return validate_host(parts.hostname, settings.BULLETIN_ALLOWED_IMAGE_HOSTS)


def _filter_attribute(tag, attribute, value):
    if tag == "img" and attribute == "src" and not is_allowed_image_source(value):
        return None
    return value


def _drop_images_without_source(html: str) -> str:
    return _IMG.sub(lambda m: m.group(0) if _HAS_SRC.search(m.group(0)) else "", html)


def sanitize_html(html: str) -> str:
    """Return ``html`` reduced to the tags and attributes an article body may hold."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )
    return _drop_images_without_source(cleaned).strip()
