from django.contrib.auth import views as auth_views
from django.urls import path

from disputes import views

urlpatterns = [
    path("", views.mobile, name="mobile"),
    path("sw.js", views.mobile_service_worker, name="mobile-sw"),
    path("session/", views.mobile_session, name="mobile-session"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="disputes/mobile_login.html", next_page="mobile"
        ),
        name="mobile-login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="mobile-login"), name="mobile-logout"),
]
