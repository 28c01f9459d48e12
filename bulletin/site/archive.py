"""Backups of the whole site in one file: every row editors made and every media file.

An archive is a zip file:

- ``manifest.json``: format and version, when it was made, the versions of the code and the
  migrations applied, counts per model, and the size and SHA-256 of every other member;
- ``data/NN-app.model.jsonl``: the rows of one model in Django's JSON Lines serialization, in
  load order. Primary keys are kept (article URLs carry them); content types, permissions,
  groups and users are referred to by natural key, since a new database numbers its content
  types and permissions its own way and ``setup_roles`` creates the editorial groups before a
  restore;
- ``media/<name>``: every file of the media storage under its stored name.

Export and import stream rows and files; nothing holds a whole table or file in memory.
The import (archive_import.py) checks every checksum before it writes anything.
"""

import datetime
import hashlib
import json
import os
import platform
import zipfile
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "bulletin-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data/"
MEDIA_PREFIX = "media/"

# Every model of these apps is archived, so a model added later is backed up without a change
# here (tests/site/test_archive.py checks the list); TRANSIENT_MODELS are the exceptions.
PROJECT_APPS = ("bulletin", "site", "people", "articles", "issues")
# Editors' accounts (with their password hashes, so that they can log in after a restore) and
# groups, revisions (django-reversion) and the admin's action log.
OTHER_MODELS = (
    "auth.group",
    "auth.user",
    "reversion.revision",
    "reversion.version",
    "admin.logentry",
)
# Work in progress of the running site, which a restore rebuilds (the search index queue).
TRANSIENT_MODELS = {"articles.searchqueueentry"}
# Matched by name in the target database, which setup_roles may already have filled.
NATURAL_PK_MODELS = {"auth.group"}
# The apps whose migrations the manifest records, to refuse an archive of a newer schema.
MIGRATION_APPS = PROJECT_APPS + ("auth", "contenttypes", "reversion", "admin")

PACKAGES = ("bulletin", "Django", "django-reversion", "django-mptt", "django-haystack")
CHUNK = 1024 * 1024


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a restore must give back the microseconds
    (feeds, sitemaps and Last-Modified print them, and orderings by time depend on them)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class ArchiveError(Exception):
    """The archive cannot be written or restored; the message says why, in plain English."""


def archived_models():
    """The models an archive holds, in an order that loads: natural-key targets first."""
    chosen = []
    for label in PROJECT_APPS:
        chosen += [
            model
            for model in apps.get_app_config(label).get_models()
            if model._meta.label_lower not in TRANSIENT_MODELS
        ]
    chosen += [apps.get_model(label) for label in OTHER_MODELS]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def label(model):
    return model._meta.label_lower


def data_member(index, model):
    return f"{DATA_PREFIX}{index:02}-{label(model)}.jsonl"


def media_files(storage=None):
    """Every file of the media storage, by stored name, in a stable order."""
    storage = storage or default_storage
    return sorted(_walk(storage, ""))


def _walk(storage, folder):
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:  # a media folder that was never created holds nothing
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in dirs:
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def referenced_files():
    """Names stored in the file fields of archived rows: {name}."""
    names = set()
    for model in archived_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                column = field.attname
                names.update(
                    model._base_manager.exclude(**{column: ""})
                    .exclude(**{f"{column}__isnull": True})
                    .values_list(column, flat=True)
                )
    return names


def applied_migrations():
    applied = MigrationRecorder(connection).applied_migrations()
    result = {}
    for app_label, name in sorted(applied):
        if app_label in MIGRATION_APPS:
            result.setdefault(app_label, []).append(name)
    return result


def versions():
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found


class _Member:
    """A zip member being written: counts its bytes and hashes them on the way through."""

    def __init__(self, handle):
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data):
        if isinstance(data, str):  # the serializers write text
            data = data.encode("utf-8")
        self.sha256.update(data)
        self.size += len(data)
        self.handle.write(data)

    def entry(self):
        return {"size": self.size, "sha256": self.sha256.hexdigest()}


@contextmanager
def _member(zf, name, files, *, compress=True):
    info = zipfile.ZipInfo(name, date_time=timezone.now().timetuple()[:6])
    # Images and PDFs are compressed already; deflating them costs time and saves nothing.
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zf.open(info, "w", force_zip64=True) as handle:
        member = _Member(handle)
        yield member
    files[name] = member.entry()


def _counted(iterable, counter, key):
    for item in iterable:
        counter[key] += 1
        yield item


@contextmanager
def _snapshot():
    """One consistent view of the database for the whole export, where the database has one."""
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def export_archive(path, *, storage=None) -> dict:
    """Write the archive to ``path`` (replacing it only once complete); return its manifest."""
    storage = storage or default_storage
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    files, counts = {}, {}
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as zf, _snapshot():
            for index, model in enumerate(archived_models(), start=1):
                counts[label(model)] = 0
                rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
                with _member(zf, data_member(index, model), files) as out:
                    serializers.serialize(
                        "jsonl",
                        _counted(rows, counts, label(model)),
                        stream=out,
                        cls=FullPrecisionEncoder,
                        use_natural_foreign_keys=True,
                        use_natural_primary_keys=label(model) in NATURAL_PK_MODELS,
                    )
            stored = media_files(storage)
            for name in stored:
                with storage.open(name, "rb") as source:
                    with _member(zf, MEDIA_PREFIX + name, files, compress=False) as out:
                        while chunk := source.read(CHUNK):
                            out.write(chunk)
            missing = sorted(referenced_files() - set(stored))
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "versions": versions(),
                "database": connection.vendor,
                "migrations": applied_migrations(),
                "counts": counts,
                "media_files": len(stored),
                "missing_media": missing,
                "files": files,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest
