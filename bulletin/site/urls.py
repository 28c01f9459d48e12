"""The root URLconf."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from bulletin.pagecache import public_page

from . import robots, views
from .sitemaps import sitemap_file, sitemaps

admin.site.site_header = "刊物编辑管理系统"
admin.site.site_title = "编辑后台"
admin.site.index_title = "编辑工作台"

site_patterns = [
    path("", public_page(views.home), name="home"),
    # An index of sitemap pages (sitemaps.py sets each section's page size).
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": sitemaps, "sitemap_url_name": "bulletin:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_file),
        {"sitemaps": sitemaps},
        name="sitemap_section",
    ),
    path("robots.txt", public_page(robots.robots_txt), name="robots"),
]

urlpatterns = [
    path("", include((site_patterns, "bulletin"))),
    path("issues/", include("issues.urls")),
    path("", include("articles.urls")),
    path("api/", include("bulletin.site.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
