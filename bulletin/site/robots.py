"""robots.txt: crawl everything public, not the admin; point crawlers at the sitemap."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24)
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {
            "disallow": [reverse("admin:index")],
            "sitemap_url": request.build_absolute_uri(reverse("bulletin:sitemap")),
        },
        content_type="text/plain; charset=utf-8",
    )
