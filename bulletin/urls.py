from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "刊物编辑管理系统"
admin.site.site_title = "编辑后台"
admin.site.index_title = "编辑工作台"

urlpatterns = [
    path("", include("bulletin.site_urls")),
    path("issues/", include("issues.urls")),
    path("", include("articles.urls")),
    path("authors/", include("people.urls")),
    path("api/", include("bulletin.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
