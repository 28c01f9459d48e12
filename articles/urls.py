from django.urls import path

from bulletin.pagecache import public_page

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("articles/<int:pk>/", public_page(views.ArticleDetailView.as_view()), name="detail"),
    path("search/", views.search, name="search"),
    path("sections/", public_page(views.section_list), name="sections"),
    path("sections/<slug:slug>/", public_page(views.section_detail), name="section"),
    path("feeds/rss/", public_page(feeds.LatestArticlesFeed()), name="feed_rss"),
    path("feeds/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path(
        "sections/<slug:slug>/rss/",
        public_page(feeds.SectionArticlesFeed()),
        name="section_feed_rss",
    ),
    path(
        "sections/<slug:slug>/atom/",
        public_page(feeds.SectionArticlesAtomFeed()),
        name="section_feed_atom",
    ),
    path("authors/<int:pk>/", public_page(views.person_detail), name="person"),
    path(
        "authors/organisations/<int:pk>/",
        public_page(views.organisation_detail),
        name="organisation",
    ),
]
