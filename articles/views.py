from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from bulletin.preview import PublishedOrPreviewMixin

from .citation import gbt7714
from .forms import SearchForm
from .models import Article, ArticleStatus, Section
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
        return queryset.published().of_current_publication()

    def get_context_data(self, **kwargs):
        article = self.object
        previous_article, next_article = self._neighbours(article)
        return super().get_context_data(
            citation=gbt7714(article),
            previous_article=previous_article,
            next_article=next_article,
            ancestors=article.section.get_ancestors() if article.section.level else [],
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


def section_list(request):
    sections = Section.objects.filter(is_active=True).annotate(
        article_count=Count(
            "articles",
            filter=Q(articles__status=ArticleStatus.PUBLISHED, articles__issue__status="published"),
        )
    )
    return render(request, "articles/section_list.html", {"sections": sections})


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = (
        Article.objects.published()
        .of_current_publication()
        .filter(section__in=section.get_descendants(include_self=True))
        .select_related("issue", "section")
        .with_authors()
        .order_by("-issue__year", "-issue__number", "order", "pk")
    )
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/section_detail.html",
        {
            "section": section,
            "ancestors": section.get_ancestors(),
            "children": section.get_children().filter(is_active=True),
            "page": page,
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
