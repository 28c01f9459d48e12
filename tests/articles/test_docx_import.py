"""Saving a Word file as a draft article (articles.docx_import), and the admin's Word import."""

import io
import re

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.docx_import import import_docx_article
from articles.importers.errors import DocxImportError
from articles.models import Article, ArticleImage, Authorship
from people.models import Person
from tests import factories
from tests.articles.docx_files import (
    IMAGE_ALT,
    docx_bytes,
    full_article_docx,
    image_bytes,
)


def media_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
class TestImportArticle:
    def run(self, data=None, **kwargs):
        kwargs.setdefault("issue", factories.IssueFactory())
        kwargs.setdefault("section", factories.SectionFactory(name="理论研究"))
        kwargs.setdefault("filename", "调研报告.docx")
        return import_docx_article(fileobj=io.BytesIO(data or full_article_docx()), **kwargs)

    def test_creates_a_draft_article_in_the_issue_and_section(self):
        issue, section = factories.IssueFactory(), factories.SectionFactory()

        article = self.run(issue=issue, section=section)

        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert (article.issue, article.section) == (issue, section)
        assert article.title == "关于提升委员履职能力的调研报告"
        assert article.subtitle == "——以某市政协为例"
        assert "<h3>一、基本情况</h3>" in article.body

    def test_images_become_article_images_and_the_body_points_at_them(self):
        article = self.run()

        [image] = ArticleImage.objects.filter(article=article)
        assert image.image.name.startswith("articles/")
        assert image.alt_text == IMAGE_ALT
        assert default_storage.open(image.image.name).read() == image_bytes()
        article.refresh_from_db()
        assert re.search(rf'<img [^>]*src="{re.escape(image.image.url)}"', article.body)
        assert "docx-image-" not in article.body

    def test_authors_are_matched_by_name_or_created_in_printed_order(self):
        wu_ning = factories.PersonFactory(name="吴宁")

        article = self.run()

        authorships = list(Authorship.objects.filter(article=article).order_by("order"))
        assert [a.person.name for a in authorships] == ["吴宁", "艾粤敏"]
        assert authorships[0].person == wu_ning
        assert authorships[0].printed_name == "吴 宁"
        assert authorships[1].printed_name == ""
        assert Person.objects.named("艾粤敏").count() == 1
        assert any("艾粤敏" in warning for warning in article.import_warnings)

    def test_goes_after_the_articles_already_in_its_section_of_the_issue(self):
        issue, section = factories.IssueFactory(), factories.SectionFactory()
        factories.ArticleFactory(issue=issue, section=section, order=4)
        factories.ArticleFactory(issue=issue, order=9)  # another section
        factories.ArticleFactory(section=section, order=7)  # another issue

        article = self.run(issue=issue, section=section)

        assert article.order == 5

    def test_may_be_left_out_of_any_issue(self):
        article = self.run(issue=None)

        article.refresh_from_db()
        assert article.issue is None

    def test_given_title_wins_and_a_missing_one_comes_from_the_file_name(self):
        untitled = docx_bytes(lambda d: d.add_paragraph("会议指出，要进一步加强调研工作。"))

        given = self.run(title="编辑改定的标题")
        from_name = self.run(untitled, filename="市政协调研纪实.docx")

        assert given.title == "编辑改定的标题"
        assert from_name.title == "市政协调研纪实"
        assert any("文件名" in warning for warning in from_name.import_warnings)

    def test_records_who_imported_it(self):
        user = factories.UserFactory()

        article = self.run(user=user)

        entry = LogEntry.objects.get(object_id=str(article.pk))
        assert (entry.user, entry.action_flag) == (user, ADDITION)

    def test_nothing_is_left_when_a_later_step_fails(self, monkeypatch, settings):
        def fail(**kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr(Authorship.objects, "create", fail)

        with pytest.raises(RuntimeError):
            self.run()

        assert not Article.objects.exists()
        assert not ArticleImage.objects.exists()
        assert not Person.objects.exists()
        assert media_files(settings) == []

    def test_inactive_section_is_refused(self):
        section = factories.SectionFactory(is_active=False)

        with pytest.raises(DocxImportError, match="停用"):
            self.run(section=section)

        assert not Article.objects.exists()


IMPORT_URL = "admin:articles_article_import_docx"


def upload(data=None, name="调研报告.docx"):
    return SimpleUploadedFile(name, data or full_article_docx())


@pytest.mark.django_db
class TestAdminImport:
    def test_changelist_offers_the_import_button(self, editor_client):
        response = editor_client.get(reverse("admin:articles_article_changelist"))

        assert reverse(IMPORT_URL) in response.content.decode()
        assert "从 Word 导入" in response.content.decode()

    def test_form_page_loads(self, editor_client):
        response = editor_client.get(reverse(IMPORT_URL))

        content = response.content.decode()
        assert response.status_code == 200
        assert 'type="file"' in content
        assert "栏目" in content and "期刊" in content

    def test_posting_a_word_file_creates_the_article_and_opens_it(self, editor_client):
        issue, section = factories.IssueFactory(), factories.SectionFactory()

        response = editor_client.post(
            reverse(IMPORT_URL),
            {"file": upload(), "issue": issue.pk, "section": section.pk, "title": ""},
            follow=True,
        )

        article = Article.objects.get()
        assert response.redirect_chain[-1][0] == reverse(
            "admin:articles_article_change", args=[article.pk]
        )
        assert (article.issue, article.section) == (issue, section)
        assert article.images.count() == 1
        content = response.content.decode()
        assert "已从 Word 导入稿件" in content
        assert "艾粤敏" in content  # the new-person warning is listed

    def test_a_text_file_named_docx_shows_the_error_and_creates_nothing(self, editor_client):
        section = factories.SectionFactory()

        response = editor_client.post(
            reverse(IMPORT_URL),
            {"file": upload("只是文本".encode(), name="假的.docx"), "section": section.pk},
        )

        assert response.status_code == 200
        assert "这不是 Word 文档" in response.content.decode()
        assert not Article.objects.exists()

    def test_staff_without_add_permission_is_refused(self, client):
        client.force_login(factories.UserFactory())

        assert client.get(reverse(IMPORT_URL)).status_code == 403
        section = factories.SectionFactory()
        response = client.post(reverse(IMPORT_URL), {"file": upload(), "section": section.pk})
        assert response.status_code == 403
        assert not Article.objects.exists()

    def test_staff_with_add_permission_may_import(self, client):
        user = factories.UserFactory()
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__in=["add_article", "view_article"]
            )
        )
        client.force_login(user)

        response = client.get(reverse(IMPORT_URL))

        assert response.status_code == 200
