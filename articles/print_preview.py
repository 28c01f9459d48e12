"""The admin's 印刷样式预览: one article laid out as it prints, one click from its change page.

A mixin for ArticleAdmin: it adds the route and the view; the page is
templates/admin/articles/article/print_preview.html with static/css/print_preview.css.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path


class PrintPreviewAdminMixin:
    print_preview_template = "admin/articles/article/print_preview.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_print_preview"
        view = self.admin_site.admin_view(self.print_preview_view)
        return [
            path("<path:object_id>/print-preview/", view, name=name),
            *super().get_urls(),
        ]

    def print_preview_view(self, request, object_id):
        """Any article the user may view, whatever its state: drafts are what editors proof."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"印刷样式预览：{article.title}",
            "opts": self.opts,
            "original": article,
            "article": article,
            "authorships": article.authorships.select_related("person", "organisation"),
            "images": article.images.all(),
        }
        return TemplateResponse(request, self.print_preview_template, context)
