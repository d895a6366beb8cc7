"""A user given a temporary password chooses their own before any other page opens."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from disputes.core.areas import staff_of

# Pages a user with a temporary password may still open: the change itself, and leaving.
OPEN_PATHS = ("/password/", "/logout/", "/static/", "/jsi18n/")


class PasswordChangeRequiredMiddleware:
    """After authentication: a session user whose Staff row says must_change_password is sent
    to /password/ (the API's token login refuses such a user: disputes/api/auth.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PATHS)
            and (staff := staff_of(user)) is not None
            and staff.must_change_password
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": password_change_message()}, status=403)
            return redirect("password-change")
        return self.get_response(request)


def password_change_message() -> str:
    return _(
        "Your password is a temporary one: log in on the web (/login/) and choose your own "
        "password first."
    )
