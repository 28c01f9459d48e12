from django.urls import path, re_path

from bulletin.pagecache import public_page

from . import views

app_name = "api"

urlpatterns = [
    path("", public_page(views.index), name="index"),
    path("issues/", public_page(views.issue_list), name="issues"),
    path("issues/<int:year>/<int:number>/", public_page(views.issue_detail), name="issue"),
    path("articles/<int:pk>/", public_page(views.article_detail), name="article"),
    path("sections/", public_page(views.section_list), name="sections"),
    path("search/", views.search, name="search"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),  # keep last
]
