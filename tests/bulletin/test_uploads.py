"""Stored upload names cannot be guessed, and a replaced, cleared or orphaned upload leaves the
storage once its change commits — tried through the admin's real forms."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.urls import reverse

from articles.models import ArticleImage
from bulletin.uploads import RandomName
from issues.models import Issue
from people.models import Person
from tests.admin_forms import change_form_data
from tests.factories import ArticleFactory, IssueFactory, PersonFactory
from tests.files import image_bytes, pdf_bytes

RANDOM = r"[0-9a-f]{20}"


def stored(name):
    return bool(name) and default_storage.exists(name)


class TestNames:
    def test_a_name_keeps_a_readable_part_and_adds_a_random_one(self):
        upload_to = RandomName("covers/%Y/")

        first = upload_to(None, "第3期 封面.JPG")
        second = upload_to(None, "第3期 封面.JPG")

        assert re.fullmatch(rf"covers/\d{{4}}/第3期_封面-{RANDOM}\.jpg", first), first
        assert first != second

    def test_a_long_or_empty_name_stays_within_the_fields_length(self):
        upload_to = RandomName("articles/%Y/%m/")

        long_name = upload_to(None, "很长的文件名" * 30 + ".jpeg")
        assert len(long_name) <= 100
        for empty in [".png", "###.png", "..png"]:
            name = upload_to(None, empty)
            assert re.fullmatch(rf"articles/\d{{4}}/\d\d/{RANDOM}\.png", name), name

    def test_every_file_field_stores_under_a_random_name(self):
        fields = [
            f"{model._meta.label}.{field.name}"
            for model in apps.get_models()
            for field in model._meta.concrete_fields
            if isinstance(field, models.FileField) and not isinstance(field.upload_to, RandomName)
        ]
        assert fields == []

    @pytest.mark.django_db
    def test_a_file_saved_by_code_gets_a_random_name_too(self):
        issue = IssueFactory(year=2024, number=2)
        issue.pdf.save("gxzxgz-2024-02.pdf", ContentFile(pdf_bytes()))

        assert re.fullmatch(rf"pdf/\d{{4}}/gxzxgz-2024-02-{RANDOM}\.pdf", issue.pdf.name)


def post_issue(client, issue, **changes):
    """POST the issue's admin change form as the page shows it, with ``changes``."""
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = change_form_data(client, url)
    data.update(changes)
    return client.post(url, data)


def cover(name="cover.png", color="red"):
    return SimpleUploadedFile(name, image_bytes("PNG", color=color), content_type="image/png")


def pdf(name="issue.pdf", pages=1):
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


@pytest.mark.django_db(transaction=True)
class TestThroughTheAdmin:
    def test_replacing_a_cover_and_a_pdf_removes_the_old_files(self, editor_client):
        issue = IssueFactory()
        assert post_issue(editor_client, issue, cover=cover(), pdf=pdf()).status_code == 302
        issue.refresh_from_db()
        old_cover, old_pdf = issue.cover.name, issue.pdf.name
        assert stored(old_cover) and stored(old_pdf)
        assert re.fullmatch(rf"covers/\d{{4}}/cover-{RANDOM}\.png", old_cover)

        response = post_issue(editor_client, issue, cover=cover(color="blue"), pdf=pdf(pages=2))

        assert response.status_code == 302
        issue.refresh_from_db()
        assert stored(issue.cover.name) and stored(issue.pdf.name)
        assert issue.cover.name != old_cover and issue.pdf.name != old_pdf
        assert not stored(old_cover) and not stored(old_pdf)

    def test_clearing_a_pdf_removes_it(self, editor_client):
        issue = IssueFactory()
        post_issue(editor_client, issue, pdf=pdf())
        issue.refresh_from_db()
        old_pdf = issue.pdf.name

        assert post_issue(editor_client, issue, **{"pdf-clear": "on"}).status_code == 302

        issue.refresh_from_db()
        assert issue.pdf.name == ""
        assert not stored(old_pdf)

    def test_an_edit_that_keeps_the_files_keeps_them(self, editor_client):
        issue = IssueFactory()
        post_issue(editor_client, issue, cover=cover(), pdf=pdf())
        issue.refresh_from_db()

        assert post_issue(editor_client, issue, notes="改了备注").status_code == 302

        assert stored(issue.cover.name) and stored(issue.pdf.name)

    def test_deleting_an_issue_removes_its_files(self, editor_client):
        issue = IssueFactory()
        post_issue(editor_client, issue, cover=cover(), pdf=pdf())
        issue.refresh_from_db()
        names = [issue.cover.name, issue.pdf.name]

        url = reverse("admin:issues_issue_delete", args=[issue.pk])
        assert editor_client.post(url, {"post": "yes"}).status_code == 302

        assert not Issue.objects.filter(pk=issue.pk).exists()
        assert [stored(name) for name in names] == [False, False]

    def test_an_html_file_posing_as_the_pdf_is_refused_and_not_stored(self, editor_client):
        issue = IssueFactory()
        fake = SimpleUploadedFile(
            "issue.pdf", b"<!-- %PDF-1.4 -->\n<script>alert(1)</script>", "application/pdf"
        )

        response = post_issue(editor_client, issue, pdf=fake)

        assert response.status_code == 200
        assert "这不是 PDF 文件" in response.content.decode()
        issue.refresh_from_db()
        assert issue.pdf.name == ""
        assert not (Path(default_storage.location) / "pdf").exists()

    def test_an_svg_cover_is_refused(self, editor_client):
        issue = IssueFactory()
        svg = SimpleUploadedFile(
            "cover.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        )

        response = post_issue(editor_client, issue, cover=svg)

        assert response.status_code == 200
        issue.refresh_from_db()
        assert issue.cover.name == ""

    def test_replacing_and_deleting_article_images_removes_them(self, editor_client):
        article = ArticleFactory()
        first, second = (
            ArticleImage.objects.create(article=article, image=cover(f"img{n}.png")) for n in (1, 2)
        )
        url = reverse("admin:articles_article_change", args=[article.pk])
        data = change_form_data(editor_client, url)
        prefix = "images"  # the inline's formset prefix: the foreign key's related name
        rows = {data[f"{prefix}-{i}-id"]: i for i in range(2)}
        data[f"{prefix}-{rows[str(first.pk)]}-image"] = cover("new.png", color="green")
        data[f"{prefix}-{rows[str(second.pk)]}-DELETE"] = "on"
        old_first, old_second = first.image.name, second.image.name

        response = editor_client.post(url, data)

        assert response.status_code == 302, response.context["errors"]
        first.refresh_from_db()
        assert stored(first.image.name) and first.image.name != old_first
        assert not stored(old_first) and not stored(old_second)
        assert not ArticleImage.objects.filter(pk=second.pk).exists()

    def test_replacing_a_persons_photo_removes_the_old_one(self, editor_client):
        person = PersonFactory()
        url = reverse("admin:people_person_change", args=[person.pk])
        data = change_form_data(editor_client, url)
        editor_client.post(url, {**data, "photo": cover("photo.png")})
        person.refresh_from_db()
        old = person.photo.name
        assert stored(old)

        data = change_form_data(editor_client, url)
        assert editor_client.post(url, {**data, "photo": cover("photo2.png")}).status_code == 302

        person.refresh_from_db()
        assert stored(person.photo.name) and not stored(old)


@pytest.mark.django_db(transaction=True)
class TestWhenFilesGo:
    def test_the_old_file_stays_until_the_change_commits(self):
        issue = IssueFactory(cover=cover())
        old = issue.cover.name

        with transaction.atomic():
            issue.cover = cover("new.png", color="blue")
            issue.save()
            assert stored(old)

        assert not stored(old) and stored(issue.cover.name)

    def test_a_rolled_back_change_keeps_the_old_file(self):
        issue = IssueFactory(cover=cover())
        old = issue.cover.name

        with pytest.raises(RuntimeError), transaction.atomic():
            issue.cover = cover("new.png", color="blue")
            issue.save()
            raise RuntimeError("the change fails after the save")

        assert stored(old)
        issue.refresh_from_db()
        assert issue.cover.name == old

    def test_a_file_another_record_names_is_kept(self):
        shared = IssueFactory(cover=cover()).cover.name
        other = IssueFactory()
        Issue.objects.filter(pk=other.pk).update(cover=shared)

        Issue.objects.get(cover=shared, pk__lt=other.pk).delete()

        assert stored(shared)
        Issue.objects.get(pk=other.pk).delete()
        assert not stored(shared)

    def test_a_person_deleted_takes_the_photo_along(self):
        person = Person.objects.create(name="甲", photo=cover("photo.png"))
        name = person.photo.name

        person.delete()

        assert not stored(name)
