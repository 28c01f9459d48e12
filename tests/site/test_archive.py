"""export_archive / import_archive: a site restored from its archive is the same site.

The round trip builds a realistic site (the demo content, published through the workflow with
its revisions, transitions, distribution records and generated issue PDFs; the seed issue when
../shared/seeds is present; a cover, an article image, a person's photo; users and groups; a
section dragged out of creation order), reads every public page, feed, sitemap and API answer
and every media file, exports, empties the database, the media folder and the search index,
imports, and reads it all again: byte for byte the same.
"""

import datetime
import difflib
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import reversion
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image
from pypdf import PdfWriter
from reversion.models import Version

from articles.models import Article, Section
from bulletin.models import Publication
from bulletin.roles import setup_roles
from bulletin.site.archive import MANIFEST, PROJECT_APPS, TRANSIENT_MODELS, archived_models, label
from bulletin.site.archive_import import database_content
from bulletin.site.demo.loader import load_demo_content
from issues.models import DistributionEntry, Issue, IssueTransition
from issues.services import publish_without_review
from people.models import Person, Recipient, RecipientGroup
from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    AuthorshipFactory,
    PersonFactory,
    SectionFactory,
)

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_1f77cc8d6c62dca6.txt"

pytestmark = pytest.mark.django_db

START = [
    "/",
    "/issues/",
    "/sections/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/sitemap.xml",
    "/robots.txt",
    "/api/issues/",
    "/api/sections/",
    *(f"/search/?q={q}" for q in ("政协", "协商", "孙大伟", "乡村振兴", "调研 委员")),
    *(f"/api/search/?q={q}" for q in ("政协", "协商", "乡村振兴")),
]
LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)|<loc>([^<]+)</loc>|"url": ?"([^"]+)\"""")
# What differs from one request to the next: CSRF tokens, CSP nonces.
PER_REQUEST = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """flush renumbers content types; forget the cached ids for the tests that follow."""
    yield
    ContentType.objects.clear_cache()


def png(color="red", size=(60, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def pdf():
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def build_site(*, with_seed):
    setup_roles()
    User = get_user_model()
    editor = User.objects.create_user("bianji", password="s3cret-pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="编辑"))
    User.objects.create_superuser("boss", "boss@example.org", "pw")
    load_demo_content()
    if with_seed:
        call_command("import_issue", str(SEED), year=2023, number=12, total=300, verbosity=0)
        publish_without_review(issue=Issue.objects.get(year=2023, number=12), comment="导入")
    issue = Issue.objects.published().order_by("-year", "-number").first()
    issue.cover.save("cover.png", ContentFile(png("navy")), save=True)
    article = issue.articles.order_by("pk").first()
    ArticleImageFactory(article=article, caption="调研现场", alt_text="委员调研")
    if not issue.pdf:
        issue.pdf.save("issue.pdf", ContentFile(pdf()), save=True)
    author = Person.objects.filter(authorships__article__issue=issue).order_by("pk").first()
    author.photo.save("photo.png", ContentFile(png("green")), save=True)
    # A section dragged before its older sibling: tree order differs from key order.
    sections = list(Section.objects.filter(parent=None).order_by("tree_id"))
    sections[-1].move_to(sections[0], "left")
    IssueTransition.objects.create(
        issue=issue, action="publish", from_status="approved", to_status="published", user=editor
    )
    group = RecipientGroup.objects.order_by("pk").first()
    DistributionEntry.objects.create(
        issue=issue,
        group_name=group.name,
        recipient="自治区政协办公厅",
        copies=3,
        source_group=group,
        source_recipient=Recipient.objects.order_by("pk").first(),
        corrected_by=editor,
    )
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(article.pk),
        object_repr=article.title[:200],
        action_flag=ADDITION,
    )
    return editor


def crawl(client):
    """{path: (status, content type, body)} of every public page reachable from START, and the
    media names they refer to."""
    pages, media, queue = {}, set(), list(START)
    while queue and len(pages) < 800:
        path = queue.pop(0)
        if path in pages:
            continue
        response = client.get(path)
        body = PER_REQUEST.sub(b"masked", response.content)
        pages[path] = (response.status_code, response.get("Content-Type"), body)
        for match in LINK.finditer(body.decode("utf-8", "replace")):
            link = (match.group(1) or match.group(2) or match.group(3)).replace("&amp;", "&")
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target.startswith(settings.MEDIA_URL):
                media.add(unquote(target.removeprefix(settings.MEDIA_URL)))
            elif not target.startswith(("/admin/", "/static/")) and target not in pages:
                queue.append(target)
    return pages, media


def difference(path, before, after):
    lines = [
        answer[2].decode("utf-8", "replace").replace(">", ">\n").splitlines()
        for answer in (before, after)
    ]
    diff = difflib.unified_diff(*lines, "before", "after", lineterm="", n=0)
    return f"{path} {before[:2]} → {after[:2]}\n" + "\n".join(list(diff)[:20])


def stored_media():
    from bulletin.site.archive import media_files

    return {name: default_storage.open(name).read() for name in media_files()}


def wipe(search_index):
    """A new server: empty database (after migrate and setup_roles), media and search index."""
    connection.check_constraints()  # PostgreSQL: no pending checks on the tables truncated
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    for alias in settings.CACHES:
        caches[alias].clear()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(search_index.path, ignore_errors=True)
    search_index.reconnect()
    setup_roles()


def data_members(path):
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist() if name != MANIFEST}


@pytest.mark.parametrize(
    "with_seed",
    [
        pytest.param(False, id="demo"),
        pytest.param(
            True,
            id="demo-and-seed",
            marks=pytest.mark.skipif(
                not SEED.exists(), reason=f"seed issue not found at {SEED} (../shared/seeds)"
            ),
        ),
    ],
)
def test_round_trip_gives_the_same_site(client, tmp_path, search_index, with_seed):
    editor = build_site(with_seed=with_seed)
    search_index.rebuild()
    before, referenced = crawl(client)
    media_before = stored_media()
    assert len(before) > 40 and {status for status, _, _ in before.values()} == {200}
    assert referenced and referenced <= set(media_before)
    assert {"covers", "articles", "people", "pdf"} <= {name.split("/")[0] for name in media_before}
    tree_before = list(Section.objects.values_list("pk", "parent", "lft", "rght", "level"))
    archive = tmp_path / "site.zip"
    call_command("export_archive", str(archive), stdout=io.StringIO())

    wipe(search_index)
    assert client.get("/").content != before["/"][2]
    assert not stored_media()
    call_command("import_archive", str(archive), stdout=io.StringIO())

    after, _ = crawl(client)
    assert sorted(after) == sorted(before)
    for path, answer in before.items():
        assert after[path] == answer, difference(path, answer, after[path])
    assert stored_media() == media_before
    assert list(Section.objects.values_list("pk", "parent", "lft", "rght", "level")) == tree_before
    # Everything, down to revisions and timestamps, comes back: a second archive holds the same.
    again = tmp_path / "again.zip"
    call_command("export_archive", str(again), stdout=io.StringIO())
    assert data_members(again) == data_members(archive)
    # Editors keep their passwords and their groups.
    restored = get_user_model().objects.get(pk=editor.pk)
    assert restored.check_password("s3cret-pw") and restored.is_active
    assert restored.groups.get().name == "编辑"


def test_new_rows_get_new_keys_after_a_restore(tmp_path, search_index):
    build_site(with_seed=False)
    top = {
        model: model.objects.order_by("-pk").values_list("pk", flat=True)[0]
        for model in (Article, Issue, Person)
    }
    call_command("export_archive", str(tmp_path / "a.zip"), stdout=io.StringIO())
    wipe(search_index)
    call_command("import_archive", str(tmp_path / "a.zip"), stdout=io.StringIO())

    # PostgreSQL's sequences were moved past the loaded keys (loaddata alone leaves them at 1).
    article = ArticleFactory(issue=Issue.objects.order_by("pk").first())
    assert article.pk > top[Article] and article.issue.pk <= top[Issue]
    assert ArticleFactory().issue.pk > top[Issue]
    assert PersonFactory().pk > top[Person]
    assert SectionFactory().pk > 0 and get_user_model().objects.create_user("new").pk


def test_every_model_of_the_project_is_archived_or_declared_transient():
    archived = {label(model) for model in archived_models()}
    for app_label in PROJECT_APPS:
        from django.apps import apps

        for model in apps.get_app_config(app_label).get_models():
            assert label(model) in archived | TRANSIENT_MODELS, label(model)
    assert {"auth.user", "auth.group", "reversion.version", "reversion.revision"} <= archived


def small_site(tmp_path):
    """Factories only: an article with an image, exported; returns the archive's path."""
    ArticleImageFactory(article=ArticleFactory(published=True))
    path = tmp_path / "small.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    return path


def rewrite(source, target, *, member=None, change=None, manifest=None, rehash=False):
    """Copy an archive, changing one member's bytes (its checksum left as it was unless
    ``rehash``) or the manifest (with ``manifest(dict)``)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        found = json.loads(zin.read(MANIFEST))
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                data = change(data)
                if rehash:
                    digest = hashlib.sha256(data).hexdigest()
                    found["files"][member] = {"size": len(data), "sha256": digest}
            if info.filename != MANIFEST:
                zout.writestr(info.filename, data)
        zout.writestr(MANIFEST, json.dumps(manifest(found) if manifest else found))
    return target


def nothing_restored():
    return not database_content() and not stored_media()


@pytest.mark.parametrize(
    "damage", ["flipped byte", "changed member", "member removed", "truncated"]
)
def test_a_damaged_archive_is_refused_and_nothing_is_written(tmp_path, search_index, damage):
    source = small_site(tmp_path)
    wipe(search_index)
    target = tmp_path / "damaged.zip"
    if damage == "flipped byte":
        data = bytearray(source.read_bytes())
        data[len(data) // 3] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "changed member":
        member = next(n for n in data_members(source) if n.endswith("articles.article.jsonl"))
        rewrite(
            source,
            target,
            member=member,
            change=lambda d: d.replace("调研".encode(), b"xx"),
        )
    elif damage == "member removed":
        with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
            for info in zin.infolist():
                if not info.filename.startswith("media/"):
                    zout.writestr(info.filename, zin.read(info.filename))
    else:
        target.write_bytes(source.read_bytes()[: source.stat().st_size // 2])

    with pytest.raises(CommandError, match="Nothing was restored: .*damaged"):
        call_command("import_archive", str(target), stdout=io.StringIO())
    assert nothing_restored()


def test_a_database_with_content_is_refused(tmp_path):
    source = small_site(tmp_path)
    Article.objects.update(title="改过的标题")
    shutil.rmtree(settings.MEDIA_ROOT)

    with pytest.raises(CommandError, match="already holds content .*1 articles.article.*--replace"):
        call_command("import_archive", str(source), stdout=io.StringIO())
    assert Article.objects.get().title == "改过的标题" and not stored_media()


def test_a_media_folder_holding_the_files_is_refused(tmp_path, search_index):
    source = small_site(tmp_path)
    media = stored_media()
    wipe(search_index)
    name = next(iter(media))
    default_storage.save(name, ContentFile(b"other"))

    with pytest.raises(CommandError, match="media folder already holds 1"):
        call_command("import_archive", str(source), stdout=io.StringIO())
    assert not database_content()


def test_replace_swaps_the_content(client, tmp_path, search_index):
    source = small_site(tmp_path)
    media = stored_media()
    article = Article.objects.get()
    Article.objects.update(title="改过的标题")
    ArticleFactory(title="备份之后的稿件")
    assert "改过的标题" in client.get(f"/articles/{article.pk}/").content.decode()

    call_command("import_archive", str(source), "--replace", stdout=io.StringIO())
    assert Article.objects.get().title == article.title
    # No page cached before the restore is served after it.
    page = client.get(f"/articles/{article.pk}/").content.decode()
    assert article.title in page and "改过的标题" not in page
    assert {name: data for name, data in stored_media().items() if name in media} == media


def test_an_archive_of_a_newer_version_is_refused(tmp_path, search_index):
    source = small_site(tmp_path)
    wipe(search_index)

    def newer(manifest):
        manifest["migrations"]["articles"].append("9999_from_the_future")
        return manifest

    target = rewrite(source, tmp_path / "newer.zip", manifest=newer)
    with pytest.raises(CommandError, match="newer version .*articles.9999_from_the_future"):
        call_command("import_archive", str(target), stdout=io.StringIO())
    assert nothing_restored()


def test_bodies_are_sanitized_on_the_way_in(client, tmp_path, search_index):
    article = ArticleFactory(published=True)
    Publication.objects.update(slug="demo")
    hostile = '<p>正文<img src="x" onerror="alert(1)"></p><script>alert(2)</script>'
    with reversion.create_revision():
        article.save()
    Article.objects.filter(pk=article.pk).update(body=hostile)  # as a raw loaddata would
    version = Version.objects.get_for_object(article).get()
    old = json.loads(version.serialized_data)
    old[0]["fields"]["body"] = hostile
    Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(old))
    source = tmp_path / "hostile.zip"
    call_command("export_archive", str(source), stdout=io.StringIO())
    wipe(search_index)

    out = io.StringIO()
    call_command("import_archive", str(source), stdout=out)
    body = Article.objects.get().body
    assert "onerror" not in body and "script" not in body and "正文" in body
    page = client.get(f"/articles/{article.pk}/").content.decode()
    assert "onerror" not in page and "alert(2)" not in page
    assert "cleaned by the sanitizer: 2" in out.getvalue()
    old = json.loads(Version.objects.get().serialized_data)[0]["fields"]["body"]
    assert "onerror" not in old and "script" not in old and "正文" in old


def test_times_keep_their_microseconds(tmp_path, search_index):
    """Django's JSON encoder cuts times to milliseconds; feeds and Last-Modified show them."""
    moment = datetime.datetime(2024, 3, 1, 1, 2, 3, 123456, tzinfo=datetime.UTC)
    article = ArticleFactory(published=True)
    Article.objects.filter(pk=article.pk).update(created_at=moment, corrected_at=moment)
    Issue.objects.filter(pk=article.issue_id).update(published_at=moment)
    source = tmp_path / "times.zip"
    call_command("export_archive", str(source), stdout=io.StringIO())
    wipe(search_index)
    call_command("import_archive", str(source), stdout=io.StringIO())

    restored = Article.objects.select_related("issue").get()
    assert restored.created_at == restored.corrected_at == restored.issue.published_at == moment


def test_trees_are_renumbered_from_their_parent_links(tmp_path, search_index):
    """An archive whose tree numbers are off (edited by hand, or a bug elsewhere) still gives
    consistent trees: they are rebuilt from the parent links, siblings in their order."""
    parent = SectionFactory(name="理论研究")
    first, second = SectionFactory(parent=parent), SectionFactory(parent=parent)
    source = tmp_path / "tree.zip"
    call_command("export_archive", str(source), stdout=io.StringIO())
    wipe(search_index)

    def garble(data):
        rows = [json.loads(line) for line in data.decode().splitlines()]
        for row in rows:
            row["fields"].update(level=5, rght=0)
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()

    member = next(n for n in data_members(source) if n.endswith("articles.section.jsonl"))
    target = rewrite(source, tmp_path / "garbled.zip", member=member, change=garble, rehash=True)
    call_command("import_archive", str(target), stdout=io.StringIO())

    assert list(Section.objects.get(pk=parent.pk).get_descendants()) == [first, second]
    assert list(Section.objects.get(pk=second.pk).get_ancestors()) == [parent]
    assert Section.objects.get(pk=second.pk).level == 1


def test_a_file_missing_from_media_is_reported_on_export(tmp_path):
    image = ArticleImageFactory()
    default_storage.delete(image.image.name)
    err = io.StringIO()
    call_command("export_archive", str(tmp_path / "a.zip"), stdout=io.StringIO(), stderr=err)
    assert f"{image.image.name} is referenced by a row but missing" in err.getvalue()


def test_rows_that_fail_to_load_leave_nothing_behind(tmp_path, search_index):
    """A well-formed archive whose rows the database refuses (here an authorship naming no
    author, against a check constraint) restores nothing, media included."""
    ArticleImageFactory(article=AuthorshipFactory().article)
    source = tmp_path / "with-author.zip"
    call_command("export_archive", str(source), stdout=io.StringIO())
    wipe(search_index)

    def orphan(data):
        row = json.loads(data)
        row["fields"].update(person=None, organisation=None)
        return (json.dumps(row, ensure_ascii=False) + "\n").encode()

    member = next(n for n in data_members(source) if n.endswith("articles.authorship.jsonl"))
    target = rewrite(source, tmp_path / "bad-row.zip", member=member, change=orphan, rehash=True)
    with pytest.raises(CommandError, match="authorship.jsonl cannot be loaded"):
        call_command("import_archive", str(target), stdout=io.StringIO())
    assert nothing_restored()


def test_a_manifest_that_miscounts_is_refused(tmp_path, search_index):
    source = small_site(tmp_path)
    wipe(search_index)

    def miscount(manifest):
        manifest["counts"]["articles.article"] = 2
        return manifest

    target = rewrite(source, tmp_path / "miscounted.zip", manifest=miscount)
    with pytest.raises(CommandError, match="holds 1 rows, its manifest counts 2"):
        call_command("import_archive", str(target), stdout=io.StringIO())
    assert nothing_restored()


def test_an_archive_of_an_older_version_is_read_by_model_not_by_position(tmp_path, search_index):
    """Members are found by model: an archive numbered otherwise, or without a model added
    since (here the admin log), still restores."""
    source = small_site(tmp_path)
    wipe(search_index)
    target = tmp_path / "older.zip"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        manifest = json.loads(zin.read(MANIFEST))
        files = {}
        for name, entry in manifest["files"].items():
            if name.endswith("admin.logentry.jsonl"):
                continue
            renamed = re.sub(r"^data/(\d+)-", r"data/9\1-", name)
            files[renamed] = entry
            zout.writestr(renamed, zin.read(name))
        manifest.update(files=files)
        del manifest["counts"]["admin.logentry"]
        zout.writestr(MANIFEST, json.dumps(manifest))

    call_command("import_archive", str(target), stdout=io.StringIO())
    assert Article.objects.count() == 1 and len(stored_media()) == 1
