"""issues.importing: a parsed issue saved in one transaction; an existing one kept unless replaced."""

import pytest

from articles.importers.errors import ImporterError
from articles.importers.print_text import parse_print_text
from articles.models import Article
from issues.importing import existing_issue, save_parsed_issue
from issues.models import Issue
from tests.articles.print_sample import SAMPLE
from tests.factories import IssueFactory, PublicationFactory, SectionFactory

pytestmark = pytest.mark.django_db


def save(publication, **options):
    return save_parsed_issue(
        parsed=parse_print_text(SAMPLE), publication=publication, year=2025, number=4, **options
    )


def test_saves_a_draft_issue_with_its_articles():
    publication = PublicationFactory()

    issue = save(publication, total_number=88)

    assert existing_issue(publication=publication, year=2025, number=4) == issue
    assert (issue.status, issue.total_number) == (Issue.Status.DRAFT, 88)
    assert issue.articles.count() == 3
    assert issue.credits.count() == 3


def test_publish_publishes_the_issue_and_its_articles():
    issue = save(PublicationFactory(), publish=True)

    assert issue.is_published
    assert Article.objects.published().count() == 3


def test_an_existing_issue_is_refused_for_editors_in_chinese():
    publication = PublicationFactory()
    old = IssueFactory(publication=publication, year=2025, number=4)

    with pytest.raises(ImporterError) as error:
        save(publication)

    assert "已经存在，导入不会覆盖它" in error.value.message
    assert "--replace" in error.value.message
    assert Issue.objects.get() == old and not Article.objects.exists()


def test_replace_takes_the_old_issue_and_its_articles_away():
    publication = PublicationFactory()
    old = IssueFactory(publication=publication, year=2025, number=4)
    Article.objects.create(issue=old, section=SectionFactory(), title="旧稿")

    issue = save(publication, replace=True)

    assert Issue.objects.get() == issue != old
    assert not Article.objects.filter(title="旧稿").exists()
