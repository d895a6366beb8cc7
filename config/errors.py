"""Error answers: the project's own pages in the user's language, JSON under the API.

The pages are templates/{400,403,404,500}.html and 403_csrf.html. The 400 and
500 pages are rendered without a request context (no user, no database), so
they still render when the database is what failed.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions

# Routes whose clients read JSON: the API, the maps' data and the vector tiles.
JSON_PREFIXES = ("/api/", "/maps/api/", "/tiles/")


def _wants_json(request) -> bool:
    return request.path.startswith(JSON_PREFIXES)


def _json(detail, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": str(detail)}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def bad_request(request, exception):
    if _wants_json(request):
        return _json(exceptions.ParseError.default_detail, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _wants_json(request):
        return _json(exceptions.PermissionDenied.default_detail, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _wants_json(request):
        return _json(exceptions.NotFound.default_detail, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _wants_json(request):
        return _json(exceptions.APIException.default_detail, 500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid token (expired page, cookies off)."""
    if _wants_json(request):
        return _json(_("The form has expired. Reload the page and send it again."), 403)
    return render(request, "403_csrf.html", status=403)
