"""The one rule for public pages: readers see published things only; staff may preview."""

from django.http import Http404
from django.urls import reverse


def can_preview(user) -> bool:
    """Logged-in staff (editors, proofreaders, the approver) may open unpublished pages."""
    return bool(user and user.is_active and user.is_staff)


class PublishedOrPreviewMixin:
    """For detail views whose queryset has .published() and whose objects have .is_published.

    A reader asking for anything unpublished gets 404, exactly as if it did not exist. Staff get
    the page with ``preview`` set, which the base template shows as a banner.
    """

    is_preview = False

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if can_preview(self.request.user) else self.public(queryset)

    def public(self, queryset):
        """What readers may see of ``queryset``."""
        return queryset.published()

    def get_object(self, queryset=None):
        obj = self.lookup(self.get_queryset() if queryset is None else queryset)
        self.is_preview = not obj.is_published
        if self.is_preview and not can_preview(self.request.user):
            raise Http404  # belt and braces: get_queryset already hides it
        return obj

    def lookup(self, queryset):
        """Find the object in ``queryset``: DetailView's pk/slug lookup unless overridden."""
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(preview=self.is_preview, **kwargs)
        if self.is_preview:
            opts = self.object._meta
            context["preview_admin_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.object.pk]
            )
        return context
