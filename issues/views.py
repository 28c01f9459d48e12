from django.shortcuts import get_object_or_404, render

from articles.models import Article

from .models import Issue


def issue_detail(request, year, number):
    issue = get_object_or_404(
        Issue.objects.published().of_current_publication(),
        year=year,
        number=number,
    )
    articles = (
        Article.objects.published()
        .filter(issue=issue)
        .select_related("section")
        .prefetch_related("authorships__person", "authorships__organisation")
        .in_print_order()
    )
    return render(request, "issues/issue_detail.html", {"issue": issue, "articles": articles})
