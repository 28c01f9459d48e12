from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from articles.models import Article
from bulletin.preview import can_preview

from .models import Organisation, Person


def _author_page(request, author, by_author):
    """An author's published articles, newest first.

    People and organisations also hold the distribution list and staff, which are internal:
    only authors of something readers can already see get a public page. Staff previewing a
    draft may follow its author links: they see the author's unpublished articles instead.
    """
    articles = by_author.published().of_current_publication()
    preview = False
    if not articles.exists():
        if not can_preview(request.user) or not by_author.exists():
            raise Http404("No published articles by this author.")
        articles, preview = by_author, True
    articles = (
        articles.select_related("issue", "section")
        .with_authors()
        .order_by("-issue__year", "-issue__number", "order", "pk")
    )
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "people/author_detail.html",
        {
            "author": author,
            "page": page,
            "preview": preview,
            "search_author": f"{'p' if isinstance(author, Person) else 'o'}{author.pk}",
        },
    )


def person_detail(request, pk):
    person = get_object_or_404(Person, pk=pk)
    return _author_page(
        request, person, Article.objects.filter(authorships__person=person).distinct()
    )


def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    by_author = Article.objects.filter(authorships__organisation=organisation).distinct()
    return _author_page(request, organisation, by_author)
