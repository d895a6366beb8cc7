"""Middleware of the whole site."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
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
