from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from articles.models import Article

from .models import Organisation, Person


def _author_page(request, author, articles):
    # People and organisations also hold the distribution list and staff, which are internal:
    # only authors of something readers can already see get a public page.
    if not articles.exists():
        raise Http404("No published articles by this author.")
    articles = (
        articles.select_related("issue", "section")
        .with_authors()
        .order_by("-issue__year", "-issue__number", "order", "pk")
    )
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "people/author_detail.html", {"author": author, "page": page})


def person_detail(request, pk):
    person = get_object_or_404(Person, pk=pk)
    articles = (
        Article.objects.published()
        .of_current_publication()
        .filter(authorships__person=person)
        .distinct()
    )
    return _author_page(request, person, articles)


def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    articles = (
        Article.objects.published()
        .of_current_publication()
        .filter(authorships__organisation=organisation)
        .distinct()
    )
    return _author_page(request, organisation, articles)
