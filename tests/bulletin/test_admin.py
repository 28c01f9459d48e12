"""The admin as a whole: every registered model's pages load, it speaks Chinese, and each role
opens only what it works on. Each app's own admin pages are tested in tests/<app>/test_admin.py."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from bulletin.models import Publication
from issues.models import IssueDistribution
from people.models import Organisation, Recipient, RecipientGroup
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


def make_distribution_record():
    from issues.distribution import record_distribution

    factories.RecipientFactory(group=factories.RecipientGroupFactory())
    return record_distribution(issue=factories.IssueFactory(published=True))


def make_login_record(model, **fields):
    """A record of django-axes (login throttling), as a failed or successful login leaves it."""
    return lambda: model.objects.create(
        username="wang",
        ip_address="10.0.0.1",
        user_agent="Firefox",
        path_info="/admin/login/",
        **fields,
    )


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
    "issues.issuedistribution": make_distribution_record,
    "issues.distributionentry": lambda: make_distribution_record().issue.distribution_entries.get(),
    "articles.section": lambda: factories.SectionFactory(parent=factories.SectionFactory()),
    "articles.article": make_article,
    "people.person": lambda: factories.PersonFactory(organisation=factories.OrganisationFactory()),
    "people.organisation": lambda: factories.OrganisationFactory(
        parent=factories.OrganisationFactory()
    ),
    "people.recipientgroup": make_recipient_group,
    "people.recipient": factories.RecipientFactory,
    "axes.accessattempt": make_login_record(AccessAttempt, failures_since_start=5),
    "axes.accesslog": make_login_record(AccessLog),
    "axes.accessfailurelog": make_login_record(AccessFailureLog, locked_out=True),
}

# A per-issue distribution record is only ever taken (on publication or 标记为已发出), never added.
# Login records are only ever written by django-axes.
ADD_REFUSED = {IssueDistribution, AccessAttempt, AccessLog, AccessFailureLog}
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
    assert change.status_code == 200
    assert admin_url(model, "change", obj.pk) in changelist.content.decode()  # listed, linked
    form = f'id="{model._meta.model_name}_form"'
    if model in ADD_REFUSED:
        assert add.status_code == 403
    else:
        assert add.status_code == 200
        assert form in add.content.decode()
    assert form in change.content.decode()
    assert str(obj) in change.content.decode()  # the object being edited, in title and crumbs


def test_admin_is_in_chinese(editor_client):
    response = editor_client.get(admin_url(Article, "add"))

    content = response.content.decode()
    assert "保存" in content
    assert "增加 稿件" in content
    assert "刊物编辑管理系统" in content


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
    article = factories.ArticleFactory(title="委员履职调研报告")
    factories.RecipientFactory()
    client = staff_client("编辑")

    changelist = client.get(admin_url(Article, "changelist"))
    change = client.get(admin_url(Article, "change", article.pk))

    assert changelist.status_code == 200
    assert "委员履职调研报告" in changelist.content.decode()
    assert change.status_code == 200
    assert 'value="委员履职调研报告"' in change.content.decode()  # an editable title field
    assert client.get(admin_url(Recipient, "changelist")).status_code == 403
    assert client.get(admin_url(RecipientGroup, "changelist")).status_code == 403


def test_distribution_staff_can_open_recipients_but_not_articles(staff_client):
    factories.ArticleFactory()
    recipient = factories.RecipientFactory(addressee="自治区政协办公厅收发室")
    client = staff_client("发行")

    changelist = client.get(admin_url(Recipient, "changelist"))
    change = client.get(admin_url(Recipient, "change", recipient.pk))

    assert changelist.status_code == 200
    assert "自治区政协办公厅收发室" in changelist.content.decode()
    assert change.status_code == 200
    assert 'value="自治区政协办公厅收发室"' in change.content.decode()
    assert client.get(admin_url(Article, "changelist")).status_code == 403


def test_only_superusers_manage_publications_and_accounts(staff_client):
    factories.OrganisationFactory(name="政协西安市委员会")
    client = staff_client("编辑")

    organisations = client.get(admin_url(Organisation, "changelist"))

    assert client.get(admin_url(Publication, "add")).status_code == 403
    assert organisations.status_code == 200
    assert "政协西安市委员会" in organisations.content.decode()
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
