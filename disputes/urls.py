from django.contrib.auth import views as auth_views
from django.urls import path

from disputes import views

urlpatterns = [
    path("", views.mobile, name="mobile"),
    path("sw.js", views.mobile_service_worker, name="mobile-sw"),
    path("session/", views.mobile_session, name="mobile-session"),
    path("logout/", auth_views.LogoutView.as_view(next_page="login"), name="mobile-logout"),
]
