from django.conf import settings
from django.db import models
from django.urls import reverse


class PublicationQuerySet(models.QuerySet):
    def current(self):
        """The publication this site shows (settings.BULLETIN_PUBLICATION_SLUG, else the first)."""
        slug = settings.BULLETIN_PUBLICATION_SLUG
        qs = self.filter(slug=slug) if slug else self.order_by("pk")
        return qs.first()


class Publication(models.Model):
    """A periodical the site publishes. One row today; the model allows several later."""

    name = models.CharField("刊名", max_length=100, help_text="印在封面上的刊名，如：广西政协工作")
    slug = models.SlugField(
        "网址标识", max_length=50, unique=True, help_text="用于网址和配置的英文简称，如：gxzxgz"
    )
    running_head = models.CharField(
        "书眉拼音",
        max_length=100,
        blank=True,
        help_text="印在页眉的拼音刊名，如：GUANGXIZHENGXIEGONGZUO；导入印刷稿时据此去除书眉",
    )
    publisher = models.CharField(
        "主办单位", max_length=100, blank=True, help_text="如：自治区政协办公厅"
    )
    phone = models.CharField("联系电话", max_length=50, blank=True, help_text="如：0771-8802110")
    email = models.EmailField("投稿邮箱", blank=True)
    description = models.TextField("简介", blank=True, help_text="在网站首页和关于页显示的刊物简介")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "刊物"
        verbose_name_plural = "刊物"
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bulletin:home")
