"""The admin import keeps the upload on the server between preview and confirm: the confirm form
carries a signed, expiring token, never the text (a large issue's text sent back exceeded the
request size limit: "Bad Request (400)")."""

import os
import re
import time
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from issues import import_uploads
from issues.models import Issue
from tests.articles.print_sample import SAMPLE
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:issues_issue_import")
PARAGRAPH = "委员们深入楼栋院落，详细了解加装电梯、停车难等问题，形成了一批有针对性的建议。\n\n"


def preview(client, content, name="issue.txt"):
    data = {
        "file": SimpleUploadedFile(name, content, content_type="text/plain"),
        "publication": PublicationFactory().pk,
        "year": 2025,
        "number": 4,
    }
    page = client.post(URL, data)
    assert page.status_code == 200
    return page


def confirm_fields(page):
    """The hidden fields of the preview's confirm form, as the browser reads them."""
    form = re.search(r'<form method="post">(.*?)</form>', page.content.decode(), re.S)[1]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    return {name: unescape(value) for name, value in fields.items()}


def confirm(client, fields, **changes):
    """POST the confirm form as a browser does: urlencoded (the form has no enctype)."""
    body = urlencode({**fields, **changes, "confirm": "确认导入为草稿"})
    return client.post(URL, body, content_type="application/x-www-form-urlencoded")


def shown_messages(client, response):
    assert response.status_code == 302 and response["Location"] == URL
    page = client.get(URL).content.decode()
    return " ".join(re.findall(r'<li class="(?:error|success)">(.*?)</li>', page))


def test_a_large_text_file_is_previewed_and_confirmed(editor_client):
    # 4.9 MB in GB18030 (under the form's 5 MB), 7.3 MB of text: urlencoded in a form field it
    # was about 22 MB, twice DATA_UPLOAD_MAX_MEMORY_SIZE.
    text = SAMPLE.replace("\n\n（作者单位", "\n\n" + PARAGRAPH * 61_000 + "（作者单位")
    content = text.encode("gb18030")
    assert 4.5e6 < len(content) < 5 * 1024 * 1024 and len(text.encode()) > 7e6

    fields = confirm_fields(preview(editor_client, content))
    done = confirm(editor_client, fields)

    assert done.status_code == 302
    assert len(urlencode(fields)) < 2000  # the token, not the text
    issue = Issue.objects.get(year=2025, number=4)
    assert done["Location"] == reverse("admin:issues_issue_change", args=[issue.pk])
    last = issue.articles.in_print_order().last()
    assert last.body.count("加装电梯") >= 61_000
    with pytest.raises(import_uploads.KeptUploadError):  # removed once imported
        import_uploads.load(fields["token"], user=done.wsgi_request.user)


def test_a_confirmed_upload_is_removed_and_cannot_be_confirmed_twice(editor_client):
    fields = confirm_fields(preview(editor_client, SAMPLE.encode()))
    user = editor_client.get(URL).wsgi_request.user
    key = import_uploads.load(fields["token"], user=user).key
    assert (import_uploads.folder() / f"{key}.txt").is_file()
    assert confirm(editor_client, fields).status_code == 302
    assert not (import_uploads.folder() / f"{key}.txt").exists()
    again = confirm(editor_client, fields, year=2026)
    assert "已不在服务器上" in shown_messages(editor_client, again)
    assert Issue.objects.count() == 1


def test_the_kept_upload_is_outside_the_served_media_folder(editor_client, settings):
    fields = confirm_fields(preview(editor_client, SAMPLE.encode()))
    user = editor_client.get(URL).wsgi_request.user
    key = import_uploads.load(fields["token"], user=user).key
    [kept] = import_uploads.folder().glob(f"{key}.*")
    assert not kept.resolve().is_relative_to(os.path.realpath(settings.MEDIA_ROOT))
    assert kept.read_text(encoding="utf-8") == SAMPLE


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: signing.dumps({"key": "../../../etc/passwd", "user": 1, "pdf": False}),
        lambda token: "",
        lambda token: "not a token",
    ],
    ids=["altered", "other-salt", "empty", "garbage"],
)
def test_a_tampered_token_is_refused_with_a_chinese_message(editor_client, tamper):
    fields = confirm_fields(preview(editor_client, SAMPLE.encode()))
    response = confirm(editor_client, fields, token=tamper(fields["token"]))
    text = shown_messages(editor_client, response)
    assert "导入标识无效" in text or "导入信息不完整" in text
    assert not Issue.objects.exists()


def test_someone_elses_token_is_refused(editor_client, client, django_user_model):
    fields = confirm_fields(preview(editor_client, SAMPLE.encode()))
    other = django_user_model.objects.create_superuser("other", "other@example.org", "pw")
    client.force_login(other)
    assert "不是您上传的文件" in shown_messages(client, confirm(client, fields))
    assert not Issue.objects.exists()


class HourOldSigner(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - import_uploads.MAX_AGE - 1)


def test_an_expired_token_is_refused_with_a_chinese_message(editor_client):
    fields = confirm_fields(preview(editor_client, SAMPLE.encode()))
    payload = signing.loads(fields["token"], salt=import_uploads.SALT)
    old = HourOldSigner(salt=import_uploads.SALT).sign_object(payload)
    response = confirm(editor_client, fields, token=old)
    assert "已超过 60 分钟未确认导入，已经失效" in shown_messages(editor_client, response)
    assert not Issue.objects.exists()


def test_uploads_older_than_the_token_lifetime_are_pruned(editor_client):
    fields = confirm_fields(preview(editor_client, SAMPLE.encode()))
    user = editor_client.get(URL).wsgi_request.user
    kept = import_uploads.folder() / f"{import_uploads.load(fields['token'], user=user).key}.txt"
    stale = time.time() - import_uploads.MAX_AGE - 60
    os.utime(kept, (stale, stale))
    preview(editor_client, SAMPLE.encode())  # a new upload prunes the old ones
    assert not kept.exists()


def test_print_pdfs_left_in_the_media_folder_by_earlier_versions_are_removed(
    editor_client, settings
):
    legacy = settings.MEDIA_ROOT / "import-tmp" / f"{'0' * 32}.pdf"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"%PDF-1.4 never confirmed")
    preview(editor_client, SAMPLE.encode())
    assert not legacy.exists()
