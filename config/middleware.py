"""Middleware of the whole site."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Refuse (413) a body larger than settings.REQUEST_MAX_BYTES before anything reads it.

    The application server reads what a client sends; this keeps a worker from
    spooling a gigabyte that the upload check would refuse anyway. A reverse
    proxy in front should have the same limit (nginx: client_max_body_size).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            with translation.override(translation.get_language_from_request(request)):
                message = _("The request is larger than %(mb)d MB.") % {
                    "mb": settings.REQUEST_MAX_BYTES // 2**20
                }
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class CompressedPagesMiddleware(GZipMiddleware):
    """Gzip the pages and the API's JSON for a browser that takes it.

    On a phone's slow network the phone page and its case list are most of what a
    visit downloads. Only whole HTML and JSON answers: static files come compressed
    from WhiteNoise, tiles and exports keep their own encoding and streaming.
    Django's GZipMiddleware pads each answer by a random length against BREACH.
    """

    TYPES = ("text/html", "application/json", "application/geo+json")

    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith(self.TYPES):
            return response
        return super().process_response(request, response)
