"""Restoring an archive written by bulletin.site.archive.

In order: every member's size and checksum is checked (nothing is written before); the
database must hold no content and the media storage none of the archive's files; then, in
one transaction, the rows are loaded with rich text sanitized on the way in, the trees
(django-mptt) are rebuilt, PostgreSQL's sequences are moved past the loaded keys, and the
media files are written (and removed again if anything fails). After the commit the caches
are cleared and the search index is rebuilt.
"""

import hashlib
import io
import json
import logging
import re
import zipfile
import zlib

from django.conf import settings
from django.core import serializers
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from mptt.models import MPTTModel

from bulletin.html import sanitize_html

from .archive import (
    CHUNK,
    DATA_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_PREFIX,
    NATURAL_PK_MODELS,
    ArchiveError,
    applied_migrations,
    archived_models,
    label,
)

logger = logging.getLogger(__name__)

DATA_MEMBER = re.compile(re.escape(DATA_PREFIX) + r"\d+-(?P<label>[a-z0-9_]+\.[a-z0-9_]+)\.jsonl")
# Fields holding HTML that pages render unescaped: sanitized again whatever the archive says.
RICH_TEXT = {"articles.article": ("body",)}


def read_verified(zf):
    """The manifest of ``zf`` once every member matches it; ArchiveError otherwise."""
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise ArchiveError("not a site archive: it has no manifest.json") from None
    except (ValueError, zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise ArchiveError(f"the archive is damaged: manifest.json cannot be read ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("not a site archive: manifest.json is not in the expected format")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise ArchiveError(
            f"the archive is in format version {manifest['format_version']}, newer than this "
            f"version of the site reads ({FORMAT_VERSION}): restore it with a newer version"
        )
    files = manifest.get("files") or {}
    members = {info.filename for info in zf.infolist() if not info.is_dir()} - {MANIFEST}
    if members != set(files):
        extra, missing = sorted(members - set(files)), sorted(set(files) - members)
        raise ArchiveError(
            "the archive is damaged: its files do not match its manifest "
            f"(missing: {missing[:5]}, unexpected: {extra[:5]})"
        )
    for name, expected in sorted(files.items()):
        _check_name(name)
        digest, size = hashlib.sha256(), 0
        try:
            with zf.open(name) as member:
                while chunk := member.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise ArchiveError(f"the archive is damaged: {name} cannot be read ({exc})") from exc
        if size != expected.get("size") or digest.hexdigest() != expected.get("sha256"):
            raise ArchiveError(f"the archive is damaged: the checksum of {name} does not match")
    return manifest


def _check_name(name):
    parts = name.split("/")
    if (
        not name.startswith((DATA_PREFIX, MEDIA_PREFIX))
        or "\\" in name
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise ArchiveError(f"the archive holds a file with an unsafe name: {name!r}")


def check_migrations(manifest):
    """Refuse an archive made with migrations this site does not have (a newer version)."""
    here = {(app, name) for app, names in applied_migrations().items() for name in names}
    theirs = {
        (app, name) for app, names in manifest.get("migrations", {}).items() for name in names
    }
    unknown = sorted(theirs - here)
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise ArchiveError(
            "the archive was made by a newer version of the site, with migrations this database "
            f"does not have ({listed}): update the code and run migrate first"
        )


def database_content():
    """{model label: rows} of the archived models that hold rows (groups do not count: a new
    database has setup_roles' groups, which the archive's groups update by name)."""
    found = {}
    for model in archived_models():
        if label(model) not in NATURAL_PK_MODELS:
            count = model._base_manager.count()
            if count:
                found[label(model)] = count
    return found


def import_archive(path, *, replace=False, storage=None, rebuild_index=True) -> dict:
    """Restore the archive at ``path``; return its manifest. ArchiveError when refused."""
    storage = storage or default_storage
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveError(f"no such file: {path}") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"the archive is damaged or not a zip file: {exc}") from exc
    with zf:
        manifest = read_verified(zf)
        check_migrations(manifest)
        existing = database_content()
        if existing and not replace:
            listed = ", ".join(f"{count} {name}" for name, count in existing.items())
            raise ArchiveError(
                f"the database already holds content ({listed}). Restore into an empty "
                "database (a new one, after migrate), or pass --replace to delete that content first"
            )
        media = [name for name in manifest["files"] if name.startswith(MEDIA_PREFIX)]
        clashes = [name for name in media if storage.exists(name.removeprefix(MEDIA_PREFIX))]
        if clashes and not replace:
            raise ArchiveError(
                f"the media folder already holds {len(clashes)} of the archive's files "
                f"(such as {clashes[0].removeprefix(MEDIA_PREFIX)}). Restore into an empty "
                "media folder, or pass --replace to overwrite them"
            )
        written = []
        try:
            with transaction.atomic():
                if replace:
                    _delete_content()
                manifest["sanitized"] = _load_rows(zf, manifest)
                _rebuild_trees()
                _reset_sequences()
                for member in media:
                    name = member.removeprefix(MEDIA_PREFIX)
                    if replace and storage.exists(name):
                        storage.delete(name)
                    with zf.open(member) as source:
                        saved = storage.save(name, File(source, name=name))
                    written.append(saved)
                    if saved != name:
                        raise ArchiveError(f"the media storage stored {name} as {saved}")
        except BaseException:
            for name in written:
                storage.delete(name)
            raise
    _clear_caches()
    if rebuild_index:
        call_command("rebuild_index", interactive=False, verbosity=0)
    return manifest


def _load_rows(zf, manifest):
    """Load every data member in order; return how many rich-text values the sanitizer changed."""
    sanitized = 0
    members = {}
    for name in manifest["files"]:
        if name.startswith(DATA_PREFIX):
            match = DATA_MEMBER.fullmatch(name)
            if not match:
                raise ArchiveError(f"the archive holds an unexpected data file: {name}")
            members[match["label"]] = name
    models = archived_models()
    unknown = sorted(set(members) - {label(model) for model in models})
    if unknown:
        raise ArchiveError(f"the archive holds rows of models this site does not have: {unknown}")
    for model in models:  # in this site's load order, whatever the archive's numbering
        name = members.get(label(model))
        if name is None:
            continue  # a model added after the archive was made
        force_insert = label(model) not in NATURAL_PK_MODELS
        deferred, loaded = [], 0
        with zf.open(name) as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8")
            try:
                for obj in serializers.deserialize("jsonl", stream, handle_forward_references=True):
                    sanitized += _sanitize(obj.object)
                    # The database is empty, so every row is new: an insert, never an update
                    # (an update would also trip django-concurrency's version check).
                    obj.save(force_insert=force_insert and obj.object.pk is not None)
                    loaded += 1
                    if obj.deferred_fields:
                        deferred.append(obj)
                for obj in deferred:
                    obj.save_deferred_fields()
            except (DeserializationError, DatabaseError, ValueError, LookupError) as exc:
                raise ArchiveError(f"{name} cannot be loaded: {exc}") from exc
        expected = manifest.get("counts", {}).get(label(model), 0)
        if loaded != expected:
            raise ArchiveError(f"{name} holds {loaded} rows, its manifest counts {expected}")
    return sanitized


def _sanitize(instance):
    changed = 0
    for field in RICH_TEXT.get(label(instance), ()):
        value = getattr(instance, field)
        clean = sanitize_html(value)
        if clean != value:
            setattr(instance, field, clean)
            changed += 1
    if label(instance) == "reversion.version":
        changed += _sanitize_version(instance)
    return changed


def _sanitize_version(version):
    """Old revisions are shown in the history admin and can be restored: sanitize them too."""
    model = version.content_type.model_class()
    fields = RICH_TEXT.get(label(model), ()) if model else ()
    if not fields or version.format != "json":
        return 0
    items = json.loads(version.serialized_data)
    changed = 0
    for item in items:
        for field in fields:
            value = item.get("fields", {}).get(field)
            if isinstance(value, str) and sanitize_html(value) != value:
                item["fields"][field] = sanitize_html(value)
                changed += 1
    if changed:
        version.serialized_data = json.dumps(items, ensure_ascii=False)
    return changed


def _delete_content():
    """Empty the archived models' tables (and their many-to-many tables) for --replace."""
    tables = set()
    for model in archived_models():
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.add(field.remote_field.through._meta.db_table)
    tables.add("articles_searchqueueentry")
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with pending deferred foreign-key checks (rows written
        # earlier in an enclosing transaction): run them now.
        connection.check_constraints()
    sql = connection.ops.sql_flush(no_style(), sorted(tables), allow_cascade=True)
    connection.ops.execute_sql_flush(sql)


def _rebuild_trees():
    """Recompute the trees' numbering from the parent links, keeping the siblings' order."""
    for model in archived_models():
        if issubclass(model, MPTTModel):
            model._tree_manager.rebuild()


def _reset_sequences():
    """Rows were inserted with their keys: move PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), archived_models())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _clear_caches():
    """Pages cached before the restore show what is gone."""
    for alias in settings.CACHES:
        try:
            caches[alias].clear()
        except Exception:  # a cache that is unreachable now holds nothing that is served
            logger.warning("Cache %s could not be cleared after the restore", alias, exc_info=True)
