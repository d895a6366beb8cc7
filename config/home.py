"""The site's entrance: one login page for every role, and `/` leading each role home."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from config.navigation import home_url


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect(home_url(request.user))


class LoginPage(auth_views.LoginView):
    """`/login/`: every role logs in here; a user already logged in goes home."""

    template_name = "login.html"
    redirect_authenticated_user = True


@require_GET
def old_phone_login(request):
    """`/m/login/`, where phones saved their bookmark: the one login page, back to the phone."""
    query = request.GET.copy()
    query.setdefault("next", reverse("mobile"))
    return HttpResponseRedirect(f"{reverse('login')}?{query.urlencode()}")
