"""Feeds carry text that looks like markup as text: a feed reader renders RSS titles and
descriptions and Atom summaries as HTML, so nothing the site shows as text may become an element
there (and Atom titles, which are text, arrive unchanged)."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, IssueFactory, PublicationFactory, SectionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PAYLOAD = "<img src=x onerror=alert(1)>"
# How an editor's body shows the payload as text: escaped once in the stored HTML.
ESCAPED_BODY = "<p>请看&lt;img src=x onerror=alert(1)&gt;这一段</p>"


class Rendered(HTMLParser):
    """What a browser-based feed reader makes of an HTML string: its elements and its text."""

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.elements, self.text = [], []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def as_html(markup):
    rendered = Rendered(markup)
    return rendered.elements, "".join(rendered.text)


@pytest.fixture
def hostile(db):
    publication = PublicationFactory(name="刊物<b>粗体</b>", description="简介&lt;script&gt;")
    issue = IssueFactory(publication=publication, published=True)
    section = SectionFactory(name="栏目")
    ArticleFactory(
        issue=issue, section=section, status="published", title=PAYLOAD, body=ESCAPED_BODY
    )
    ArticleFactory(
        issue=issue,
        section=section,
        status="published",
        title="摘要文章",
        summary=f"摘要里写着{PAYLOAD}",
    )
    return section


def get(client, name, **kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return ET.fromstring(response.content)


@pytest.mark.parametrize("name", ["articles:feed_rss", "articles:section_feed_rss"])
def test_rss_titles_and_descriptions_render_as_text(client, hostile, name):
    kwargs = {"slug": hostile.slug} if name.startswith("articles:section") else {}
    root = get(client, name, **kwargs)

    items = {i.findtext("title"): i.findtext("description") for i in root.iter("item")}
    rendered = {as_html(title)[1]: as_html(text) for title, text in items.items()}
    assert set(rendered) == {PAYLOAD, "摘要文章"}
    assert all(as_html(title)[0] == [] for title in items)
    assert rendered[PAYLOAD] == ([], f"请看{PAYLOAD}这一段")
    assert rendered["摘要文章"] == ([], f"摘要里写着{PAYLOAD}")
    if not kwargs:
        channel = root.find("channel")
        assert as_html(channel.findtext("title")) == ([], "刊物<b>粗体</b>")
        # A description is plain text on the site too: its "&lt;" is shown as typed.
        assert as_html(channel.findtext("description")) == ([], "简介&lt;script&gt;")


@pytest.mark.parametrize("name", ["articles:feed_atom", "articles:section_feed_atom"])
def test_atom_summaries_render_as_text_and_titles_are_text(client, hostile, name):
    kwargs = {"slug": hostile.slug} if name.startswith("articles:section") else {}
    root = get(client, name, **kwargs)

    entries = {e.find(f"{ATOM}title"): e.find(f"{ATOM}summary") for e in root.iter(f"{ATOM}entry")}
    by_title = {title.text: summary for title, summary in entries.items()}
    # Atom titles are type="text" (the default): readers show them as they are.
    assert set(by_title) == {PAYLOAD, "摘要文章"}
    assert all(title.get("type", "text") == "text" for title in entries)
    for summary in by_title.values():
        assert summary.get("type") == "html"
    assert as_html(by_title[PAYLOAD].text) == ([], f"请看{PAYLOAD}这一段")
    assert as_html(by_title["摘要文章"].text) == ([], f"摘要里写着{PAYLOAD}")
    if not kwargs:
        assert root.findtext(f"{ATOM}title") == "刊物<b>粗体</b>"
        subtitle = root.find(f"{ATOM}subtitle")
        assert subtitle.get("type", "text") == "text"
        assert subtitle.text == "简介&lt;script&gt;"
