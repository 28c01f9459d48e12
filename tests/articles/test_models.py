import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article, Authorship, Section
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    IssueSectionFactory,
    OrganisationFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


class TestPublished:
    def test_only_published_articles_of_published_issues(self):
        published_issue = IssueFactory(published=True)
        visible = ArticleFactory(issue=published_issue, status=Article.Status.PUBLISHED)
        ArticleFactory(issue=published_issue, status=Article.Status.DRAFT)
        ArticleFactory(issue=IssueFactory(), status=Article.Status.PUBLISHED)
        ArticleFactory(issue=None, status=Article.Status.PUBLISHED)

        assert list(Article.objects.published()) == [visible]

    def test_is_published_agrees_with_the_queryset(self):
        visible = ArticleFactory(published=True)
        in_draft_issue = ArticleFactory(issue=IssueFactory(), status=Article.Status.PUBLISHED)
        unassigned = ArticleFactory(issue=None, status=Article.Status.PUBLISHED)

        assert visible.is_published
        assert not in_draft_issue.is_published
        assert not unassigned.is_published


class TestPrintOrder:
    def test_follows_the_issue_section_order_not_creation_order(self):
        issue = IssueFactory()
        section_a = SectionFactory(name="政协动态")
        section_b = SectionFactory(name="理论研究")
        # In this issue 理论研究 (B) is printed before 政协动态 (A).
        IssueSectionFactory(issue=issue, section=section_a, order=2)
        IssueSectionFactory(issue=issue, section=section_b, order=1)
        a2 = ArticleFactory(issue=issue, section=section_a, order=2, title="A2")
        a1 = ArticleFactory(issue=issue, section=section_a, order=1, title="A1")
        b2 = ArticleFactory(issue=issue, section=section_b, order=2, title="B2")
        b1 = ArticleFactory(issue=issue, section=section_b, order=1, title="B1")

        titles = [a.title for a in Article.objects.filter(issue=issue).in_print_order()]

        assert titles == ["B1", "B2", "A1", "A2"]
        assert {a1, a2, b1, b2} == set(Article.objects.filter(issue=issue))

    def test_sections_missing_from_the_issue_order_come_last(self):
        issue = IssueFactory()
        listed = SectionFactory()
        unlisted = SectionFactory()
        IssueSectionFactory(issue=issue, section=listed, order=5)
        late = ArticleFactory(issue=issue, section=unlisted, order=0, title="未排栏目")
        early = ArticleFactory(issue=issue, section=listed, order=9, title="已排栏目")

        assert list(Article.objects.filter(issue=issue).in_print_order()) == [early, late]

    def test_the_same_section_can_have_a_different_place_in_another_issue(self):
        first, second = IssueFactory(), IssueFactory()
        news, theory = SectionFactory(), SectionFactory()
        IssueSectionFactory(issue=first, section=news, order=1)
        IssueSectionFactory(issue=first, section=theory, order=2)
        IssueSectionFactory(issue=second, section=news, order=2)
        IssueSectionFactory(issue=second, section=theory, order=1)
        for issue in (first, second):
            ArticleFactory(issue=issue, section=news, title=f"{issue.number}-动态")
            ArticleFactory(issue=issue, section=theory, title=f"{issue.number}-理论")

        def titles(issue):
            return [a.title for a in Article.objects.filter(issue=issue).in_print_order()]

        assert titles(first) == [f"{first.number}-动态", f"{first.number}-理论"]
        assert titles(second) == [f"{second.number}-理论", f"{second.number}-动态"]


class TestPages:
    def test_end_page_before_start_page_is_rejected_in_the_form(self):
        article = ArticleFactory.build(section=SectionFactory(), issue=None, start_page=5)
        article.end_page = 3

        with pytest.raises(ValidationError) as excinfo:
            article.full_clean()

        assert "结束页码不能小于起始页码。" in excinfo.value.messages

    def test_end_page_before_start_page_is_rejected_by_the_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            ArticleFactory(issue=None, start_page=5, end_page=3)

    def test_single_page_and_open_ranges_are_fine(self):
        for start, end in [(5, 5), (5, 7), (5, None), (None, None)]:
            article = ArticleFactory.build(
                section=SectionFactory(), issue=None, start_page=start, end_page=end
            )
            article.full_clean()


class TestAuthorship:
    def test_needs_a_person_or_an_organisation(self):
        article = ArticleFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            Authorship.objects.create(article=article)

    def test_cannot_have_both(self):
        article = ArticleFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            Authorship.objects.create(
                article=article, person=PersonFactory(), organisation=OrganisationFactory()
            )

    def test_form_message_names_the_rule(self):
        authorship = Authorship(article=ArticleFactory())

        with pytest.raises(ValidationError) as excinfo:
            authorship.full_clean()

        assert "每条署名请选择一位个人或一个单位（二选一）。" in excinfo.value.messages

    def test_person_or_organisation_alone_is_fine(self):
        article = ArticleFactory()
        by_person = Authorship(article=article, person=PersonFactory(name="黄远声"))
        by_body = Authorship(article=article, organisation=OrganisationFactory(name="西安市政协"))

        for authorship in (by_person, by_body):
            authorship.full_clean()
            authorship.save()

        assert by_person.author.name == "黄远声"
        assert by_body.author.name == "西安市政协"

    def test_printed_name_is_shown_when_given(self):
        authorship = Authorship(person=PersonFactory(name="吴宁"), printed_name="吴 宁")

        assert authorship.display_name == "吴 宁"


class TestSection:
    def test_slug_is_generated_from_pinyin(self):
        section = SectionFactory(name="政协动态")

        assert section.slug == "zheng-xie-dong-tai"
        assert section.get_absolute_url() == "/sections/zheng-xie-dong-tai/"

    def test_generated_slugs_are_unique(self):
        first = SectionFactory(name="政协动态")
        second = SectionFactory(name="政协动态")

        assert first.slug != second.slug
        assert second.slug.startswith("zheng-xie-dong-tai")

    def test_given_slug_is_kept(self):
        assert SectionFactory(name="政协动态", slug="news").slug == "news"

    def test_slug_does_not_change_on_rename(self):
        section = SectionFactory(name="政协动态")
        section.name = "工作动态"
        section.save()

        assert section.slug == "zheng-xie-dong-tai"

    def test_tree(self):
        research = SectionFactory(name="理论研究")
        theory = SectionFactory(name="理论探讨", parent=research)
        practice = SectionFactory(name="实践探索", parent=research)
        SectionFactory(name="他山之石")

        research.refresh_from_db()
        assert list(research.get_children()) == [theory, practice]
        assert set(research.get_descendants()) == {theory, practice}
        assert list(theory.get_ancestors()) == [research]
        assert Section.objects.filter(level=0).count() == 2

    def test_inactive_section_is_refused_for_new_articles(self):
        retired = SectionFactory(is_active=False)
        article = ArticleFactory.build(section=retired, issue=None)

        with pytest.raises(ValidationError) as excinfo:
            article.full_clean()

        assert "section" in excinfo.value.error_dict
