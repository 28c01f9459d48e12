"""Readers' pages come from the shared cache, and never stale: a correction, a publication or an
unpublication shows on the next request (bulletin/pagecache.py)."""

import gzip
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from bulletin import pagecache
from issues.services import publish_without_review
from tests.admin_forms import change_form_data
from tests.factories import ArticleFactory, IssueFactory, PublicationFactory, SectionFactory
from tests.threads import run_in_threads

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(db):
    PublicationFactory()
    issue = IssueFactory(year=2024, number=3)
    ArticleFactory(issue=issue, section=SectionFactory(name="政协动态"), title="原来的标题")
    return publish_without_review(issue=issue, comment="测试")


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def correct_title(user, article, title):
    """A correction as the 签发 makes it: the article's admin form, posted."""
    staff = Client()
    staff.force_login(user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(staff, url)
    data["title"] = title
    data["correction_note"] = "标题有误，已更正。"
    assert staff.post(url, data).status_code == 302


def test_a_second_reader_gets_the_page_from_the_cache(client, issue):
    toc = issue.get_absolute_url()
    first, first_queries = queries_for(client, toc)
    again, again_queries = queries_for(client, toc)

    assert first.status_code == again.status_code == 200
    assert first_queries > 0
    assert again_queries == 0
    assert again.content == first.content


def test_a_corrected_title_shows_at_once_on_every_cached_page(client, issue, role_users):
    article = Article.objects.get(issue=issue)
    pages = [
        issue.get_absolute_url(),
        article.get_absolute_url(),
        reverse("bulletin:home"),
        reverse("articles:section", args=[article.section.slug]),
        reverse("articles:feed_rss"),
        reverse("api:issue", args=[2024, 3]),
    ]
    for url in pages:
        assert "原来的标题" in client.get(url).content.decode(), url

    correct_title(role_users["签发"], article, "更正后的标题")

    for url in pages:
        page = client.get(url).content.decode()
        assert "更正后的标题" in page, url
        assert "原来的标题" not in page, url


def test_a_newly_published_issue_shows_at_once(client, issue):
    assert "2024年第4期" not in client.get(reverse("issues:archive")).content.decode()
    assert client.get("/issues/2024/4/").status_code == 404
    new = IssueFactory(publication=issue.publication, year=2024, number=4)
    ArticleFactory(issue=new, title="新一期的文章")

    publish_without_review(issue=new, comment="测试")

    assert "共2期" in client.get(reverse("issues:archive")).content.decode()
    assert "新一期的文章" in client.get("/issues/2024/4/").content.decode()
    assert "新一期的文章" in client.get(reverse("bulletin:home")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_while_a_correction_commits_is_not_served_after_it(client):
    """Another worker reads between the write and the commit and stores the old page; the
    generation replaced at the commit makes that copy unreachable."""
    PublicationFactory()
    issue = IssueFactory(year=2024, number=3)
    article = ArticleFactory(issue=issue, title="原来的标题")
    issue = publish_without_review(issue=issue, comment="测试")
    toc = issue.get_absolute_url()
    seen = []

    with transaction.atomic():
        article = Article.objects.get(pk=article.pk)
        article.title = "更正后的标题"
        article.save()
        errors = run_in_threads(lambda n: seen.append(Client().get(toc).content.decode()), 1)
        assert not errors
        assert "原来的标题" in seen[0]  # the other worker saw (and cached) the committed rows

    assert "更正后的标题" in client.get(toc).content.decode()


def test_staff_previews_are_never_stored_nor_served_to_readers(client, role_users):
    PublicationFactory()
    issue = IssueFactory(year=2024, number=5, status="approved")
    ArticleFactory(issue=issue, status="approved", title="尚未发布的文章")
    staff = Client()
    staff.force_login(role_users["签发"])

    preview = staff.get(issue.get_absolute_url())

    assert "尚未发布的文章" in preview.content.decode()
    assert "no-cache" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert client.get(issue.get_absolute_url()).status_code == 404


def test_staff_get_pages_rendered_afresh(client, issue, role_users):
    staff = Client()
    staff.force_login(role_users["编辑"])
    client.get(issue.get_absolute_url())  # cached for readers

    response, queries = queries_for(staff, issue.get_absolute_url())

    assert response.status_code == 200
    assert queries > 0
    assert "public" not in response["Cache-Control"]


def test_readers_pages_say_public_and_vary_on_cookie(client, issue):
    response = client.get(issue.get_absolute_url())

    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert not response.cookies


def test_a_conditional_request_gets_304_until_the_page_changes(client, issue, role_users):
    toc = issue.get_absolute_url()
    first = client.get(toc)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert client.get(toc, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(toc, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # A compressed copy's weak ETag matches as well.
    assert client.get(toc, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304

    correct_title(role_users["签发"], Article.objects.get(issue=issue), "更正后的标题")

    again = client.get(toc, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert "更正后的标题" in again.content.decode()
    assert again["ETag"] != etag


def test_readers_pages_are_compressed(client, issue):
    response = client.get(issue.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert "原来的标题" in gzip.decompress(response.content).decode()


def test_pages_holding_a_csrf_token_are_not_compressed(client):
    """BREACH: a secret in a compressed response next to text an attacker chooses."""
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert not response.has_header("Content-Encoding")


def test_a_lost_generation_only_starts_a_new_one(client, issue):
    from django.core.cache import cache

    client.get(issue.get_absolute_url())
    cache.delete(pagecache.GENERATION_KEY)

    response, queries = queries_for(client, issue.get_absolute_url())

    assert response.status_code == 200 and queries > 0


def test_the_pdf_generated_after_publishing_shows_on_the_cached_page(client, issue):
    """The generated PDF is stored with update() (no signal): it bumps the generation itself."""
    from issues.printing import store_generated_pdf

    issue.pdf = ""
    issue.save()
    assert "下载整期 PDF" not in client.get(issue.get_absolute_url()).content.decode()

    assert store_generated_pdf(issue.pk)

    assert "下载整期 PDF" in client.get(issue.get_absolute_url()).content.decode()


def test_clear_page_cache_after_writes_that_send_no_signal(client, issue):
    client.get(issue.get_absolute_url())
    Article.objects.filter(issue=issue).update(title="批量改过的标题")
    assert "批量改过的标题" not in client.get(issue.get_absolute_url()).content.decode()

    call_command("clear_page_cache", stdout=io.StringIO())

    assert "批量改过的标题" in client.get(issue.get_absolute_url()).content.decode()


def test_no_server_copy_when_the_page_cache_is_off(client, issue, settings):
    settings.BULLETIN_PAGE_CACHE_SECONDS = 0
    client.get(issue.get_absolute_url())

    response, queries = queries_for(client, issue.get_absolute_url())

    assert queries > 0
    assert "public" in response["Cache-Control"] and response.has_header("ETag")


def test_a_deleted_article_leaves_the_cached_contents(client, issue):
    extra = ArticleFactory(issue=issue, status="published", title="将被删除的文章")
    assert "将被删除的文章" in client.get(issue.get_absolute_url()).content.decode()

    extra.delete()

    assert "将被删除的文章" not in client.get(issue.get_absolute_url()).content.decode()


def test_a_page_answered_from_the_sent_copy_keeps_every_header_of_the_first(client, issue):
    """The second reader's page skips the middleware stack: it must still carry the security
    headers, the compression and the validators the first one was sent with."""
    toc = issue.get_absolute_url()
    first = client.get(toc, HTTP_ACCEPT_ENCODING="gzip")
    key = pagecache._sent_key(first.wsgi_request, pagecache.current_generation())
    assert pagecache._cache().get(key) is not None  # kept as sent
    again = client.get(toc, HTTP_ACCEPT_ENCODING="gzip")

    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Content-Encoding",
        "Vary",
        "Cache-Control",
        "ETag",
        "Last-Modified",
        "Content-Type",
    ):
        assert again[header] == first[header], header
    assert again.content == first.content
    plain = client.get(toc)  # a client without gzip is not sent the compressed copy
    assert not plain.has_header("Content-Encoding")
    assert "目" in plain.content.decode()
    conditional = client.get(toc, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert conditional.status_code == 304


def test_staff_never_get_the_sent_copy(client, issue, role_users):
    toc = issue.get_absolute_url()
    client.get(toc)
    client.get(toc)
    staff = Client()
    staff.force_login(role_users["编辑"])
    response = staff.get(toc)
    assert "private" in response["Cache-Control"]


def test_the_production_cache_backend_serves_and_invalidates_pages(
    client, issue, role_users, settings, tmp_path
):
    """The suite runs on a local-memory cache; production's default is diskcache, shared by
    every worker through files: the same rules must hold on it."""
    settings.CACHES = {
        "default": {"BACKEND": "bulletin.pagecache.DiskCache", "LOCATION": str(tmp_path / "cache")}
    }
    article = Article.objects.get(issue=issue)
    toc = issue.get_absolute_url()
    assert "原来的标题" in client.get(toc).content.decode()
    again, again_queries = queries_for(client, toc)
    assert again_queries == 0 and "原来的标题" in again.content.decode()

    correct_title(role_users["签发"], article, "更正后的标题")

    assert "更正后的标题" in client.get(toc).content.decode()
    assert (tmp_path / "cache").is_dir()
