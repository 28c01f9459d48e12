from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Article, Section


def article_detail(request, pk):
    article = get_object_or_404(
        Article.objects.published()
        .of_current_publication()
        .select_related("issue", "section")
        .prefetch_related("authorships__person", "authorships__organisation", "images"),
        pk=pk,
    )
    return render(request, "articles/article_detail.html", {"article": article})


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = (
        Article.objects.published()
        .of_current_publication()
        .filter(section__in=section.get_descendants(include_self=True))
        .select_related("issue", "section")
        .order_by("-issue__year", "-issue__number", "order", "pk")
    )
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "articles/section_detail.html", {"section": section, "page": page})
