"""The POST data of an admin change form, as the page renders it: for tests that save through
the admin as a person would (every field and inline sent back, changed ones edited)."""

from django.db.models.fields.files import FieldFile


def change_form_data(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            # A browser sends nothing for an unchanged checkbox set off or file input.
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            add(form)
    return data
