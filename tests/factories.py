import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article, ArticleImage, Authorship, Section
from bulletin.models import Publication
from issues.models import Issue, IssueCredit, IssueSection
from people.models import Organisation, Person, Recipient, RecipientGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw")
    is_staff = True


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"用户组{n}")


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication
        django_get_or_create = ["slug"]

    name = "示例政协工作"
    slug = "demo"
    running_head = "SHILIZHENGXIEGONGZUO"
    publisher = "示例政协办公厅"
    phone = "0771-0000000"
    email = "tougao@example.org"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"第{n}市政协")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Iterator(["张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"])
    position = "委员"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"栏目{n}")


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    publication = factory.SubFactory(PublicationFactory)
    year = 2024
    number = factory.Sequence(lambda n: n + 1)
    status = Issue.Status.DRAFT

    class Params:
        published = factory.Trait(status=Issue.Status.PUBLISHED)


class IssueSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueSection

    issue = factory.SubFactory(IssueFactory)
    section = factory.SubFactory(SectionFactory)
    order = factory.Sequence(lambda n: n)


class IssueCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueCredit

    issue = factory.SubFactory(IssueFactory)
    person = factory.SubFactory(PersonFactory)
    role = IssueCredit.Role.EDITOR


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    issue = factory.SubFactory(IssueFactory)
    section = factory.SubFactory(SectionFactory)
    title = factory.Sequence(lambda n: f"关于加强委员履职能力建设的第{n}篇调研")
    body = "<p>全面贯彻落实会议精神，扎实推进各项工作。</p>"
    start_page = factory.Sequence(lambda n: n + 1)
    status = Article.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            issue=factory.SubFactory(IssueFactory, published=True),
        )


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    order = factory.Sequence(lambda n: n)


class ArticleImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleImage

    article = factory.SubFactory(ArticleFactory)
    image = factory.django.ImageField(color="red", width=40, height=30)
    caption = "调研现场"


class RecipientGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecipientGroup

    name = factory.Sequence(lambda n: f"发行分组{n}")


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    group = factory.SubFactory(RecipientGroupFactory)
    addressee = factory.Sequence(lambda n: f"第{n}收件单位")
    postcode = "530000"
