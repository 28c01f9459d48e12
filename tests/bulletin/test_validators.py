"""Upload checks: a file is what its name says, and that is a web image or a readable PDF."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from bulletin.validators import validate_image_file, validate_pdf_file
from tests.files import image_bytes, pdf_bytes

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


def refused(validator, name, content):
    with pytest.raises(ValidationError) as excinfo:
        validator(SimpleUploadedFile(name, content))
    return " ".join(excinfo.value.messages)


class TestPdf:
    def test_accepts_a_pdf(self):
        validate_pdf_file(SimpleUploadedFile("第3期.pdf", pdf_bytes(pages=3)))
        validate_pdf_file(SimpleUploadedFile("ISSUE.PDF", pdf_bytes()))

    def test_the_file_is_read_from_its_start_and_left_where_it_was(self):
        upload = SimpleUploadedFile("issue.pdf", pdf_bytes())
        upload.seek(7)
        validate_pdf_file(upload)
        assert upload.tell() == 7

    def test_refuses_html_behind_a_pdf_header_comment(self):
        message = refused(validate_pdf_file, "issue.pdf", b"<!-- %PDF-1.4 -->\n" + HTML)
        assert "这不是 PDF 文件" in message

    def test_refuses_html_in_front_of_a_real_pdf(self):
        # pypdf alone reads this one: the header must open the file.
        content = b"<!-- %PDF-1.4 -->\n" + HTML + pdf_bytes()
        assert "这不是 PDF 文件" in refused(validate_pdf_file, "issue.pdf", content)

    @pytest.mark.parametrize("name", ["issue.html", "issue.pdf.html", "issue", "issue.svg"])
    def test_refuses_a_pdf_under_another_name(self, name):
        assert ".pdf" in refused(validate_pdf_file, name, pdf_bytes())

    def test_refuses_a_header_without_a_document(self):
        message = refused(validate_pdf_file, "issue.pdf", b"%PDF-1.7\n\x00\x01\x02binary")
        assert "PDF 文件已损坏" in message

    def test_refuses_a_pdf_with_an_open_password(self):
        message = refused(validate_pdf_file, "issue.pdf", pdf_bytes(user_password="secret"))
        assert "密码" in message

    def test_accepts_a_pdf_restricted_by_an_owner_password_only(self):
        validate_pdf_file(SimpleUploadedFile("issue.pdf", pdf_bytes(owner_password="owner")))


class TestImage:
    @pytest.mark.parametrize(
        ("name", "image_format"),
        [
            ("封面.jpg", "JPEG"),
            ("cover.JPEG", "JPEG"),
            ("cover.png", "PNG"),
            ("cover.webp", "WEBP"),
            ("cover.gif", "GIF"),
        ],
    )
    def test_accepts_web_images_named_for_their_type(self, name, image_format):
        validate_image_file(SimpleUploadedFile(name, image_bytes(image_format)))

    @pytest.mark.parametrize(
        ("name", "image_format"),
        [("cover.jpg", "PNG"), ("cover.png", "JPEG"), ("cover.html", "PNG"), ("cover", "PNG")],
    )
    def test_refuses_an_image_named_for_another_type(self, name, image_format):
        message = refused(validate_image_file, name, image_bytes(image_format))
        assert "扩展名" in message and image_format in message

    @pytest.mark.parametrize(
        ("name", "content"),
        [("cover.svg", SVG), ("cover.png", SVG), ("cover.html", HTML), ("cover.jpg", HTML)],
    )
    def test_refuses_svg_and_html(self, name, content):
        assert "无法识别的图片文件" in refused(validate_image_file, name, content)

    def test_refuses_formats_browsers_do_not_show(self):
        message = refused(validate_image_file, "cover.tiff", image_bytes("TIFF"))
        assert "TIFF" in message

    def test_an_image_without_a_name_is_checked_by_its_content(self):
        # As the Word importer checks an embedded image before naming it after its format.
        validate_image_file(ContentFile(image_bytes("PNG")))
        with pytest.raises(ValidationError):
            validate_image_file(ContentFile(SVG))
