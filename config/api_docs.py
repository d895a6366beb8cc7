"""The OpenAPI schema and its Swagger UI page, for logged-in users only."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer

from config.api import QuerySerializer


class SchemaQuery(QuerySerializer):
    lang = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="the language of the descriptions",
    )
    format = serializers.ChoiceField(
        choices=["json", "yaml"], required=False, help_text="yaml by default"
    )


class ApiSchemaView(SpectacularAPIView):
    """The schema maps every endpoint and field: anonymous callers get 401 like the API."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[SchemaQuery], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, *args, **kwargs):
        # drf-spectacular answers an unknown language in the default one; it is refused here.
        SchemaQuery(data=request.query_params).is_valid(raise_exception=True)
        return super().get(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400:
            # Errors are JSON like the rest of the API, not a YAML rendering of one.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI. Its start-up script is served from ?script, not inline, so a
    Content-Security-Policy with script-src 'self' lets it run. A browser that
    is not logged in is sent to the login page."""

    permission_classes = [IsAuthenticated]

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated | AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
