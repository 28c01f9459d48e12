"""The admin's import of a whole issue: upload, side-by-side preview, confirm."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from issues.models import Issue
from tests.articles.print_sample import SAMPLE
from tests.factories import IssueFactory, PublicationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:issues_issue_import")


def upload(client, publication, content, **fields):
    data = {
        "file": SimpleUploadedFile("issue.txt", content, content_type="text/plain"),
        "publication": publication.pk,
        "year": 2025,
        "number": 4,
        **fields,
    }
    return client.post(URL, data)


def confirm(client, preview):
    """Submit the preview page's hidden confirm form as the browser would."""
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    if not data["replace"]:
        data.pop("replace")
    data["confirm"] = "1"
    return client.post(URL, data)


def test_changelist_links_to_import(editor_client):
    page = editor_client.get(reverse("admin:issues_issue_changelist"))
    assert URL in page.content.decode()


def test_form_page_loads(editor_client):
    page = editor_client.get(URL)
    assert page.status_code == 200
    assert "印刷版 PDF 或文本文件" in page.content.decode()


def test_preview_shows_source_and_result_and_writes_nothing(editor_client):
    publication = PublicationFactory()
    page = upload(editor_client, publication, SAMPLE.encode("gb18030"))
    html = page.content.decode()
    assert page.status_code == 200
    # the source, line by line, with what each line became
    assert re.search(
        r'class="role-title[^"]*"[^>]*>\s*<span class="role-label">标题</span><span class="line-text">市政协召开专题协商会',
        html,
    )
    assert re.search(
        r'class="role-author[^"]*"[^>]*>\s*<span class="role-label">作者</span><span class="line-text">记者 蓝 天',
        html,
    )
    assert re.search(
        r'class="role-running-head[^"]*"[^>]*>\s*<span class="role-label">书眉（删除）</span><span class="line-text">SHILIZHENGXIEGONGZUO',
        html,
    )
    assert re.search(
        r'class="role-heading[^"]*"[^>]*>\s*<span class="role-label">小标题</span><span class="line-text">一、聚焦急难愁盼',
        html,
    )
    assert re.search(
        r'class="role-note[^"]*"[^>]*>\s*<span class="role-label">文末注释</span><span class="line-text">（作者单位',
        html,
    )
    # the result: titles, authors with roles, headings, notes
    assert "让协商成果落地生根" in html
    assert "通讯员 韦晓东" in html
    assert "来源：《示例政协报》" in html
    assert Issue.objects.count() == 0 and Article.objects.count() == 0


def test_confirm_saves_a_draft_issue_and_redirects_to_it(editor_client):
    publication = PublicationFactory()
    preview = upload(editor_client, publication, SAMPLE.encode("utf-8"), total_number=88)
    response = confirm(editor_client, preview)
    issue = Issue.objects.get(year=2025, number=4)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:issues_issue_change", args=[issue.pk])
    assert issue.status == Issue.Status.DRAFT
    assert issue.total_number == 88
    assert list(issue.articles.in_print_order().values_list("title", flat=True)) == [
        "市政协召开专题协商会",
        "委员走进社区听民声",
        "让协商成果落地生根",
    ]


def test_warnings_are_highlighted(editor_client):
    publication = PublicationFactory()
    # drop one end note: the article imports, with a warning pointing at its line
    text = SAMPLE.replace("（来源：《示例政协报》）\n", "")
    html = upload(editor_client, publication, text.encode()).content.decode()
    assert "请核对 1 条提示" in html
    assert "委员走进社区听民声》文末没有来源或作者单位注释" in html
    assert "warned" in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "这不是文本文件"),
        ("只有一段文字，没有目录。".encode(), "没有找到目录"),
        (SAMPLE.split("市政协召开专题协商会\n\n共商")[0].encode(), "目录之后没有正文"),
    ],
)
def test_bad_files_show_a_chinese_error_and_write_nothing(editor_client, content, message):
    publication = PublicationFactory()
    page = upload(editor_client, publication, content)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert Issue.objects.count() == 0


def test_existing_issue_is_not_overwritten_without_replace(editor_client):
    publication = PublicationFactory()
    old = IssueFactory(publication=publication, year=2025, number=4)
    page = upload(editor_client, publication, SAMPLE.encode())
    html = page.content.decode()
    assert "已经存在，不能导入为同一期" in html
    assert 'name="confirm"' not in html
    # a forged confirm is refused too
    response = confirm(editor_client, page)
    assert response.status_code == 302
    assert Issue.objects.get() == old and old.articles.count() == 0


def test_replace_swaps_the_issue_content(editor_client):
    publication = PublicationFactory()
    IssueFactory(publication=publication, year=2025, number=4)
    preview = upload(editor_client, publication, SAMPLE.encode(), replace="on")
    assert "将被替换" in preview.content.decode()
    confirm(editor_client, preview)
    assert Issue.objects.get(year=2025, number=4).articles.count() == 3


def test_staff_without_add_permission_is_refused(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(URL).status_code == 403


# -- the print PDF ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_pdf_bytes():
    from tests.importers.pdf_samples import require_seed, seed_pdf

    return seed_pdf(require_seed(), "print")


def upload_pdf(client, publication, content, **fields):
    data = {
        "file": SimpleUploadedFile("issue.pdf", content, content_type="application/pdf"),
        "publication": publication.pk,
        "year": 2024,
        "number": 2,
        **fields,
    }
    return client.post(URL, data)


def test_pdf_preview_then_confirm_keeps_the_pdf_as_the_issue_pdf(editor_client, seed_pdf_bytes):
    from issues import import_uploads

    publication = PublicationFactory()
    page = upload_pdf(editor_client, publication, seed_pdf_bytes)
    assert page.status_code == 200
    html = page.content.decode()
    assert "孙大伟深入崇左开展春节前慰问活动" in html
    assert "整期 PDF" in html
    assert not Issue.objects.exists()
    token = page.context["confirm_form"]["token"].value()
    kept = import_uploads.load(token, user=page.wsgi_request.user).pdf_path
    assert kept.read_bytes() == seed_pdf_bytes

    done = confirm(editor_client, page)
    assert done.status_code == 302
    issue = Issue.objects.get(year=2024, number=2)
    assert issue.articles.count() == 11
    with issue.pdf.open("rb") as stored:
        assert stored.read() == seed_pdf_bytes
    assert not kept.exists()


def test_a_scanned_pdf_is_refused_with_the_reason(editor_client):
    from tests.importers.pdf_samples import image_only_pdf

    page = upload_pdf(editor_client, PublicationFactory(), image_only_pdf())
    assert page.status_code == 200
    assert "没有文字层（可能是扫描件）" in page.content.decode()
    assert not Issue.objects.exists()


@pytest.mark.parametrize("token", ["../../etc/passwd", "a/b", "0" * 31, "0" * 32, ""])
def test_confirm_refuses_a_bad_or_missing_token(editor_client, token):
    publication = PublicationFactory()
    page = upload(editor_client, publication, SAMPLE.encode("utf-8"))
    form = page.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.pop("replace")
    data.update(confirm="1", token=token)
    response = editor_client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == URL
    assert not Issue.objects.exists()
