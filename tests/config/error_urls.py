"""The project's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def forbidden(request):
    raise PermissionDenied("the reason is not for the user")


def bad(request):
    raise SuspiciousOperation("the details are not for the user")


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("forbidden/", forbidden),
    path("bad/", bad),
    path("boom/", boom),
    path("api/boom/", boom),
    path("api/forbidden/", forbidden),
    *project_urlpatterns,
]
