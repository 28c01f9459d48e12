import datetime
from types import SimpleNamespace

import pytest

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of one test never land in another's or the developer's folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page (the cache outlives a test's rolled-back rows)."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def publication(db):
    """The one publication of the site, named and described as the feeds and pages show it."""
    from tests.factories import PublicationFactory

    return PublicationFactory(name="广西政协工作", description="自治区政协办公厅主办的内部刊物")


@pytest.fixture
def editor_client(client, django_user_model):
    """A client logged in as a superuser editor, for admin pages."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


class SearchIndex:
    """The test's own Whoosh index (see the ``search_index`` fixture)."""

    def __init__(self, path):
        self.path = path

    @property
    def backend(self):
        from haystack import connections

        return connections["default"].get_backend()

    def rebuild(self):
        """Clear the index and index every published article, as ``manage.py rebuild_index``."""
        from django.core.management import call_command

        call_command("rebuild_index", interactive=False, verbosity=0)

    def reconnect(self):
        """Drop haystack's cached backend (after moving or breaking the index folder)."""
        from haystack import connections

        _drop_search_connection(connections)

    def apply_queue(self):
        """Apply the queued index changes (what on_commit would do); return the count applied."""
        from articles.search.indexing import apply_queue

        return apply_queue()


@pytest.fixture
def search_index(settings, tmp_path):
    """A fresh, empty Whoosh index in this test's tmp_path, used by every search call of the test.

    haystack builds its backend once per thread from settings.HAYSTACK_CONNECTIONS and caches it
    (with the unified index and its ArticleIndex, whose section-path cache would otherwise leak
    ids between tests). The fixture points the setting at tmp_path and drops the cached
    connection before and after the test, so the next use builds a new one. Fill the index with
    ``search_index.rebuild()`` after creating data, or with ``search_index.apply_queue()`` (or by
    creating data inside ``django_capture_on_commit_callbacks(execute=True)``). Same thread only:
    a live server thread keeps the connection it built first.
    """
    from haystack import connections

    path = tmp_path / "whoosh_index"
    settings.HAYSTACK_CONNECTIONS = {
        **settings.HAYSTACK_CONNECTIONS,
        "default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(path)},
    }
    _drop_search_connection(connections)
    yield SearchIndex(path)
    _drop_search_connection(connections)


def _drop_search_connection(connections):
    """Forget this thread's haystack backend: the next use builds one from the settings of then."""
    getattr(connections.thread_local, "connections", {}).pop("default", None)


def _at(year, month, day):
    return datetime.datetime(year, month, day, 2, 0, tzinfo=datetime.UTC)


def _published_article(issue, section, title, body, authors=()):
    article = ArticleFactory(issue=issue, section=section, title=title, body=body, published=True)
    for author in authors:
        if author._meta.model_name == "person":
            AuthorshipFactory(article=article, person=author)
        else:
            AuthorshipFactory(article=article, person=None, organisation=author)
    return article


@pytest.fixture
def search_corpus(search_index):
    """What readers search, for the search page and /api/search/: two published issues (2023,
    2024), a draft issue (2025), a small section tree with a retired section, a person and an
    organisation as authors, unpublished articles that must never be found, indexed."""
    PublicationFactory()
    theory = SectionFactory(name="理论研究")
    discussion = SectionFactory(name="理论探讨", parent=theory)
    news = SectionFactory(name="政协动态")
    SectionFactory(name="停用栏目", is_active=False)
    old = IssueFactory(
        year=2023,
        number=5,
        published=True,
        published_at=_at(2023, 10, 1),
        publish_date=datetime.date(2023, 9, 28),
    )
    new = IssueFactory(
        year=2024,
        number=2,
        total_number=301,
        published=True,
        published_at=_at(2024, 3, 1),
        publish_date=datetime.date(2024, 2, 28),
    )
    draft_issue = IssueFactory(year=2025, number=1)
    sun = PersonFactory(name="孙大伟")
    city = OrganisationFactory(name="崇左市政协")
    staff = PersonFactory(name="沈内部")  # in the people table, never in anything published
    rural = _published_article(
        new,
        discussion,
        "乡村振兴调研报告",
        "<p>推进乡村振兴，壮大民营经济。5G基站覆盖所有行政村，GDP增长百分之六。</p>",
        authors=[sun],
    )
    economy = _published_article(
        old,
        news,
        "民营经济座谈会召开",
        "<p>座谈会围绕民营经济与乡村振兴展开讨论。</p>",
        authors=[city],
    )
    consult_old = _published_article(old, news, "协商议事的实践探索", "<p>基层协商不断深化。</p>")
    consult_new = _published_article(
        new, theory, "基层治理新路径", "<p>各地建立协商议事室，推动协商议事常态化。</p>"
    )
    hidden = [
        ArticleFactory(
            issue=new,
            section=news,
            status=status,
            title=f"未发布的乡村振兴稿件{status}",
            body="<p>乡村振兴 秘密草稿</p>",
        )
        for status in (Article.Status.DRAFT, Article.Status.PROOFING, Article.Status.APPROVED)
    ]
    hidden.append(
        ArticleFactory(
            issue=draft_issue,
            section=news,
            status=Article.Status.PUBLISHED,
            title="草稿期里的乡村振兴稿件",
            body="<p>乡村振兴 秘密草稿</p>",
        )
    )
    AuthorshipFactory(article=hidden[0], person=staff)
    search_index.rebuild()
    return SimpleNamespace(**locals())


@pytest.fixture
def many_search_results(search_index):
    """25 published articles about 提案办理 in one section, 3 others: several result pages."""
    PublicationFactory()
    section = SectionFactory(name="提案工作")
    issue = IssueFactory(year=2024, number=4, published=True, published_at=_at(2024, 5, 1))
    articles = [
        _published_article(issue, section, f"提案办理第{n:02}篇", f"<p>第{n}件提案办理情况。</p>")
        for n in range(25)
    ]
    for n in range(3):
        _published_article(issue, section, f"其他稿件{n}", "<p>无关内容。</p>")
    search_index.rebuild()
    return SimpleNamespace(section=section, issue=issue, articles=articles)


@pytest.fixture
def role_users(db, django_user_model):
    """One staff user per editorial group (setup_roles' groups), plus a superuser, by name:
    "编辑", "核稿", "签发", "发行", "admin"."""
    from django.contrib.auth.models import Group

    from bulletin.roles import setup_roles

    setup_roles()
    users = {}
    for index, name in enumerate(["编辑", "核稿", "签发", "发行"]):
        user = django_user_model.objects.create_user(f"role{index}", password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=name))
        users[name] = user
    users["admin"] = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    return users
