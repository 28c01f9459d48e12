from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from bulletin.text import compact_name, pinyin_key
from bulletin.uploads import RandomName
from bulletin.validators import validate_image_file


class CreditedQuerySetMixin:
    """``credited_on(articles)``: those named in the author line of any of ``articles``.

    The articles app passes the articles readers may see (articles.authors), so that the rule
    for public author pages lives there while people knows nothing of articles.
    """

    authorship_field = ""  # "person" or "organisation": the Authorship field pointing here

    def credited_on(self, articles):
        credited = articles.filter(**{f"authorships__{self.authorship_field}": OuterRef("pk")})
        return self.filter(Exists(credited))


class OrganisationQuerySet(CreditedQuerySetMixin, TreeQuerySet):
    authorship_field = "organisation"


class Organisation(MPTTModel):
    """A body in the tree 自治区政协 > 办公厅 > 各处室; also a corporate author."""

    name = models.CharField(
        "名称", max_length=200, db_index=True, help_text="全称，如：政协西安市委员会"
    )
    short_name = models.CharField("简称", max_length=100, blank=True, help_text="如：西安市政协")
    parent = TreeForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
        help_text="留空表示顶级单位",
    )
    name_pinyin = models.CharField("拼音排序键", max_length=200, blank=True, editable=False)
    is_active = models.BooleanField(
        "有效", default=True, help_text="撤销或合并的单位取消勾选，历史文章仍保留署名"
    )

    objects = TreeManager.from_queryset(OrganisationQuerySet)()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.name_pinyin = pinyin_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # Author pages list articles, so the articles app serves them.
        return reverse("articles:organisation", args=[self.pk])


class PersonQuerySet(CreditedQuerySetMixin, models.QuerySet):
    authorship_field = "person"

    def named(self, name):
        """People whose name matches ``name`` once print padding (吴 宁) is removed."""
        return self.filter(name=compact_name(name))


class Person(models.Model):
    name = models.CharField("姓名", max_length=50, db_index=True, help_text="不含空格，如：吴宁")
    name_pinyin = models.CharField(
        "拼音排序键",
        max_length=200,
        blank=True,
        editable=False,
        db_index=True,
        help_text="按姓名自动生成，用于按拼音排序",
    )
    position = models.CharField(
        "职务", max_length=200, blank=True, help_text="如：自治区政协副秘书长"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所在单位",
        null=True,
        blank=True,
        related_name="people",
        on_delete=models.SET_NULL,
    )
    photo = models.ImageField(
        "照片", upload_to=RandomName("people/%Y/"), blank=True, validators=[validate_image_file]
    )
    bio = models.TextField("简介", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        related_name="person",
        on_delete=models.SET_NULL,
        help_text="编辑、核稿、签发人员可关联其后台账号",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name_pinyin", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = compact_name(self.name)
        self.name_pinyin = pinyin_key(self.name, surname_first=True)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:person", args=[self.pk])  # see Organisation


class RecipientGroup(MPTTModel):
    """A heading of the distribution list (自治区政协领导, 各专门委员会 …), nested as printed."""

    name = models.CharField("分组名称", max_length=100, help_text="如：各市（县）区政协")
    parent = TreeForeignKey(
        "self",
        verbose_name="上级分组",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField(
        "有效", default=True, help_text="取消勾选后该组不再出现在发行名单中"
    )

    class Meta:
        verbose_name = "发行分组"
        verbose_name_plural = "发行分组"

    def __str__(self):
        return self.name


postcode_validator = RegexValidator(r"^\d{6}$", "邮政编码应为6位数字。")


class Recipient(models.Model):
    """One addressee on the distribution list: an organisation, a person or free text."""

    group = TreeForeignKey(
        RecipientGroup, verbose_name="发行分组", related_name="recipients", on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="单位",
        null=True,
        blank=True,
        related_name="recipients",
        on_delete=models.PROTECT,
    )
    person = models.ForeignKey(
        Person,
        verbose_name="个人",
        null=True,
        blank=True,
        related_name="recipients",
        on_delete=models.PROTECT,
    )
    addressee = models.CharField(
        "收件人（文字）",
        max_length=200,
        blank=True,
        help_text="不对应单位或个人时填写，如：自治区政协机关各处室",
    )
    copies = models.PositiveSmallIntegerField("份数", default=1)
    postal_address = models.CharField("邮寄地址", max_length=300, blank=True)
    postcode = models.CharField(
        "邮政编码", max_length=6, blank=True, validators=[postcode_validator]
    )
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    is_active = models.BooleanField("有效", default=True, help_text="暂停寄送时取消勾选")
    order = models.PositiveIntegerField("排序", default=0, help_text="组内排序，数字小的在前")

    class Meta:
        verbose_name = "发行对象"
        verbose_name_plural = "发行对象"
        ordering = ["group__tree_id", "group__lft", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False)
                | Q(person__isnull=False)
                | ~Q(addressee=""),
                name="recipient_has_addressee",
                violation_error_message="请选择单位或个人，或填写收件人。",
            ),
            models.CheckConstraint(
                condition=Q(copies__gte=1),
                name="recipient_copies_positive",
                violation_error_message="份数至少为1。",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.addressee:
            return self.addressee
        if self.person_id:
            return self.person.name
        if self.organisation_id:
            return self.organisation.name
        return ""
