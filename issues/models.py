from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bulletin.models import Publication
from bulletin.queries import count_subquery
from bulletin.uploads import RandomName
from bulletin.validators import validate_image_file, validate_pdf_file
from bulletin.workflow import TRANSITIONS
from bulletin.workflow import Status as IssueStatus

# The years and issue numbers an issue may have, shared by the model, the import form and the
# import command. The number field has no upper validator (adding one needs a migration); the
# form and the command refuse numbers above NUMBER_MAX.
YEAR_MIN = 1949
YEAR_MAX = 2200
NUMBER_MIN = 1
NUMBER_MAX = 99


class IssueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=IssueStatus.PUBLISHED)

    def of_current_publication(self):
        return self.filter(publication=Publication.objects.current())

    def public(self):
        """What the site shows readers: published issues of the site's publication."""
        return self.published().of_current_publication()

    def with_article_counts(self):
        """``article_count``: the issue's articles that readers can see."""
        from articles.models import Article  # articles imports this module for its keys

        return self.annotate(article_count=count_subquery(Article.objects.published(), "issue"))

    def newest_first(self):
        return self.order_by("-year", "-number")


class Issue(models.Model):
    """One numbered issue (期) of a publication, assembled from articles in print order."""

    Status = IssueStatus

    publication = models.ForeignKey(
        "bulletin.Publication", verbose_name="刊物", related_name="issues", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(
        "年份", validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    number = models.PositiveSmallIntegerField(
        "期号", validators=[MinValueValidator(NUMBER_MIN)], help_text="当年的第几期，如：2"
    )
    total_number = models.PositiveIntegerField(
        "总期号", null=True, blank=True, help_text="创刊以来的总第几期，如：301；不印总期号可留空"
    )
    publish_date = models.DateField(
        "出版日期", null=True, blank=True, help_text="印在刊物上的出版日期"
    )
    status = models.CharField(
        "状态", max_length=20, choices=IssueStatus.choices, default=IssueStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "发布时间", null=True, blank=True, help_text="在网站上公开的时间，发布时自动填写"
    )
    scheduled_at = models.DateTimeField(
        "定时发布",
        null=True,
        blank=True,
        help_text="签发后定时公开的时间；由签发人在“定时发布”中设定",
    )
    cover = models.ImageField(
        "封面",
        upload_to=RandomName("covers/%Y/"),
        blank=True,
        validators=[validate_image_file],
        help_text="封面图片，JPEG 或 PNG，不超过 8 MB",
    )
    pdf = models.FileField(
        "整期 PDF",
        upload_to=RandomName("pdf/%Y/"),
        blank=True,
        validators=[validate_pdf_file],
        help_text="印刷版整期 PDF，可供读者下载",
    )
    distribution_line = models.TextField(
        "发送范围",
        blank=True,
        help_text="刊末“发：”一行印出的发送范围，如：各市（县）区政协；自治区政协机关各处室。"
        "留空则按发行分组自动生成；填写后本期以此为准。",
    )
    notes = models.TextField("备注", blank=True, help_text="编辑部内部备注，不对读者公开")
    sections = models.ManyToManyField(
        "articles.Section",
        verbose_name="栏目",
        through="IssueSection",
        related_name="issues",
        blank=True,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    # Optimistic locking: a save from a form opened before someone else's save is refused.
    version = IntegerVersionField()

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "期刊"
        verbose_name_plural = "期刊"
        ordering = ["-year", "-number"]
        # Readers' query paths: the public issues newest first (home, year pages, API list) and
        # by publication time (feeds). The unique constraint below serves lookups by number.
        indexes = [
            models.Index(
                fields=["publication", "status", "-year", "-number"], name="issue_public_listing"
            ),
            models.Index(
                fields=["publication", "status", "-published_at"], name="issue_public_by_date"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "year", "number"], name="issue_unique_number_per_year"
            ),
        ]
        permissions = [
            ("submit_issue", "可提交期刊校对"),
            ("proofread_issue", "可核稿（通过或退回）"),
            ("approve_issue", "可签发、发布和撤回期刊"),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("issues:detail", kwargs={"year": self.year, "number": self.number})

    @property
    def display_title(self):
        title = f"{self.year}年第{self.number}期"
        if self.total_number:
            title += f"（总第{self.total_number}期）"
        return title

    @property
    def printed_distribution_line(self):
        """The 发： line as printed: the hand-filled override, else the line generated from
        the distribution groups when the issue's distribution was recorded, else now."""
        if self.distribution_line.strip():
            return self.distribution_line.strip()
        record = IssueDistribution.objects.filter(issue=self).first() if self.pk else None
        if record is not None and record.printed_line:
            return record.printed_line
        from people.distribution_list import current_distribution_line

        return current_distribution_line()

    @property
    def is_published(self):
        return self.status == IssueStatus.PUBLISHED

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("publication", "year", "number"):
            return ValidationError(
                f"{self.year}年第{self.number}期已经存在，请检查年份和期号，或打开已有的那一期修改。",
                code="unique_together",
            )
        return super().unique_error_message(model_class, unique_check)


class IssueSection(models.Model):
    """A section's place in one issue's table of contents; print order may differ per issue."""

    issue = models.ForeignKey(
        Issue, verbose_name="期刊", related_name="section_entries", on_delete=models.CASCADE
    )
    section = models.ForeignKey(
        "articles.Section",
        verbose_name="栏目",
        related_name="issue_entries",
        on_delete=models.PROTECT,
    )
    order = models.PositiveSmallIntegerField(
        "顺序", default=0, help_text="本期目录中的栏目顺序，数字小的在前"
    )

    class Meta:
        verbose_name = "本期栏目"
        verbose_name_plural = "本期栏目顺序"
        ordering = ["issue", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "section"], name="issue_section_once"),
        ]

    def __str__(self):
        return f"{self.issue} · {self.section}"


class CreditRole(models.TextChoices):
    EDITOR = "editor", "编辑"
    PROOFREADER = "proofreader", "核稿"
    APPROVER = "approver", "签发"


class IssueCredit(models.Model):
    """A staff member credited in the colophon (编辑：… 核稿：… 签发：…)."""

    Role = CreditRole

    issue = models.ForeignKey(
        Issue, verbose_name="期刊", related_name="credits", on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        "people.Person", verbose_name="人员", related_name="issue_credits", on_delete=models.PROTECT
    )
    role = models.CharField("职责", max_length=20, choices=CreditRole.choices)
    order = models.PositiveSmallIntegerField("顺序", default=0, help_text="同一职责内的署名顺序")

    class Meta:
        verbose_name = "本期署名"
        verbose_name_plural = "本期编辑人员"
        ordering = ["issue", "role", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "person", "role"], name="issue_credit_once_per_role"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}：{self.person}"


class IssueTransition(models.Model):
    """One step of an issue through the workflow: who, when, from, to, and why."""

    issue = models.ForeignKey(
        Issue, verbose_name="期刊", related_name="transitions", on_delete=models.CASCADE
    )
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=20, choices=IssueStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=IssueStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        related_name="issue_transitions",
        on_delete=models.SET_NULL,
        help_text="定时发布由系统执行时为空",
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    comment = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "流程记录"
        verbose_name_plural = "流程记录"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.issue} {self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def action_label(self):
        transition = TRANSITIONS.get(self.action)
        return transition.label if transition else self.action


class IssueDistribution(models.Model):
    """The fact that an issue's distribution was recorded: when, by whom, and how.

    The entries themselves are DistributionEntry rows on the issue; this row marks the record
    as taken, so that publishing again never takes a second snapshot.
    """

    class Source(models.TextChoices):
        PUBLISH = "publish", "发布时自动记录"
        SENT = "sent", "发行标记为已发出"
        IMPORT = "import", "导入往期“发：”行"

    issue = models.OneToOneField(
        Issue, verbose_name="期刊", related_name="distribution_record", on_delete=models.CASCADE
    )
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    printed_line = models.TextField(
        "当时的发送范围",
        blank=True,
        help_text="记录时按发行分组生成的“发：”行；本期未手工填写发送范围时，校样和刊末印此行",
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        help_text="发布由系统执行或导入时可能为空",
    )
    corrected_at = models.DateTimeField("最后更正时间", null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后更正人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = "本期发行记录"
        verbose_name_plural = "本期发行记录"

    def __str__(self):
        return f"{self.issue} 发行记录"


class DistributionEntry(models.Model):
    """One line of what an issue was sent to, copied from the list at the time (发行记录).

    A snapshot: later changes to people.Recipient or people.RecipientGroup never touch it; the
    links back to them are for reference only. An entry with an empty ``recipient`` stands
    for a whole group (as imported from a back issue's 发： line).
    """

    issue = models.ForeignKey(
        Issue, verbose_name="期刊", related_name="distribution_entries", on_delete=models.CASCADE
    )
    order = models.PositiveIntegerField("顺序", default=0)
    group_name = models.CharField("发行分组", max_length=200, blank=True)
    recipient = models.CharField(
        "收件人", max_length=200, blank=True, help_text="留空表示整个分组（如导入的“发：”行）"
    )
    position = models.CharField("职务", max_length=200, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    postal_address = models.CharField("邮寄地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    copies = models.PositiveIntegerField(
        "份数", null=True, blank=True, help_text="留空表示份数不详（如导入的往期记录）"
    )
    source_group = models.ForeignKey(
        "people.RecipientGroup",
        verbose_name="对应分组",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        help_text="仅供参考；分组以后的改动不影响本记录",
    )
    source_recipient = models.ForeignKey(
        "people.Recipient",
        verbose_name="对应发行对象",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        help_text="仅供参考；发行对象以后的改动不影响本记录",
    )
    corrected_at = models.DateTimeField("更正时间", null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更正人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = "发行记录"
        verbose_name_plural = "发行记录"
        ordering = ["issue", "order", "pk"]

    def __str__(self):
        return self.recipient or self.group_name
