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


def paginate(request, queryset, serialize):
    """The page the request asks for, as the API's list envelope; 404 past the last page."""
    page_size = min(positive_int_param(request, "page_size", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    number = positive_int_param(request, "page", 1)
    paginator = Paginator(queryset, page_size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise ApiError(
            404, f"Page {number} does not exist: there are {paginator.num_pages} pages."
        ) from None
    return {
        "count": paginator.count,
        "page": number,
        "page_size": page_size,
        "num_pages": paginator.num_pages,
        "next": _link(request, page.next_page_number(), page_size) if page.has_next() else None,
        "previous": (
            _link(request, page.previous_page_number(), page_size) if page.has_previous() else None
        ),
        "results": [serialize(obj) for obj in page.object_list],
    }


def _link(request, number, page_size):
    params = request.GET.copy()
    params["page"] = str(number)
    if "page_size" in params:
        params["page_size"] = str(page_size)  # the clamped value, not what was asked
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
