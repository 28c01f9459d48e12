from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import robots, views
from .sitemaps import sitemaps

app_name = "bulletin"

urlpatterns = [
    path("", views.home, name="home"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots.robots_txt, name="robots"),
]
