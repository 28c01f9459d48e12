"""?page= and ?page_size= for the API's paginated lists (rules in the package docstring)."""

import re

from django.core.paginator import EmptyPage, Paginator

from .responses import ApiError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def positive_int_param(request, name, default):
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,18}", raw) or int(raw) < 1:
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        raise ApiError(400, f"Parameter '{name}' must be a positive integer, not '{shown}'.")
    return int(raw)


def page_request(request):
    """The page number and the page size (clamped to MAX_PAGE_SIZE) that ``request`` asks for."""
    page_size = min(positive_int_param(request, "page_size", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    return positive_int_param(request, "page", 1), page_size


def paginate(request, queryset, serialize):
    """The page the request asks for, as the API's list envelope; 404 past the last page."""
    number, page_size = page_request(request)
    paginator = Paginator(queryset, page_size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise ApiError(
            404, f"Page {number} does not exist: there are {paginator.num_pages} pages."
        ) from None
    results = [serialize(obj) for obj in page.object_list]
    return page_envelope(request, number, page_size, paginator.count, paginator.num_pages, results)


def page_envelope(request, number, page_size, count, num_pages, results):
    """The API's list envelope for page ``number`` of ``num_pages``, with links to its
    neighbours that keep the request's other parameters."""
    return {
        "count": count,
        "page": number,
        "page_size": page_size,
        "num_pages": num_pages,
        "next": _link(request, number + 1, page_size) if number < num_pages else None,
        "previous": _link(request, number - 1, page_size) if 1 < number <= num_pages else None,
        "results": results,
    }


def _link(request, number, page_size):
    params = request.GET.copy()
    params["page"] = str(number)
    if "page_size" in params:
        params["page_size"] = str(page_size)  # the clamped value, not what was asked
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
