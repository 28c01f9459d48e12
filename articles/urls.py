from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="detail"),
    path("search/", views.search, name="search"),
    path("sections/", views.section_list, name="sections"),
    path("sections/<slug:slug>/", views.section_detail, name="section"),
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("sections/<slug:slug>/rss/", feeds.SectionArticlesFeed(), name="section_feed_rss"),
    path("sections/<slug:slug>/atom/", feeds.SectionArticlesAtomFeed(), name="section_feed_atom"),
    path("authors/<int:pk>/", views.person_detail, name="person"),
    path("authors/organisations/<int:pk>/", views.organisation_detail, name="organisation"),
]
