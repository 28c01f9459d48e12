"""JSON answers, JSON errors, and the decorator every API view goes through."""

import functools

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

CONTENT_TYPE = "application/json; charset=utf-8"
SAFE_METHODS = ("GET", "HEAD")
MAX_AGE = 300


class ApiError(Exception):
    """Raised inside a view to answer ``{"error": {...}}`` with ``status``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def json_response(data, status=200):
    return JsonResponse(
        data,
        status=status,
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def error_response(status, message):
    return json_response({"error": {"status": status, "message": message}}, status=status)


def api_view(view):
    """GET and HEAD only (405 otherwise), ApiError turned into its JSON answer, and the cache
    header on success. CSRF-exempt so that a POST gets the JSON 405 rather than the HTML 403 of
    the CSRF check: these views never write anything."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            response = error_response(
                405, f"Method {request.method} is not allowed: this API is read-only (GET, HEAD)."
            )
            response["Allow"] = ", ".join(SAFE_METHODS)
            return response
        try:
            response = view(request, *args, **kwargs)
        except ApiError as error:
            return error_response(error.status, error.message)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    return wrapper
