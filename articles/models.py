from concurrency.fields import IntegerVersionField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import slugify
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from bulletin.html import sanitize_html
from bulletin.models import Publication
from bulletin.queries import count_subquery
from bulletin.text import pinyin_key
from bulletin.uploads import RandomName
from bulletin.validators import validate_image_file
from issues.models import IssueSection, IssueStatus
from people.models import Person


class SectionQuerySet(TreeQuerySet):
    def listed(self):
        """The sections readers see, in tree order: active ones whose ancestors are all active.

        The one rule for the section index, the home page, the search filter, the API, the
        sitemap, section pages and section feeds. A retired (inactive) section keeps its
        articles, which stay readable in their issues, but no longer has a page of its own.
        """
        inactive_ancestor = Section.objects.filter(
            tree_id=OuterRef("tree_id"),
            lft__lt=OuterRef("lft"),
            rght__gt=OuterRef("rght"),
            is_active=False,
        )
        return (
            self.filter(is_active=True)
            .exclude(Exists(inactive_ancestor))
            .order_by("tree_id", "lft")
        )

    def with_article_counts(self):
        """``article_count``: the section's own articles that readers can see (not those of
        its subsections), counted in one correlated subquery."""
        return self.annotate(article_count=count_subquery(Article.objects.public(), "section"))


class Section(MPTTModel):
    """A section (栏目) such as 政协动态 or 理论研究. Siblings keep the order they have in the
    tree (drag them in the admin): that is the default order; an issue may reorder its own."""

    name = models.CharField("栏目名称", max_length=100, help_text="如：政协动态")
    slug = models.SlugField(
        "网址标识",
        max_length=100,
        unique=True,
        blank=True,
        help_text="用于网址，留空则按拼音自动生成，如：zheng-xie-dong-tai",
    )
    parent = TreeForeignKey(
        "self",
        verbose_name="上级栏目",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    description = models.TextField("栏目说明", blank=True)
    is_active = models.BooleanField(
        "启用",
        default=True,
        help_text="停用的栏目及其下级栏目不再出现在新建稿件的选项和网站的栏目中；"
        "其中已发布的稿件仍可在所属期刊中阅读",
    )

    objects = TreeManager.from_queryset(SectionQuerySet)()

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self):
        base = slugify(pinyin_key(self.name).replace(" ", "-")) or "section"
        slug, n = base[:90], 2
        while Section.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base[:90]}-{n}", n + 1
        return slug

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published articles of published issues."""
        return self.filter(status=IssueStatus.PUBLISHED, issue__status=IssueStatus.PUBLISHED)

    def of_current_publication(self):
        return self.filter(issue__publication=Publication.objects.current())

    def public(self):
        """What the site shows readers: published articles of the site's publication."""
        return self.published().of_current_publication()

    def by_author(self, author):
        """Articles credited to ``author``, a Person or an Organisation.

        The ids come first, from the authorship index (one small query): the article table is
        then read by primary key, at a cost that follows the author's article count. As a
        semi-join the planner may scan the whole article table for a prolific author.
        """
        field = "person" if isinstance(author, Person) else "organisation"
        credited = Authorship.objects.filter(**{field: author}).order_by()
        ids = credited.values_list("article_id", flat=True)
        return self.filter(pk__in=list(ids))

    def newest_first(self):
        """Newest issue first; within an issue, by order in the section."""
        return self.order_by("-issue__year", "-issue__number", "order", "pk")

    def with_authors(self):
        """Prefetch the author lines with their people and organisations (two queries)."""
        return self.prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("person", "organisation"),
            )
        )

    def in_print_order(self):
        """Order as printed: the issue's section order, then the article order in its section."""
        section_position = IssueSection.objects.filter(
            issue=OuterRef("issue"), section=OuterRef("section")
        ).values("order")[:1]
        return self.annotate(section_position=Subquery(section_position)).order_by(
            F("section_position").asc(nulls_last=True),
            "order",
            F("start_page").asc(nulls_last=True),
            "pk",
        )


class Article(models.Model):
    # An article moves through the same states as its issue (the workflow is the issue's), so
    # the two share one set of choices.
    Status = IssueStatus

    issue = models.ForeignKey(
        "issues.Issue",
        verbose_name="期刊",
        null=True,
        blank=True,
        related_name="articles",
        on_delete=models.SET_NULL,
        help_text="尚未编入某一期的稿件留空",
    )
    section = TreeForeignKey(
        Section, verbose_name="栏目", related_name="articles", on_delete=models.PROTECT
    )
    kicker = models.CharField(
        "引题", max_length=200, blank=True, help_text="标题上方的引题（肩题），可留空"
    )
    title = models.CharField("标题", max_length=300)
    subtitle = models.CharField(
        "副题", max_length=300, blank=True, help_text="标题下方的副题，通常以“——”开头，可留空"
    )
    body = models.TextField(
        "正文",
        blank=True,
        help_text="HTML 正文：段落、小标题、列表、引文、图片、表格。保存时自动清除脚本等不安全内容",
    )
    summary = models.TextField("摘要", blank=True, help_text="列表和分享时显示；留空则取正文开头")
    start_page = models.PositiveSmallIntegerField("起始页码", null=True, blank=True)
    end_page = models.PositiveSmallIntegerField("结束页码", null=True, blank=True)
    order = models.PositiveSmallIntegerField(
        "栏目内顺序", default=0, help_text="本期本栏目中的顺序，数字小的在前"
    )
    source = models.CharField(
        "来源", max_length=200, blank=True, help_text="转载稿件的来源，如：《人民政协报》"
    )
    author_note = models.CharField(
        "作者说明",
        max_length=500,
        blank=True,
        help_text="文末的作者单位或身份，如：作者系江西省某市政协主席",
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=IssueStatus.choices,
        default=IssueStatus.DRAFT,
        db_index=True,
    )
    correction_note = models.TextField(
        "更正说明",
        blank=True,
        help_text="发布后更正时填写，显示在文末，如：本文第三段“某某”应为“某某某”",
    )
    corrected_at = models.DateTimeField("更正时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    # Optimistic locking: a save from a form opened before someone else's save is refused.
    version = IntegerVersionField()
    # The folded text search matches against (articles/search/matching.py): the index verifies
    # its candidates against it and the database fallback searches it, so both answer alike.
    search_text = models.TextField("检索文本", blank=True, default="", editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["issue", "section", "order"], name="article_print_order"),
            # Readers' query paths (bulletin.site): an issue's published articles; a section's
            # published articles and their count, read from the index alone.
            models.Index(fields=["issue", "status", "order"], name="article_issue_listing"),
            models.Index(fields=["section", "status", "issue"], name="article_section_listing"),
        ]
        permissions = [("correct_article", "可更正已签发或已发布的稿件")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_page__isnull=True)
                | Q(start_page__isnull=True)
                | Q(end_page__gte=F("start_page")),
                name="article_end_page_after_start",
                violation_error_message="结束页码不能小于起始页码。",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.section_id and not self.section.is_active and self._state.adding:
            raise ValidationError({"section": "该栏目已停用，请选择其他栏目。"})

    @property
    def is_published(self):
        return (
            self.status == IssueStatus.PUBLISHED
            and self.issue is not None
            and self.issue.status == IssueStatus.PUBLISHED
        )

    @property
    def body_text(self):
        return strip_tags(self.body)


class AuthorRole(models.TextChoices):
    NONE = "", "（未注明）"
    AUTHOR = "author", "作者"
    REPORTER = "reporter", "记者"
    CORRESPONDENT = "correspondent", "通讯员"
    PHOTOGRAPHER = "photographer", "摄影"
    COMPILER = "compiler", "整理"
    TRANSLATOR = "translator", "编译"
    CONTRIBUTOR = "contributor", "供稿"


class Authorship(models.Model):
    """One name in an article's author line, in printed order."""

    Role = AuthorRole

    article = models.ForeignKey(
        Article, verbose_name="稿件", related_name="authorships", on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="作者（个人）",
        null=True,
        blank=True,
        related_name="authorships",
        on_delete=models.PROTECT,
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name="作者（单位）",
        null=True,
        blank=True,
        related_name="authorships",
        on_delete=models.PROTECT,
        help_text="以单位名义署名时选择，如：政协西安市委员会",
    )
    role = models.CharField(
        "署名身份",
        max_length=20,
        choices=AuthorRole.choices,
        blank=True,
        default=AuthorRole.NONE,
        help_text="印在姓名前的身份，如“记者”“通讯员”；未印则留空",
    )
    printed_name = models.CharField(
        "印刷署名", max_length=100, blank=True, help_text="与姓名不同时填写印刷时的写法，如：吴 宁"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "署名"
        verbose_name_plural = "署名"
        ordering = ["article", "order", "pk"]
        # Author pages: an author's articles, found from the index alone.
        indexes = [
            models.Index(fields=["person", "article"], name="authorship_person_articles"),
            models.Index(fields=["organisation", "article"], name="authorship_org_articles"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organisation__isnull=True))
                | (Q(person__isnull=True) & Q(organisation__isnull=False)),
                name="authorship_person_xor_organisation",
                violation_error_message="每条署名请选择一位个人或一个单位（二选一）。",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def author(self):
        return self.person if self.person_id else self.organisation

    @property
    def kind(self):
        return "person" if self.person_id else "organisation"

    @property
    def display_name(self):
        return self.printed_name or (str(self.author) if self.author else "")


@receiver(pre_save, sender=Article, dispatch_uid="articles.sanitize_body")
def sanitize_body(sender, instance, **kwargs):
    """The body is rendered as HTML, so every write sanitizes it: pre_save reaches raw saves too
    (loaddata, reverting a revision), which skip Model.save()."""
    instance.body = sanitize_html(instance.body)


@receiver(pre_save, sender=Article, dispatch_uid="articles.search_text")
def fill_search_text(sender, instance, **kwargs):
    """After sanitizing (receivers run in connection order): the stored body is what is searched.
    Authors' names come from saved authorships; their own signals refresh it when they change."""
    from .search.matching import searchable_text

    instance.search_text = searchable_text(instance)


class ArticleImage(models.Model):
    article = models.ForeignKey(
        Article, verbose_name="稿件", related_name="images", on_delete=models.CASCADE
    )
    image = models.ImageField(
        "图片", upload_to=RandomName("articles/%Y/%m/"), validators=[validate_image_file]
    )
    caption = models.CharField("图片说明", max_length=300, blank=True)
    alt_text = models.CharField(
        "替代文字",
        max_length=200,
        blank=True,
        help_text="供读屏软件朗读的简短描述；留空则使用图片说明",
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "稿件图片"
        verbose_name_plural = "稿件图片"
        ordering = ["article", "order", "pk"]

    def __str__(self):
        return self.caption or self.image.name

    @property
    def alt(self):
        return self.alt_text or self.caption


class SearchQueueEntry(models.Model):
    """An article whose search-index entry must be refreshed.

    Written in the same transaction as the change that causes it, and applied after the commit
    (articles.search.indexing), so an index update is never lost to a crash or a busy index.
    """

    article_id = models.PositiveBigIntegerField("稿件编号", db_index=True)
    queued_at = models.DateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = "待更新的搜索索引"
        verbose_name_plural = "待更新的搜索索引"

    def __str__(self):
        return str(self.article_id)
