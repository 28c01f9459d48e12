from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from bulletin.preview import PublishedOrPreviewMixin, can_preview
from people.models import Organisation, Person

from .citation import gbt7714
from .forms import SearchForm
from .models import Article, Section
from .search.query import search_articles

ARTICLES_PER_PAGE = 20
SEARCH_RESULTS_PER_PAGE = 20


class ArticleDetailView(PublishedOrPreviewMixin, DetailView):
    template_name = "articles/article_detail.html"
    queryset = (
        Article.objects.select_related("issue__publication", "section")
        .with_authors()
        .prefetch_related("images")
    )

    def public(self, queryset):
        return queryset.public()

    def get_context_data(self, **kwargs):
        article = self.object
        previous_article, next_article = self._neighbours(article)
        return super().get_context_data(
            citation=gbt7714(article),
            previous_article=previous_article,
            next_article=next_article,
            ancestors=article.section.get_ancestors() if article.section.level else [],
            listed_sections=listed_section_ids(),
            **kwargs,
        )

    def _neighbours(self, article):
        """The articles before and after this one in its issue's print order."""
        if article.issue_id is None:
            return None, None
        siblings = Article.objects.filter(issue=article.issue_id)
        if not self.is_preview:
            siblings = siblings.published()
        order = list(siblings.in_print_order().only("pk", "title"))
        index = next(i for i, a in enumerate(order) if a.pk == article.pk)
        return (
            order[index - 1] if index > 0 else None,
            order[index + 1] if index + 1 < len(order) else None,
        )


def listed_section_ids():
    """Ids of the sections that have a page, for linking a section name only where it leads
    somewhere (one small query: a bulletin has a few dozen sections)."""
    return set(Section.objects.listed().values_list("pk", flat=True))


def section_list(request):
    sections = Section.objects.listed().with_article_counts()
    return render(request, "articles/section_list.html", {"sections": sections})


def section_detail(request, slug):
    section = get_object_or_404(Section.objects.listed(), slug=slug)
    articles = (
        Article.objects.public()
        .filter(section__in=section.get_descendants(include_self=True))
        .select_related("issue", "section")
        .with_authors()
        .newest_first()
    )
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/section_detail.html",
        {
            "section": section,
            "ancestors": section.get_ancestors(),
            "children": Section.objects.listed().filter(parent=section),
            "page": page,
        },
    )


def person_detail(request, pk):
    return _author_page(request, get_object_or_404(Person, pk=pk))


def organisation_detail(request, pk):
    return _author_page(request, get_object_or_404(Organisation, pk=pk))


def _author_page(request, author):
    """An author's published articles, newest first (who has a page: articles.authors).

    Staff previewing a draft may follow its author links: for an author without a public
    page they see the author's unpublished articles instead.
    """
    articles = Article.objects.by_author(author)
    # The rule of articles.authors (credited on an article readers can see), from the ids.
    preview = not articles.public().exists()
    if preview:
        if not can_preview(request.user) or not articles.exists():
            raise Http404("No published articles by this author.")
    else:
        articles = articles.public()
    articles = articles.select_related("issue", "section").with_authors().newest_first()
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/author_detail.html",
        {
            "author": author,
            "page": page,
            "preview": preview,
            "search_author": f"{'p' if isinstance(author, Person) else 'o'}{author.pk}",
        },
    )


@require_safe
def search(request):
    """Search published articles (the query rules are in articles/search/query.py)."""
    form = SearchForm(request.GET)
    results = None
    if form.query:
        kwargs = form.search_kwargs()
        results = search_articles(form.query, page_size=SEARCH_RESULTS_PER_PAGE, **kwargs)
        if results.count and results.page > results.num_pages:
            # Past the last page (an old link, a shrunk result list): show the last page instead.
            kwargs["page"] = results.num_pages
            results = search_articles(form.query, page_size=SEARCH_RESULTS_PER_PAGE, **kwargs)
    return render(
        request,
        "articles/article_search.html",
        {
            "form": form,
            "results": results,
            "pages": _search_pages(form, results) if results else None,
            "listed_sections": listed_section_ids() if results and results.hits else set(),
            "sort_links": _sort_links(form),
            "remove_author_url": _search_url(form.params(author="")),
            "clear_filters_url": _search_url(form.params(section="", year="", author="")),
        },
    )


def _search_url(params):
    return (
        f"{reverse('articles:search')}?{urlencode(params)}"
        if params
        else reverse("articles:search")
    )


def _search_pages(form, results):
    """Previous and next page links keeping the other parameters."""
    links = {"number": results.page, "count": results.num_pages}
    if results.page > 1:
        links["previous"] = _search_url(form.params(page=results.page - 1))
    if results.page < results.num_pages:
        links["next"] = _search_url(form.params(page=results.page + 1))
    return links


def _sort_links(form):
    current = form.value("sort")
    return [
        {"label": label, "url": _search_url(form.params(sort=value)), "current": key == current}
        for key, value, label in (("relevance", "", "相关度"), ("date", "date", "日期"))
    ]
