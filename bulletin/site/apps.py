from django.apps import AppConfig


class SiteConfig(AppConfig):
    """An app only so that the load_demo command lives beside the demo it loads."""

    name = "bulletin.site"
    label = "site"
    verbose_name = "网站"
