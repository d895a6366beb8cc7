"""The OpenAPI schema and its Swagger UI page, for logged-in users only."""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.permissions import IsAuthenticated


class ApiSchemaView(SpectacularAPIView):
    """The schema maps every endpoint and field: anonymous callers get 403 like the API."""

    permission_classes = [IsAuthenticated]


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI. Its start-up script is served from ?script, not inline, so a
    Content-Security-Policy with script-src 'self' lets it run. A browser that
    is not logged in is sent to the login page."""

    permission_classes = [IsAuthenticated]

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated | AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
