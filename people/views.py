from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from articles.models import Article

from .models import Organisation, Person


def _author_page(request, author, articles):
    articles = articles.select_related("issue", "section").order_by(
        "-issue__year", "-issue__number", "order", "pk"
    )
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "people/author_detail.html", {"author": author, "page": page})


def person_detail(request, pk):
    person = get_object_or_404(Person, pk=pk)
    articles = Article.objects.published().filter(authorships__person=person).distinct()
    return _author_page(request, person, articles)


def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    articles = Article.objects.published().filter(authorships__organisation=organisation).distinct()
    return _author_page(request, organisation, articles)
