"""Requests past Django's size limits get a Chinese page (templates/400.html), never the bare
English "Bad Request (400)"; uploads past a form's own limit get a Chinese form error."""

import http.cookiejar
import io
import os
import re
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
URLENCODED = "application/x-www-form-urlencoded"


def assert_chinese_400(response):
    page = response.content.decode()
    assert response.status_code == 400
    assert "请求无法处理" in page and "Bad Request" not in page
    return page


def test_too_large_a_form_gets_a_chinese_page(client, settings):
    body = urlencode({"username": "editor", "password": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    page = assert_chinese_400(client.post(LOGIN, body, content_type=URLENCODED))
    assert "提交的内容过大" in page


def test_too_large_an_article_body_in_the_admin_gets_a_chinese_page(editor_client, settings):
    body = "<p>" + "政协" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 6) + "</p>"  # 3 bytes each
    response = editor_client.post(
        reverse("admin:articles_article_add"), urlencode({"title": "长文", "body": body}),
        content_type=URLENCODED,
    )  # fmt: skip
    assert "提交的内容过大" in assert_chinese_400(response)


def test_too_many_fields_get_a_chinese_page(client, settings):
    fields = [(f"f{n}", "1") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)]
    page = assert_chinese_400(client.post(LOGIN, urlencode(fields), content_type=URLENCODED))
    assert "一次提交的项目过多" in page


def test_too_many_files_get_a_chinese_page(editor_client, settings):
    files = [
        SimpleUploadedFile(f"{n}.txt", b"x", content_type="text/plain")
        for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    response = editor_client.post(reverse("admin:issues_issue_import"), {"file": files})
    assert "一次提交的项目过多" in assert_chinese_400(response)


def test_the_page_names_the_limits_the_settings_set(client, settings):
    too_many = "&".join(["a=1"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    page = assert_chinese_400(client.post(LOGIN, too_many, content_type=URLENCODED))
    text = re.sub(r"<[^>]+>", "", page)
    assert f"不能超过 {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024**2} MB" in text
    assert f"一次最多 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 个字段" in text
    assert f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个文件" in text


@pytest.mark.django_db(transaction=True)
def test_a_real_browser_like_post_past_the_limit_over_http(live_server, settings):
    """Through a real server, with the CSRF cookie and token a browser sends."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{live_server.url}{LOGIN}", timeout=30) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    body = urlencode(
        {
            "csrfmiddlewaretoken": token[1],
            "username": "editor",
            "password": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        }
    ).encode()
    request = urllib.request.Request(
        f"{live_server.url}{LOGIN}",
        data=body,
        headers={"Content-Type": URLENCODED, "Referer": f"{live_server.url}{LOGIN}"},
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(request, timeout=60)
    page = answer.value.read().decode()
    assert answer.value.code == 400
    assert "提交的内容过大" in page and "Bad Request" not in page


# -- a form's own limits on uploaded files -------------------------------------------------------


def test_a_print_text_file_over_its_limit_gets_a_chinese_form_error(editor_client):
    from issues.forms import MAX_PRINT_TEXT_BYTES

    data = {
        "file": SimpleUploadedFile("issue.txt", "政".encode() * (MAX_PRINT_TEXT_BYTES // 3 + 1)),
        "publication": PublicationFactory().pk,
        "year": 2025,
        "number": 4,
    }
    page = editor_client.post(reverse("admin:issues_issue_import"), data)
    assert page.status_code == 200
    assert "文件超过 5 MB" in page.content.decode()


def test_a_cover_image_over_its_limit_gets_a_chinese_form_error(editor_client):
    from bulletin.validators import MAX_IMAGE_BYTES

    # a real image past the limit: noise does not compress
    side = int((MAX_IMAGE_BYTES / 3) ** 0.5) + 50
    png = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(png, "PNG")
    assert png.tell() > MAX_IMAGE_BYTES
    cover = SimpleUploadedFile("cover.png", png.getvalue(), content_type="image/png")
    data = {
        "publication": PublicationFactory().pk,
        "year": 2025,
        "number": 1,
        "cover": cover,
    }
    page = editor_client.post(reverse("admin:issues_issue_add"), data)
    assert page.status_code == 200
    assert "图片不能超过 8 MB" in page.content.decode()


def test_uploaded_files_do_not_count_against_the_form_data_limit(editor_client, settings):
    """A Word file larger than DATA_UPLOAD_MAX_MEMORY_SIZE (two large photos) still imports:
    only form fields count against it, and the Word import has its own 50 MB limit."""
    from articles.models import Article
    from tests.articles.docx_files import add_picture, docx_bytes
    from tests.factories import SectionFactory

    def photo():
        side = 1400  # noise does not compress: about 5.9 MB as PNG
        buffer = io.BytesIO()
        Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
        return buffer.getvalue()

    def fill(document):
        document.add_paragraph("两张大照片", style="Title")
        add_picture(document, photo())
        add_picture(document, photo())
        document.add_paragraph("正文。")

    data = docx_bytes(fill)
    assert len(data) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = editor_client.post(
        reverse("admin:articles_article_import_docx"),
        {
            "file": SimpleUploadedFile("photos.docx", data),
            "section": SectionFactory().pk,
            "title": "",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.title == "两张大照片" and article.images.count() == 2
