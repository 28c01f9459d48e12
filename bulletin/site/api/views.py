from django.urls import Resolver404, resolve, reverse
from django.views.decorators.csrf import csrf_exempt

from articles.forms import SearchForm
from articles.models import Article, Section
from articles.search.query import search_articles
from issues.models import Issue

from . import serializers
from .pagination import page_envelope, page_request, paginate
from .responses import ApiError, api_view, error_response, json_response


@api_view
def index(request):
    return json_response(
        {
            "issues": request.build_absolute_uri(reverse("api:issues")),
            "sections": request.build_absolute_uri(reverse("api:sections")),
        }
    )


@api_view
def issue_list(request):
    issues = Issue.objects.public().newest_first().with_article_counts()
    return json_response(
        paginate(
            request,
            issues,
            lambda issue: serializers.issue_summary(request, issue, issue.article_count),
        )
    )


@api_view
def issue_detail(request, year, number):
    issue = Issue.objects.public().filter(year=year, number=number).first()
    if issue is None:
        raise ApiError(404, f"There is no published issue number {number} of {year}.")
    articles = (
        Article.objects.published()
        .filter(issue=issue)
        .select_related("section")
        .with_authors()
        .in_print_order()
    )
    sections = {}  # section id -> entry, in order of first appearance (the print order)
    count = 0
    for article in articles:
        entry = sections.get(article.section_id)
        if entry is None:
            entry = sections[article.section_id] = {
                "id": article.section_id,
                "name": article.section.name,
                "articles": [],
            }
        entry["articles"].append(serializers.article_summary(request, article))
        count += 1
    credits = issue.credits.select_related("person").order_by("order", "pk")
    return json_response(
        {
            **serializers.issue_summary(request, issue, count),
            "sections": list(sections.values()),
            "credits": serializers.credits(credits),
        }
    )


@api_view
def article_detail(request, pk):
    article = (
        Article.objects.public()
        .filter(pk=pk)
        .select_related("issue", "section")
        .with_authors()
        .first()
    )
    if article is None:
        raise ApiError(404, f"There is no published article {pk}.")
    return json_response(serializers.article_detail(request, article))


@api_view
def section_list(request):
    sections = Section.objects.listed().with_article_counts()
    results = [serializers.section(request, section) for section in sections]
    return json_response({"count": len(results), "results": results})


SEARCH_PARAM_ERRORS = {
    "section": "Parameter 'section' must be the id or the slug of an active section.",
    "year": "Parameter 'year' must be a year such as 2024.",
    "author": (
        "Parameter 'author' must be p<id> (a person) or o<id> (an organisation) "
        "with published articles."
    ),
    "sort": "Parameter 'sort' must be 'relevance' or 'date'.",
}


@api_view
def search(request):
    number, page_size = page_request(request)
    form = SearchForm(request.GET, with_choices=False)
    form.is_valid()
    for name, message in SEARCH_PARAM_ERRORS.items():
        if name in form.errors:
            raise ApiError(400, message)
    kwargs = {**form.search_kwargs(), "page": number}
    results = search_articles(form.query, page_size=page_size, **kwargs)
    # Past the last page is an empty page here, not a 404: a search's count moves as issues
    # are published.
    hits = [serializers.search_hit(request, hit) for hit in results.hits]
    return json_response(
        {
            "query": results.query,
            **page_envelope(request, number, page_size, results.count, results.num_pages, hits),
        }
    )


@csrf_exempt
def not_found(request, path=""):
    """Anything under /api/ that no endpoint answers, whatever the method."""
    message = f"There is no API endpoint at {request.path}."
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match and match.url_name != "not_found" and match.namespace == "api":
            message += f" Did you mean {request.path}/ (with a trailing slash)?"
    return error_response(404, message)
