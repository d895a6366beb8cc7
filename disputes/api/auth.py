"""API tokens for phones: log in with a password for a token that expires, log out to revoke it.

Tokens are django-rest-knox's: stored hashed, one per device, each with a
lifetime that use extends (KNOX TOKEN_TTL, AUTO_REFRESH) up to a hard limit.
Failed passwords count towards django-axes' lockout by username and address;
the login is also throttled by address.
"""

from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from knox import views as knox_views
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from disputes.api.authentication import TokenAuthentication
from disputes.core.areas import staff_of
from disputes.people.middleware import password_change_message


class LoginRateThrottle(AnonRateThrottle):
    scope = "login"


class TokenLoginView(knox_views.LoginView):
    """A new token for a username and password (a device of its own: older ones stay valid)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer(
                "TokenLogin",
                {"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
            )
        },
    )
    def post(self, request, format=None):
        # Django's own request: django-axes marks a lockout on it for its middleware to answer.
        login = AuthTokenSerializer(data=request.data, context={"request": request._request})
        login.is_valid(raise_exception=True)
        request.user = login.validated_data["user"]
        staff = staff_of(request.user)
        if staff is not None and staff.must_change_password:
            # A temporary password opens nothing but the web page that replaces it.
            raise PermissionDenied(password_change_message())
        return super().post(request, format=format)

    def create_token(self):
        instance, token = super().create_token()
        # A user keeps the tokens of their latest few devices; older logins are revoked.
        keep = AuthToken.objects.filter(user=self.request.user).order_by("-created")
        stale = keep.values_list("pk", flat=True)[settings.API_TOKENS_PER_USER :]
        AuthToken.objects.filter(pk__in=list(stale)).delete()
        return instance, token


class TokenLogoutView(knox_views.LogoutView):
    """Revoke the token this request carries."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)


class TokenLogoutAllView(knox_views.LogoutAllView):
    """Revoke every token of the user (a lost phone)."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)
