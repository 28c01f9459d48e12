"""No lost edits in the admin: a change form opened before someone else saved is refused.

Models with a django-concurrency version field (Article, Issue) carry their version number in a
hidden, signed form field (concurrency's VersionField). When the form is posted, the library's
check (``concurrency.core._select_lock``, what its ConcurrentForm runs) looks for the row with
that version; if it is gone someone saved in between, and the whole form (with its inlines) is
refused as a validation error, so nothing of it is saved. The library's versioned UPDATE still
guards the last moment: a save that races past the form check raises RecordModifiedError, the
admin's transaction is rolled back and the form is shown again, which now finds the conflict.

The refused form is shown again with the poster's text, a Chinese message naming who saved and
when, and what they changed: the reversion Version whose stored version number is the one the
poster started from, compared with the current row (a hook, ``edit_conflict_changes``, lets an
admin show its own model's diff). The form then carries the current version number, so saving it
again is a deliberate overwrite after the differences were shown.

Every admin save also runs inside a reversion revision with the user and the admin's change
message, so conflicts and the history pages have revisions to compare.

Part of the core layer: it imports no project app.
"""

from types import SimpleNamespace

import reversion
from concurrency.core import _select_lock
from concurrency.exceptions import RecordModifiedError
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.template.loader import select_template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from reversion.errors import RevertError
from reversion.models import Version

EDIT_CONFLICT_TEMPLATE = "admin/edit_conflict_change_form.html"


def version_field(model):
    return model._concurrencymeta.field


def find_version(obj, number):
    """The reversion Version of ``obj`` whose stored version number is ``number``, or None."""
    attname = version_field(type(obj)).attname
    for version in Version.objects.get_for_object(obj).select_related("revision__user"):
        try:
            stored = version.field_dict.get(attname)
        except RevertError:  # a version the current model can no longer read
            continue
        if stored is not None and int(stored) == int(number):
            return version
    return None


def last_save(obj):
    """(user, when) of the save that produced ``obj``'s current row, as far as it is known:
    the revision holding its version number, else the admin log, else the row's updated_at."""
    version = find_version(obj, version_field(type(obj)).value_from_object(obj))
    if version is not None:
        return version.revision.user, version.revision.date_created
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is not None:
        return entry.user, entry.action_time
    return None, getattr(obj, "updated_at", None)


def user_label(user):
    if user is None:
        return "其他用户"
    return user.get_full_name() or user.get_username()


def time_label(when):
    if when is None:
        return ""
    return dateformat.format(timezone.localtime(when), "Y年n月j日 H:i")


def conflict_message(current):
    user, when = last_save(current)
    at = f"于{time_label(when)}" if when else ""
    noun = current._meta.verbose_name
    return (
        f"保存失败：在您编辑期间，{user_label(user)}{at}已保存了本{noun}。"
        "您的修改没有保存，仍保留在下面的表单中。请对照下方列出的对方修改，"
        "把需要保留的内容合并到表单后再保存；再次保存将以表单中的内容为准。"
    )


class ConflictCheckingFormMixin:
    """Mixed into the admin's own form class (see ConcurrentEditAdminMixin.get_form)."""

    # The version number the poster started from, set when someone saved after it.
    edit_conflict = None

    def clean(self):
        cleaned_data = super().clean()
        name = version_field(self._meta.model).name
        posted = self.cleaned_data.get(name)
        if self.instance.pk is not None and posted:
            try:
                _select_lock(self.instance, posted)
            except RecordModifiedError:
                self.edit_conflict = posted
                current = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
                if current is None:
                    raise ValidationError("保存失败：在您编辑期间，本条记录已被删除。") from None
                raise ValidationError(conflict_message(current), code="edit_conflict") from None
        return cleaned_data


def _display(field, value):
    """A stored value as editors read it."""
    if value in (None, ""):
        return "（空）"
    if isinstance(value, models.Model):
        return str(value)
    if field.is_relation and field.many_to_one:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


class ConcurrentEditAdminMixin:
    """Refuse a stale change form as a whole and show what the other person changed.

    Put it before the admin's other mixins that define changeform_view: it must enclose them
    (it opens the revision and retries after a rolled-back race). A mixin that overrides
    ``edit_conflict_changes`` to show its model's changes goes before this one.
    """

    edit_conflict_template = EDIT_CONFLICT_TEMPLATE

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        name = version_field(self.model).name
        if obj is None or name in flatten_fieldsets(fieldsets):
            return fieldsets
        # The version travels with the form, invisible (admin's CSS hides .hidden).
        return [*fieldsets, (None, {"fields": [name], "classes": ["hidden"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or issubclass(form, ConflictCheckingFormMixin):
            return form
        # Whatever form class the admin uses, the check is mixed in front of it.
        return type(form)(
            form.__name__, (ConflictCheckingFormMixin, form), {"__module__": form.__module__}
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            return self._changeform_in_revision(request, object_id, form_url, extra_context)
        except RecordModifiedError:
            # Someone saved between the form check and the save; all of this request's writes
            # were rolled back. Running the view again refuses the form with the usual message.
            return self._changeform_in_revision(request, object_id, form_url, extra_context)

    def _changeform_in_revision(self, request, object_id, form_url, extra_context):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "新建")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "保存")
        return entry

    def edit_conflict_changes(self, request, current, base_version, form):
        """What differs between where the poster started and the current row.

        ``base_version`` is the reversion Version the poster's form was opened on, or None if
        none was kept; then the poster's own values are compared with the current ones.
        Returns objects with ``label`` and ``html`` (safe). This default lists the form's
        changed fields with both values whole.
        """
        if base_version is not None:
            old_values = base_version.field_dict
        else:
            old_values = {}
            for name, value in form.cleaned_data.items():
                if isinstance(value, models.Model):
                    value = value.pk
                old_values[name] = value
        changes = []
        for name in form.fields:
            if name == version_field(self.model).name:
                continue
            try:
                field = current._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.concrete or field.many_to_many:
                continue
            key = field.attname if base_version is not None else name
            if key not in old_values:
                continue
            old, new = old_values[key], getattr(current, field.attname)
            if old == new or (old in (None, "") and new in (None, "")):
                continue
            changes.append(
                SimpleNamespace(
                    label=field.verbose_name,
                    html=format_html(
                        "<del>{}</del> → <ins>{}</ins>", _display(field, old), _display(field, new)
                    ),
                )
            )
        return changes

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        form = getattr(context.get("adminform"), "form", None)
        posted = getattr(form, "edit_conflict", None)
        if not posted or obj is None:
            return response
        current = type(obj)._base_manager.filter(pk=obj.pk).first()
        if current is None:
            return response
        base = find_version(current, posted)
        user, when = last_save(current)
        self._carry_current_version(form, current)
        response.context_data["edit_conflict"] = {
            "user": user_label(user),
            "when": time_label(when),
            "base_found": base is not None,
            "changes": self.edit_conflict_changes(request, current, base, form),
        }
        # The conflict panel wraps whatever change form template the admin uses.
        response.context_data["edit_conflict_base_template"] = select_template(
            [response.template_name]
            if isinstance(response.template_name, str)
            else response.template_name
        )
        response.template_name = self.edit_conflict_template
        return response

    def _carry_current_version(self, form, current):
        """Put the current version number in the re-shown form: saving it again is then a
        deliberate overwrite made after the other person's changes were shown."""
        name = version_field(self.model).name
        data = form.data.copy()
        data[form.add_prefix(name)] = str(form.fields[name].prepare_value(getattr(current, name)))
        form.data = data
