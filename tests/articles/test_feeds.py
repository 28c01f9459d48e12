"""RSS and Atom feeds of new articles: published content only, newest first, bounded queries."""

import datetime as dt
import html
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.feeds import FEED_LENGTH
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    IssueSectionFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
RSS, ATOM_FEED = "rss", "atom"
BASE = "http://testserver"


def when(day):
    return timezone.make_aware(dt.datetime(2024, 1, 1, 9, 0)) + dt.timedelta(days=day)


def published_issue(publication, day=0, **kwargs):
    return IssueFactory(publication=publication, published=True, published_at=when(day), **kwargs)


def fetch(client, kind, section=None):
    """GET a feed and parse it; return (response, root element)."""
    if section is None:
        url = reverse(f"articles:feed_{kind}")
    else:
        url = reverse(f"articles:section_feed_{kind}", kwargs={"slug": section.slug})
    response = client.get(url)
    assert response.status_code == 200
    return response, ET.fromstring(response.content)


def items(root):
    """[(title, link)] of the feed's entries, in document order, for either format."""
    if root.tag == "rss":
        return [(i.findtext("title"), i.findtext("link")) for i in root.iter("item")]
    return [
        (e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href"))
        for e in root.iter(f"{ATOM}entry")
    ]


def titles(root):
    return [title for title, _ in items(root)]


class TestRss:
    def test_is_rss_2_with_the_publication_and_the_article(self, client, publication):
        section = SectionFactory(name="政协动态")
        issue = published_issue(publication, day=3)
        article = ArticleFactory(
            issue=issue,
            section=section,
            status="published",
            title="自治区政协召开常委会议",
            summary="会议审议通过了有关事项。",
        )
        AuthorshipFactory(article=article, person=PersonFactory(name="吴宁"), printed_name="吴 宁")
        AuthorshipFactory(
            article=article, person=None, organisation=OrganisationFactory(name="来宾市政协")
        )

        response, root = fetch(client, RSS)

        assert response["Content-Type"].startswith("application/rss+xml")
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        assert channel.findtext("title") == "广西政协工作"
        assert channel.findtext("description") == "自治区政协办公厅主办的内部刊物"
        assert channel.findtext("link") == BASE + reverse("bulletin:home")
        assert channel.findtext("language") == "zh-cn"
        [item] = channel.findall("item")
        url = BASE + article.get_absolute_url()
        assert item.findtext("title") == "自治区政协召开常委会议"
        assert item.findtext("link") == url
        assert item.findtext("guid") == url
        assert item.find("guid").get("isPermaLink") == "true"
        assert item.findtext(f"{DC}creator") == "吴 宁、来宾市政协"
        assert [c.text for c in item.findall("category")] == ["政协动态"]
        assert item.findtext("description") == "会议审议通过了有关事项。"
        assert parsedate_to_datetime(item.findtext("pubDate")) == when(3)

    def test_description_falls_back_to_the_opening_of_the_body_as_plain_text(
        self, client, publication
    ):
        body = "<p>第一段&amp;“引号”</p><p>" + "协商民主" * 100 + "</p>"
        ArticleFactory(issue=published_issue(publication), status="published", body=body)

        _, root = fetch(client, RSS)

        # Readers render a description as HTML: the text is escaped once, no tags.
        description = root.find("channel/item").findtext("description")
        assert description.startswith("第一段&amp;“引号”协商民主")
        assert "<" not in description
        assert 190 <= len(html.unescape(description)) <= 200

    def test_an_article_without_authors_has_no_author_element(self, client, publication):
        ArticleFactory(issue=published_issue(publication), status="published")

        _, root = fetch(client, RSS)

        item = root.find("channel/item")
        assert item.find(f"{DC}creator") is None and item.find("author") is None


class TestAtom:
    def test_is_atom_1_with_the_publication_and_the_article(self, client, publication):
        section = SectionFactory(name="理论研究")
        article = ArticleFactory(
            issue=published_issue(publication, day=3),
            section=section,
            status="published",
            title="让协商更有质量",
        )
        AuthorshipFactory(article=article, person=PersonFactory(name="李娜"))

        response, root = fetch(client, ATOM_FEED)

        assert response["Content-Type"].startswith("application/atom+xml")
        assert root.tag == f"{ATOM}feed"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-cn"
        assert root.findtext(f"{ATOM}title") == "广西政协工作"
        assert root.findtext(f"{ATOM}subtitle") == "自治区政协办公厅主办的内部刊物"
        [entry] = root.findall(f"{ATOM}entry")
        url = BASE + article.get_absolute_url()
        assert entry.findtext(f"{ATOM}title") == "让协商更有质量"
        assert entry.find(f"{ATOM}link").get("href") == url
        assert entry.findtext(f"{ATOM}id") == url
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "李娜"
        assert entry.find(f"{ATOM}category").get("term") == "理论研究"
        assert dt.datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == when(3)
        assert dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) >= when(3)
        assert entry.findtext(f"{ATOM}summary")


@pytest.mark.parametrize("kind", [RSS, ATOM_FEED])
class TestWhatIsListed:
    def test_only_published_articles_of_published_issues(self, client, publication, kind):
        issue = published_issue(publication)
        ArticleFactory(issue=issue, status="published", title="已发布")
        ArticleFactory(issue=issue, status="draft", title="草稿稿件")
        ArticleFactory(issue=issue, status="approved", title="已签发稿件")
        for status in ("draft", "proofing", "approved"):
            unpublished = IssueFactory(publication=publication, status=status)
            ArticleFactory(issue=unpublished, status="published", title=f"未发布期刊{status}")
        ArticleFactory(issue=None, status="published", title="未编入期刊")

        _, root = fetch(client, kind)

        assert titles(root) == ["已发布"]

    def test_only_the_current_publication(self, client, publication, kind):
        ArticleFactory(issue=published_issue(publication), status="published", title="本刊")
        other = PublicationFactory(slug="other", name="另一刊物")
        ArticleFactory(issue=published_issue(other), status="published", title="他刊")

        _, root = fetch(client, kind)

        assert titles(root) == ["本刊"]

    def test_newest_issue_first_then_print_order(self, client, publication, kind):
        first, second = SectionFactory(), SectionFactory()
        older = published_issue(publication, day=1, number=1)
        newer = published_issue(publication, day=20, number=2)
        # In the newer issue the second section is printed first.
        IssueSectionFactory(issue=newer, section=second, order=1)
        IssueSectionFactory(issue=newer, section=first, order=2)
        ArticleFactory(issue=older, section=first, status="published", title="旧期")
        ArticleFactory(issue=newer, section=first, order=1, status="published", title="新期乙1")
        ArticleFactory(issue=newer, section=second, order=2, status="published", title="新期甲2")
        ArticleFactory(issue=newer, section=second, order=1, status="published", title="新期甲1")

        _, root = fetch(client, kind)

        assert titles(root) == ["新期甲1", "新期甲2", "新期乙1", "旧期"]

    def test_a_back_issue_published_later_comes_first(self, client, publication, kind):
        back_issue = published_issue(publication, day=30, year=2020, number=6)
        current = published_issue(publication, day=10, year=2024, number=1)
        ArticleFactory(issue=current, status="published", title="本年第1期")
        ArticleFactory(issue=back_issue, status="published", title="补录的2020年第6期")

        _, root = fetch(client, kind)

        assert titles(root) == ["补录的2020年第6期", "本年第1期"]

    def test_at_most_thirty_newest_articles(self, client, publication, kind):
        older = published_issue(publication, day=1, number=1)
        newer = published_issue(publication, day=2, number=2)
        ArticleFactory.create_batch(5, issue=older, status="published", title="旧期稿件")
        ArticleFactory.create_batch(FEED_LENGTH, issue=newer, status="published")

        _, root = fetch(client, kind)

        assert len(items(root)) == FEED_LENGTH == 30
        assert "旧期稿件" not in titles(root)

    def test_without_a_publication_the_feed_is_empty_but_valid(self, client, kind):
        _, root = fetch(client, kind)

        assert items(root) == []


@pytest.mark.parametrize("kind", [RSS, ATOM_FEED])
class TestSectionFeeds:
    @pytest.fixture
    def tree(self, publication):
        parent = SectionFactory(name="市县政协")
        child = SectionFactory(name="来宾市", parent=parent)
        other = SectionFactory(name="理论研究")
        issue = published_issue(publication)
        for section in (parent, child, other):
            ArticleFactory(issue=issue, section=section, status="published", title=section.name)
        ArticleFactory(issue=issue, section=child, status="draft", title="子栏目草稿")
        return parent, child, other

    def test_includes_descendant_sections_and_nothing_else(self, client, tree, kind):
        parent, child, _ = tree

        _, root = fetch(client, kind, section=parent)

        assert sorted(titles(root)) == sorted(["市县政协", "来宾市"])

    def test_a_child_section_lists_only_its_own(self, client, tree, kind):
        _, child, _ = tree

        _, root = fetch(client, kind, section=child)

        assert titles(root) == ["来宾市"]
        title = root.findtext("channel/title") or root.findtext(f"{ATOM}title")
        assert title == "广西政协工作 · 来宾市"

    def test_links_to_the_section_page(self, client, tree, kind):
        _, child, _ = tree

        _, root = fetch(client, kind, section=child)

        links = [root.findtext("channel/link")] + [
            link.get("href") for link in root.findall(f"{ATOM}link")
        ]
        assert BASE + child.get_absolute_url() in links

    def test_unknown_section_is_404(self, client, publication, kind):
        url = reverse(f"articles:section_feed_{kind}", kwargs={"slug": "no-such-section"})

        assert client.get(url).status_code == 404


def add_articles(issue, sections, count):
    """Published articles with a person and an organisation in their author lines."""
    for i in range(count):
        article = ArticleFactory(
            issue=issue, section=sections[i % len(sections)], status="published"
        )
        AuthorshipFactory(article=article, person=PersonFactory())
        AuthorshipFactory(article=article, person=None, organisation=OrganisationFactory())


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("articles:feed_rss", {}),
        ("articles:feed_atom", {}),
        ("articles:section_feed_rss", {"slug": "shared"}),
        ("articles:section_feed_atom", {"slug": "shared"}),
    ],
)
def test_queries_do_not_grow_with_the_number_of_articles(
    client, publication, django_assert_max_num_queries, name, kwargs
):
    shared = SectionFactory(slug="shared")
    child = SectionFactory(parent=shared)
    add_articles(published_issue(publication, number=1), [child], 1)
    url = reverse(name, kwargs=kwargs)
    small = count_queries(client, url)

    for n in range(2, 8):
        issue = published_issue(publication, day=n, number=n)
        sections = [SectionFactory(), SectionFactory(), child]
        for section in sections:
            IssueSectionFactory(issue=issue, section=section)
        add_articles(issue, sections, 8)
    add_articles(published_issue(publication, day=30, number=30), [child], FEED_LENGTH + 5)

    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    assert len(items(ET.fromstring(response.content))) == FEED_LENGTH
