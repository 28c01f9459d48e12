"""Admin autocomplete widgets that survive tampered values.

When a form with an autocomplete field is shown again with errors, Django's widget looks up the
submitted keys to label the selected option (AutocompleteMixin.optgroups filters the related
queryset with ``pk__in=<what was posted>``). A key that is not a number (``abc``, ``null``) makes
that lookup raise ValueError and one out of the column's range makes PostgreSQL raise: a 500
instead of the form error the field has already found. These widgets look up only keys the
related field accepts; ``SafeAutocompleteMixin`` puts them on every autocomplete field of a
ModelAdmin or inline (tests/bulletin/test_autocomplete.py checks every registered admin).
"""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


def lookup_keys(field, values):
    """The ``values`` that are valid keys of the model ``field`` points at, others dropped."""
    remote_opts = field.remote_field.model._meta
    target = remote_opts.get_field(getattr(field.remote_field, "field_name", remote_opts.pk.name))
    keys = []
    for value in values:
        try:
            # to_python refuses what is no key at all; the validators refuse keys out of the
            # column's range (a 64-bit integer for the default BigAutoField).
            target.run_validators(target.to_python(value))
        except (ValidationError, TypeError, ValueError):
            continue
        keys.append(value)
    return keys


class SafeOptgroupsMixin:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, lookup_keys(self.field, value), attr)


class AutocompleteSelect(SafeOptgroupsMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(SafeOptgroupsMixin, widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For a ModelAdmin or an inline: its autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
