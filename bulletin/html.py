"""Sanitizing of article HTML.

Bodies come from editors, the print-text importer and Word files. Whatever the source, what is
stored is a fixed set of harmless tags: nothing that can run script in a reader's browser.

The admin's rich-text editor (articles/admin_forms.py) writes a subset of these tags, and exactly
the attributes kept here, so an article saved unchanged is stored unchanged
(tests/articles/test_editor.py). No class, style or span is kept: text pasted from Word or WPS
keeps its structure and loses its fonts, sizes and colours.
"""

import nh3

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


def sanitize_html(html: str) -> str:
    """Return ``html`` reduced to the tags and attributes an article body may hold."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
