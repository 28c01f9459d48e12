from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("issues/", views.issue_list, name="issues"),
    path("issues/<int:year>/<int:number>/", views.issue_detail, name="issue"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("sections/", views.section_list, name="sections"),
    path("search/", views.search, name="search"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),  # keep last
]
