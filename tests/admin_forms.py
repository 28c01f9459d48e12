"""The POST data of an admin change form, as the page renders it: for tests that save through
the admin as a person would (every field and inline sent back, changed ones edited)."""

from django.db.models.fields.files import FieldFile


def form_data(response):
    """The POST data of the change page ``response`` showed (its form and inline formsets)."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            # A browser sends nothing for a checkbox that is off or a file input left alone.
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = "on" if value is True else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def change_form_data(client, url):
    """GET the change page at ``url`` with ``client`` and return its POST data."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_data(response)
