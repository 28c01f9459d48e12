import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Authorship, Section
from bulletin.models import Publication
from bulletin.site.demo.loader import DEFAULT_PATH, DemoContentError, load_demo_content
from issues.models import Issue, IssueStatus
from people.models import Organisation, Person, Recipient, RecipientGroup

MODELS = [
    Publication,
    Section,
    Organisation,
    Person,
    Issue,
    Article,
    Authorship,
    RecipientGroup,
    Recipient,
]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_loads_three_issues_two_of_them_published():
    counts = load_demo_content()

    assert counts["issues"] == 3
    assert counts["published_issues"] == 2
    assert Issue.objects.count() == 3
    assert Issue.objects.published().count() == 2
    draft = Issue.objects.get(year=2024, number=3)
    assert draft.status == IssueStatus.DRAFT
    assert draft.published_at is None
    assert list(Issue.objects.values_list("total_number", flat=True).order_by("number")) == [
        300,
        301,
        302,
    ]
    assert counts["articles"] == Article.objects.count()
    assert counts["recipients"] == Recipient.objects.count()


@pytest.mark.django_db
def test_published_articles_are_public_and_draft_issue_articles_are_not():
    load_demo_content()
    draft = Issue.objects.get(status=IssueStatus.DRAFT)
    published = Article.objects.published()

    assert published.exists()
    assert not published.filter(issue=draft).exists()
    assert set(published.values_list("issue__number", flat=True)) == {1, 2}
    assert published.count() == Article.objects.filter(issue__number__in=[1, 2]).count()
    assert draft.articles.exists()


@pytest.mark.django_db
def test_every_body_is_filled_and_start_pages_are_distinct_per_issue():
    load_demo_content()

    for issue in Issue.objects.all():
        articles = list(issue.articles.all())
        assert 5 <= len(articles) <= 7
        pages = [article.start_page for article in articles]
        assert None not in pages
        assert len(pages) == len(set(pages)), issue
        for article in articles:
            assert article.body_text.strip(), article.title
            assert article.body.startswith("<p>"), article.title


@pytest.mark.django_db
def test_print_order_follows_each_issues_own_section_order():
    load_demo_content()

    for issue in Issue.objects.all():
        pages = [a.start_page for a in issue.articles.in_print_order()]
        assert pages == sorted(pages), issue
    sections = [e.section.name for e in Issue.objects.get(number=2).section_entries.all()]
    assert sections.index("委员风采") < sections.index("市县政协")


@pytest.mark.django_db
def test_chinese_names_get_pinyin_keys():
    load_demo_content()

    for person in Person.objects.all():
        assert re.fullmatch(r"[a-z]+( [a-z]+)+", person.name_pinyin), person.name
    assert Person.objects.get(name="覃丽萍").name_pinyin == "qin li ping"
    assert Person.objects.get(name="曾海波").name_pinyin == "zeng hai bo"


@pytest.mark.django_db
def test_command_loads_once_and_never_duplicates():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "issues: 3" in out.getvalue()
    first = _counts()

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Database already has content; demo not loaded." in out.getvalue()
    assert _counts() == first


@pytest.mark.django_db
def test_broken_file_loads_nothing(tmp_path):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["issues"][0]["articles"][0]["section"] = "不存在的栏目"
    broken = tmp_path / "content.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(DemoContentError):
        load_demo_content(path=broken)
    assert Publication.objects.count() == 0
    assert Section.objects.count() == 0


@pytest.mark.django_db
def test_command_reports_a_missing_file_clearly(monkeypatch, tmp_path):
    monkeypatch.setattr("bulletin.site.demo.loader.DEFAULT_PATH", tmp_path / "missing.json")

    with pytest.raises(CommandError, match="Demo content is broken"):
        call_command("load_demo")
