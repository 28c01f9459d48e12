import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from issues.models import Issue
from tests.factories import IssueFactory, PublicationFactory
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db


def png_upload(name="cover.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class TestTitle:
    def test_display_title_with_total_number(self):
        issue = IssueFactory.build(year=2024, number=2, total_number=301)

        assert issue.display_title == "2024年第2期（总第301期）"
        assert str(issue) == "2024年第2期（总第301期）"

    def test_display_title_without_total_number(self):
        issue = IssueFactory.build(year=2024, number=2, total_number=None)

        assert issue.display_title == "2024年第2期"

    def test_absolute_url(self):
        issue = IssueFactory(year=2024, number=2)

        assert issue.get_absolute_url() == "/issues/2024/2/"


class TestUniqueNumber:
    def test_duplicate_number_is_rejected_with_a_clear_message(self):
        existing = IssueFactory(year=2024, number=2)
        duplicate = Issue(publication=existing.publication, year=2024, number=2)

        with pytest.raises(ValidationError) as excinfo:
            duplicate.full_clean()

        message = " ".join(excinfo.value.messages)
        assert "2024年第2期已经存在" in message

    def test_duplicate_number_is_rejected_by_the_database(self):
        existing = IssueFactory(year=2024, number=2)

        with pytest.raises(IntegrityError), transaction.atomic():
            Issue.objects.create(publication=existing.publication, year=2024, number=2)

    def test_same_number_in_another_year_is_fine(self):
        existing = IssueFactory(year=2024, number=2)
        issue = Issue(publication=existing.publication, year=2025, number=2)

        issue.full_clean()
        issue.save()

        assert Issue.objects.filter(number=2).count() == 2

    def test_same_number_in_another_publication_is_fine(self):
        IssueFactory(year=2024, number=2)
        other = PublicationFactory(name="另一刊物", slug="other")
        issue = Issue(publication=other, year=2024, number=2)

        issue.full_clean()
        issue.save()

        assert Issue.objects.filter(year=2024, number=2).count() == 2

    def test_editing_an_existing_issue_does_not_clash_with_itself(self):
        issue = IssueFactory(year=2024, number=2)
        issue.notes = "已送印"

        issue.full_clean()


def test_published_returns_only_published_issues():
    published = IssueFactory(published=True)
    IssueFactory(status=Issue.Status.DRAFT)
    IssueFactory(status=Issue.Status.PROOFING)
    IssueFactory(status=Issue.Status.APPROVED)

    assert list(Issue.objects.published()) == [published]


def test_newest_first_orders_by_year_then_number():
    old = IssueFactory(year=2023, number=12)
    first = IssueFactory(year=2024, number=1)
    second = IssueFactory(year=2024, number=2)

    assert list(Issue.objects.newest_first()) == [second, first, old]


class TestUploads:
    def test_cover_must_be_an_image(self):
        issue = IssueFactory.build(publication=PublicationFactory())
        issue.cover = SimpleUploadedFile("cover.png", b"this is not an image", "image/png")

        with pytest.raises(ValidationError) as excinfo:
            issue.full_clean()

        assert "cover" in excinfo.value.error_dict

    def test_cover_accepts_a_real_png(self):
        issue = IssueFactory.build(publication=PublicationFactory())
        issue.cover = png_upload()

        issue.full_clean()
        issue.save()

        issue.refresh_from_db()
        assert issue.cover.name.endswith(".png")
        assert issue.cover.size > 0

    def test_pdf_must_be_a_pdf(self):
        issue = IssueFactory.build(publication=PublicationFactory())
        issue.pdf = SimpleUploadedFile("issue.pdf", b"PK\x03\x04 a zip file", "application/pdf")

        with pytest.raises(ValidationError) as excinfo:
            issue.full_clean()

        assert "pdf" in excinfo.value.error_dict

    def test_pdf_accepts_a_pdf(self):
        issue = IssueFactory.build(publication=PublicationFactory())
        issue.pdf = SimpleUploadedFile("issue.pdf", pdf_bytes())

        issue.full_clean()
