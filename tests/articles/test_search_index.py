import pytest

from articles.models import Article
from articles.search_indexes import ArticleIndex
from tests.factories import ArticleFactory, IssueFactory

pytestmark = pytest.mark.django_db


def test_index_queryset_contains_only_published_articles():
    visible = ArticleFactory(published=True)
    ArticleFactory(issue=visible.issue, status=Article.Status.DRAFT)
    ArticleFactory(issue=IssueFactory(), status=Article.Status.PUBLISHED)
    ArticleFactory(issue=None, status=Article.Status.PUBLISHED)

    assert list(ArticleIndex().index_queryset()) == [visible]


def test_index_is_for_articles():
    assert ArticleIndex().get_model() is Article
