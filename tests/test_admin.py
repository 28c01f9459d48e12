"""Every admin page an editor can reach loads, and the pages they rely on show what they need."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Section
from bulletin.models import Publication
from issues.models import Issue
from people.models import Organisation, Person, Recipient, RecipientGroup
from tests import factories

pytestmark = pytest.mark.django_db


def make_issue():
    issue = factories.IssueFactory(total_number=301)
    factories.IssueSectionFactory(issue=issue)
    factories.IssueCreditFactory(issue=issue)
    factories.ArticleFactory(issue=issue)
    return issue


def make_article():
    article = factories.ArticleFactory()
    factories.AuthorshipFactory(article=article)
    factories.AuthorshipFactory(
        article=article, person=None, organisation=factories.OrganisationFactory()
    )
    factories.ArticleImageFactory(article=article)
    return article


def make_recipient_group():
    group = factories.RecipientGroupFactory()
    factories.RecipientFactory(group=group)
    return group


def make_user():
    user = factories.UserFactory()
    user.groups.add(factories.GroupFactory())
    return user


# One existing object per registered model, built as an editor would find it (with its inlines
# filled). A model registered without an entry here fails test_every_registered_model_is_covered.
OBJECT_BUILDERS = {
    "auth.user": make_user,
    "auth.group": factories.GroupFactory,
    "bulletin.publication": factories.PublicationFactory,
    "issues.issue": make_issue,
    "articles.section": lambda: factories.SectionFactory(parent=factories.SectionFactory()),
    "articles.article": make_article,
    "people.person": lambda: factories.PersonFactory(organisation=factories.OrganisationFactory()),
    "people.organisation": lambda: factories.OrganisationFactory(
        parent=factories.OrganisationFactory()
    ),
    "people.recipientgroup": make_recipient_group,
    "people.recipient": factories.RecipientFactory,
}

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label_lower)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_is_covered():
    assert {model._meta.label_lower for model in REGISTERED} == set(OBJECT_BUILDERS)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_changelist_add_and_change_pages_load(editor_client, model):
    obj = OBJECT_BUILDERS[model._meta.label_lower]()

    changelist = editor_client.get(admin_url(model, "changelist"))
    add = editor_client.get(admin_url(model, "add"))
    change = editor_client.get(admin_url(model, "change", obj.pk))

    assert changelist.status_code == 200
    assert add.status_code == 200
    assert change.status_code == 200
    assert str(obj) in changelist.content.decode()


@pytest.mark.parametrize(
    "model, query",
    [(Issue, "2024"), (Article, "调研"), (Person, "张"), (Recipient, "收件"), (Section, "栏目")],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_changelist_search_works(editor_client, model, query):
    OBJECT_BUILDERS[model._meta.label_lower]()

    response = editor_client.get(admin_url(model, "changelist"), {"q": query})

    assert response.status_code == 200


def test_admin_is_in_chinese(editor_client):
    response = editor_client.get(admin_url(Article, "add"))

    content = response.content.decode()
    assert "保存" in content
    assert "增加 稿件" in content
    assert "刊物编辑管理系统" in content


def test_issue_change_page_lists_its_articles_in_print_order(editor_client):
    issue = factories.IssueFactory()
    news = factories.SectionFactory(name="政协动态")
    theory = factories.SectionFactory(name="理论研究")
    factories.IssueSectionFactory(issue=issue, section=theory, order=1)
    factories.IssueSectionFactory(issue=issue, section=news, order=2)
    # Created in an order that differs from print order on purpose.
    factories.ArticleFactory(issue=issue, section=news, order=2, title="动态之二")
    factories.ArticleFactory(issue=issue, section=theory, order=2, title="理论之二")
    factories.ArticleFactory(issue=issue, section=news, order=1, title="动态之一")
    factories.ArticleFactory(issue=issue, section=theory, order=1, title="理论之一")
    factories.ArticleFactory(title="别期稿件")

    response = editor_client.get(admin_url(Issue, "change", issue.pk))

    content = response.content.decode()
    printed = ["理论之一", "理论之二", "动态之一", "动态之二"]
    positions = [content.index(f'value="{title}"') for title in printed]
    assert positions == sorted(positions)
    assert "别期稿件" not in content


def test_article_change_page_has_authorship_inline_with_person_autocomplete(editor_client):
    article = factories.ArticleFactory()
    factories.AuthorshipFactory(article=article, person=factories.PersonFactory(name="黄远声"))

    response = editor_client.get(admin_url(Article, "change", article.pk))

    content = response.content.decode()
    select = re.search(r'<select[^>]*name="authorships-0-person"[^>]*>', content)
    assert select, "the authorship inline has no person field"
    assert "admin-autocomplete" in select.group(0)
    assert "黄远声" in content


def test_person_autocomplete_finds_people_by_name(editor_client):
    person = factories.PersonFactory(name="黄远声")
    factories.PersonFactory(name="张伟")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "authorship",
            "field_name": "person",
            "term": "黄",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(person.pk), "text": "黄远声"}]


@pytest.fixture
def staff_client(client):
    """Log a client in as a staff user (not a superuser) of one editorial group."""
    call_command("setup_roles")

    def login(group_name):
        user = factories.UserFactory(is_staff=True, is_superuser=False)
        user.groups.add(Group.objects.get(name=group_name))
        client.force_login(user)
        return client

    return login


def test_editor_can_open_articles_but_not_recipients(staff_client):
    article = factories.ArticleFactory()
    factories.RecipientFactory()
    client = staff_client("编辑")

    assert client.get(admin_url(Article, "changelist")).status_code == 200
    assert client.get(admin_url(Article, "change", article.pk)).status_code == 200
    assert client.get(admin_url(Recipient, "changelist")).status_code == 403
    assert client.get(admin_url(RecipientGroup, "changelist")).status_code == 403


def test_distribution_staff_can_open_recipients_but_not_articles(staff_client):
    factories.ArticleFactory()
    recipient = factories.RecipientFactory()
    client = staff_client("发行")

    assert client.get(admin_url(Recipient, "changelist")).status_code == 200
    assert client.get(admin_url(Recipient, "change", recipient.pk)).status_code == 200
    assert client.get(admin_url(Article, "changelist")).status_code == 403


def test_only_superusers_manage_publications_and_accounts(staff_client):
    client = staff_client("编辑")

    assert client.get(admin_url(Publication, "add")).status_code == 403
    assert client.get(admin_url(Organisation, "changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
