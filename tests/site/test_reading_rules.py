"""Every place that lists sections or authors for readers agrees: the pages, the search form,
the API and the sitemap all follow Section.objects.listed() and articles.authors.

The database holds two publications, retired sections and unpublished work, so that each
rule has something to leave out.
"""

import re

import pytest
from django.urls import reverse

from articles.forms import SearchForm
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    RecipientFactory,
    SectionFactory,
)
from tests.site.sitemap_files import sitemap_urls

pytestmark = pytest.mark.django_db


class Site:
    """What the database holds, and what readers of the first publication may see of it."""

    def __init__(self):
        here = PublicationFactory(slug="here", name="广西政协工作")
        other = PublicationFactory(slug="other", name="另一刊物")
        published = IssueFactory(publication=here, published=True)
        draft = IssueFactory(publication=here)
        elsewhere = IssueFactory(publication=other, published=True)

        news = SectionFactory(name="政协动态")
        cities = SectionFactory(name="市县政协")
        laibin = SectionFactory(name="来宾市", parent=cities)
        empty = SectionFactory(name="理论研究")
        retired = SectionFactory(name="旧栏目", is_active=False)
        under_retired = SectionFactory(name="旧栏目子栏目", parent=retired)
        retired_child = SectionFactory(name="停用子栏目", parent=cities, is_active=False)
        self.listed = [news, cities, laibin, empty]
        self.unlisted = [retired, under_retired, retired_child]

        self.wu, self.city = PersonFactory(name="吴宁"), OrganisationFactory(name="来宾市政协")
        only_draft, only_other = PersonFactory(name="草稿作者"), PersonFactory(name="外刊作者")
        org_only_draft = OrganisationFactory(name="草稿单位")
        staff = PersonFactory(name="王芳")
        recipient = RecipientFactory(
            organisation=OrganisationFactory(name="收刊单位"), addressee=""
        )

        def article(issue, section, status="published", *, person=None, organisation=None):
            item = ArticleFactory(issue=issue, section=section, status=status)
            if person:
                AuthorshipFactory(article=item, person=person)
            if organisation:
                AuthorshipFactory(article=item, person=None, organisation=organisation)
            return item

        # Readers see these three articles (one in a retired section: readable in its issue).
        article(published, news, person=self.wu)
        article(published, laibin, organisation=self.city)
        article(published, under_retired, person=self.wu)
        # Readers see none of these.
        article(published, news, "draft", person=only_draft, organisation=org_only_draft)
        article(draft, cities, "published", person=only_draft)
        article(elsewhere, news, person=only_other)
        article(elsewhere, empty, organisation=recipient.organisation)
        published.credits.create(person=staff, role="editor")

        self.public_people = [self.wu]
        self.hidden_people = [only_draft, only_other, staff]
        self.public_organisations = [self.city]
        self.hidden_organisations = [org_only_draft, recipient.organisation]
        # Own published articles of this publication per listed section.
        self.counts = {news.slug: 1, cities.slug: 0, laibin.slug: 1, empty.slug: 0}


@pytest.fixture
def site(settings):
    settings.BULLETIN_PUBLICATION_SLUG = "here"
    return Site()


def slugs(sections):
    return {section.slug for section in sections}


def section_slugs_in(html):
    return set(re.findall(r'href="/sections/([^/"]+)/"', html))


def sitemap_paths(client):
    return {url.removeprefix("http://testserver") for url in sitemap_urls(client)}


class TestSections:
    def test_the_section_index_lists_the_listed_sections_with_their_counts(self, client, site):
        html = client.get(reverse("articles:sections")).content.decode()

        assert section_slugs_in(html) == slugs(site.listed)
        for section in site.unlisted:
            assert section.name not in html

    def test_the_api_sitemap_and_search_form_agree_with_the_index(self, client, site):
        api = client.get(reverse("api:sections")).json()["results"]
        form_slugs = {slug for slug, _ in SearchForm().fields["section"].choices if slug}
        search_page = client.get(reverse("articles:search")).content.decode()
        in_sitemap = {
            path.split("/")[2] for path in sitemap_paths(client) if path.startswith("/sections/")
        }

        expected = slugs(site.listed)
        assert {row["slug"] for row in api} == expected
        assert {row["slug"]: row["article_count"] for row in api} == site.counts
        assert form_slugs == expected
        assert set(re.findall(r'<option value="([^"]+)"', search_page)) >= expected
        assert in_sitemap == expected

    def test_the_section_index_counts_match_the_api(self, client, site):
        html = client.get(reverse("articles:sections")).content.decode()
        for slug, count in site.counts.items():
            assert re.search(
                rf'href="/sections/{slug}/">[^<]+</a> <span class="muted">{count}篇', html
            )

    def test_only_listed_sections_have_pages_and_feeds(self, client, site):
        for section in site.listed:
            assert client.get(section.get_absolute_url()).status_code == 200
            feed = reverse("articles:section_feed_rss", args=[section.slug])
            assert client.get(feed).status_code == 200
            api = client.get(reverse("api:search"), {"q": "政协", "section": section.slug})
            assert api.status_code == 200
        for section in site.unlisted:
            assert client.get(section.get_absolute_url()).status_code == 404
            feed = reverse("articles:section_feed_atom", args=[section.slug])
            assert client.get(feed).status_code == 404
            api = client.get(reverse("api:search"), {"q": "政协", "section": section.slug})
            assert api.status_code == 400

    def test_the_home_page_offers_the_listed_top_level_sections(self, client, site):
        html = client.get(reverse("bulletin:home")).content.decode()

        top_level = {s.slug for s in site.listed if s.parent_id is None}
        assert section_slugs_in(html) == top_level

    def test_an_article_in_a_retired_section_names_it_without_a_dead_link(self, client, site):
        article = site.unlisted[1].articles.get()

        html = client.get(article.get_absolute_url()).content.decode()

        assert site.unlisted[1].name in html
        assert section_slugs_in(html) == set()

    def test_a_search_hit_in_a_retired_section_names_it_without_a_dead_link(
        self, client, site, search_index
    ):
        search_index.rebuild()
        retired = site.unlisted[1]
        article = retired.articles.get()

        html = client.get(reverse("articles:search"), {"q": article.title}).content.decode()

        assert f'href="/articles/{article.pk}/"' in html
        assert retired.name in html
        assert f'href="/sections/{retired.slug}/"' not in html


class TestAuthors:
    def test_author_pages_exist_exactly_for_public_authors(self, client, site):
        for author in site.public_people + site.public_organisations:
            assert client.get(author.get_absolute_url()).status_code == 200
        for author in site.hidden_people + site.hidden_organisations:
            assert client.get(author.get_absolute_url()).status_code == 404

    def test_the_sitemap_lists_the_same_authors(self, client, site):
        authors = {path for path in sitemap_paths(client) if path.startswith("/authors/")}

        public = site.public_people + site.public_organisations
        assert authors == {author.get_absolute_url() for author in public}

    def test_the_search_filter_accepts_the_same_authors(self, client, site):
        def accepted(key):
            page = client.get(reverse("articles:search"), {"q": "政协", "author": key})
            api = client.get(reverse("api:search"), {"q": "政协", "author": key})
            on_page = "没有找到该作者的已发布文章" not in page.content.decode()
            assert on_page == (api.status_code == 200)
            return on_page

        for person in site.public_people:
            assert accepted(f"p{person.pk}")
        for organisation in site.public_organisations:
            assert accepted(f"o{organisation.pk}")
        for person in site.hidden_people:
            assert not accepted(f"p{person.pk}")
        for organisation in site.hidden_organisations:
            assert not accepted(f"o{organisation.pk}")
