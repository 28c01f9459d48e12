"""Tampered values in the admin's autocomplete fields give a form error, never a 500."""

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article
from bulletin.autocomplete import AutocompleteSelect, AutocompleteSelectMultiple
from tests.admin_forms import change_form_data, form_data
from tests.factories import ArticleFactory, IssueFactory, SectionFactory

pytestmark = pytest.mark.django_db

TAMPERED = ["abc", "null", "1.5", "-1", "0", "99999999999999999999999", "9223372036854775808"]
INVALID_CHOICE = "选择一个有效的选项"


@pytest.fixture
def editor(client, role_users):
    """A client logged in as a member of the 编辑 group, as the editors use the admin."""
    client.force_login(role_users["编辑"])
    return client


def shows_error(response, field_errors):
    assert response.status_code == 200
    assert field_errors, "the tampered field has no error"
    assert INVALID_CHOICE in response.content.decode()


@pytest.mark.parametrize("value", TAMPERED)
def test_article_change_form_with_a_tampered_issue(editor, value):
    issue = IssueFactory()
    article = ArticleFactory(issue=issue, title="原标题")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(editor, url)
    data.update(issue=value, title="改过的标题")

    response = editor.post(url, data)

    shows_error(response, response.context["adminform"].form.errors.get("issue"))
    article.refresh_from_db()
    assert (article.title, article.issue) == ("原标题", issue)


@pytest.mark.parametrize("field", ["issue", "section"])
def test_article_add_form_with_a_tampered_key(editor, field):
    url = reverse("admin:articles_article_add")
    data = form_data(editor.get(url))
    data.update(issue=str(IssueFactory().pk), section=str(SectionFactory().pk), title="新稿件")
    data[field] = "abc"

    response = editor.post(url, data)

    shows_error(response, response.context["adminform"].form.errors.get(field))
    assert not Article.objects.filter(title="新稿件").exists()


@pytest.mark.parametrize("value", ["zz", "null", "99999999999999999999999"])
def test_issue_change_form_with_a_tampered_section_in_the_article_inline(editor, value):
    issue = IssueFactory()
    article = ArticleFactory(issue=issue)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = change_form_data(editor, url)
    [key] = [k for k, v in data.items() if k.endswith("-section") and v == str(article.section_id)]
    data[key] = value

    response = editor.post(url, data)

    errors = [
        form.errors.get("section")
        for inline in response.context["inline_admin_formsets"]
        for form in inline.formset.forms
        if form.prefix == key.removesuffix("-section")
    ]
    shows_error(response, errors and errors[0])
    article.refresh_from_db()
    assert article.issue == issue


def autocomplete_admins():
    """Every registered ModelAdmin and inline with autocomplete fields, with its model admin."""
    for model, model_admin in admin.site._registry.items():
        for candidate in [model_admin, *(cls(model, admin.site) for cls in model_admin.inlines)]:
            if candidate.autocomplete_fields:
                yield pytest.param(candidate, id=type(candidate).__name__)


@pytest.mark.parametrize("model_admin", list(autocomplete_admins()))
def test_every_autocomplete_field_uses_the_safe_widget(model_admin, role_users):
    request = RequestFactory().get("/")
    request.user = role_users["admin"]
    for name in model_admin.get_autocomplete_fields(request):
        db_field = model_admin.model._meta.get_field(name)
        formfield = model_admin.formfield_for_dbfield(db_field, request)
        widget = formfield.widget
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget = widget.widget
        assert isinstance(widget, AutocompleteSelect | AutocompleteSelectMultiple), name


@pytest.mark.parametrize("model_admin", list(autocomplete_admins()))
def test_every_autocomplete_field_answers_a_tampered_add_form_with_an_error(
    model_admin, client, role_users
):
    """A real POST of each admin's add form (or its parent's, for an inline) with "abc"."""
    client.force_login(role_users["admin"])
    if isinstance(model_admin, admin.options.InlineModelAdmin):
        parent = next(m for m, a in admin.site._registry.items() if type(model_admin) in a.inlines)
    else:
        parent = model_admin.model
    url = reverse(f"admin:{parent._meta.app_label}_{parent._meta.model_name}_add")
    page = client.get(url)
    for name in model_admin.autocomplete_fields:
        data = form_data(page)
        if isinstance(model_admin, admin.options.InlineModelAdmin):
            [prefix] = [
                i.formset.prefix
                for i in page.context["inline_admin_formsets"]
                if type(i.opts) is type(model_admin)
            ]
            data[f"{prefix}-TOTAL_FORMS"] = "1"
            data[f"{prefix}-0-{name}"] = "abc"
        else:
            data[name] = "abc"

        response = client.post(url, data)

        assert response.status_code == 200, (name, response.status_code)
        assert INVALID_CHOICE in response.content.decode(), name


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999"])
def test_the_word_import_form_with_a_tampered_issue(editor, value):
    from tests.articles.docx_files import full_article_docx

    url = reverse("admin:articles_article_import_docx")
    upload = SimpleUploadedFile("稿件.docx", full_article_docx())

    response = editor.post(url, {"file": upload, "issue": value, "section": SectionFactory().pk})

    assert response.status_code == 200
    assert INVALID_CHOICE in response.content.decode()
    assert not Article.objects.exists()
