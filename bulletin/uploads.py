"""Where uploaded files are stored, and when they are removed.

Names: every file field's upload_to is a ``RandomName``, which keeps a readable part of the
uploaded name and adds a random one, so nobody can reach a file (a draft issue's PDF, say) by
guessing its URL from the year and number.

Removal: a file replaced or cleared in its record, or whose record is deleted, is removed from
storage once the transaction commits (never before: a rolled-back change keeps its file), and only
when no record of any model still names it. django-cleanup does the same but must be an installed
app and deletes a file that another record still names; this is the same idea in a few dozen
lines, connected from BulletinConfig.ready() for every model with a file field. Changes that
bypass signals (QuerySet.update(), bulk_create) are not seen.
"""

import logging
import secrets
from pathlib import PurePosixPath

from django.apps import apps
from django.core.exceptions import SuspiciousFileOperation
from django.db import models, router, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename

logger = logging.getLogger(__name__)

READABLE_LENGTH = 40  # of the uploaded name's stem: names stay under FileField's 100 characters


def _readable(stem):
    try:
        return get_valid_filename(stem)[:READABLE_LENGTH].strip("._")
    except SuspiciousFileOperation:  # nothing usable left, e.g. "###"
        return ""


@deconstructible
class RandomName:
    """upload_to ``folder`` (strftime codes allowed), then ``<readable stem>-<random>.<ext>``."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        stem, dot, extension = PurePosixPath(filename).name.rpartition(".")
        if not dot:
            stem, extension = extension, ""
        stem = _readable(stem)
        name = f"{stem}-{secrets.token_hex(10)}" if stem else secrets.token_hex(10)
        if extension:
            name = f"{name}.{extension.lower()}"
        return str(PurePosixPath(timezone.localtime().strftime(self.folder)) / name)

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _remember_stored_files(sender, instance, raw, using, update_fields, **kwargs):
    instance._stored_files = {}
    if raw or instance._state.adding or instance.pk is None:
        return
    names = [f.attname for f in file_fields(sender)]
    if update_fields is not None:
        names = [name for name in names if name in update_fields]
    if names:
        stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*names).first()
        stored = stored or {}
        instance._stored_files = {name: value for name, value in stored.items() if value}


def _delete_replaced_files(sender, instance, using, **kwargs):
    stored = instance.__dict__.pop("_stored_files", {})
    for field in file_fields(sender):
        old = stored.get(field.attname)
        if old and old != getattr(instance, field.attname).name:
            delete_after_commit(field.storage, old, using)


def _delete_files_of_deleted(sender, instance, using, **kwargs):
    for field in file_fields(sender):
        name = getattr(instance, field.attname).name
        if name:
            delete_after_commit(field.storage, name, using)


def delete_after_commit(storage, name, using=None):
    """Remove ``name`` from ``storage`` when the current transaction commits, if by then no
    record names it any more."""
    transaction.on_commit(lambda: _delete_if_unused(storage, name), using=using)


def _delete_if_unused(storage, name):
    for model in apps.get_models():
        for field in file_fields(model):
            if field.storage is storage:
                manager = model._base_manager.db_manager(router.db_for_read(model))
                if manager.filter(**{field.attname: name}).exists():
                    return
    try:
        storage.delete(name)
    except Exception:
        # The record is saved; a file left behind is only wasted space.
        logger.exception("Could not remove the replaced upload %s", name)


def connect_cleanup():
    """Connect the removal of replaced and orphaned files for every model with a file field."""
    for model in apps.get_models():
        if file_fields(model):
            uid = f"bulletin.uploads.{model._meta.label_lower}"
            pre_save.connect(_remember_stored_files, sender=model, dispatch_uid=uid)
            post_save.connect(_delete_replaced_files, sender=model, dispatch_uid=uid)
            post_delete.connect(_delete_files_of_deleted, sender=model, dispatch_uid=uid)
