from django.shortcuts import render

from articles.models import Article, Section
from issues.models import Issue


def home(request):
    issues = Issue.objects.public().newest_first()
    latest = issues.first()
    articles = []
    if latest:
        articles = (
            Article.objects.published()
            .filter(issue=latest)
            .select_related("section")
            .with_authors()
            .in_print_order()
        )
    return render(
        request,
        "bulletin/home.html",
        {
            "latest": latest,
            "articles": articles,
            "recent_issues": issues[1:9] if latest else [],
            "sections": Section.objects.listed().filter(level=0),
        },
    )
