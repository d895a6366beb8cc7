from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from config.api_docs import ApiDocsView, ApiSchemaView
from config.converters import IdConverter
from config.home import LoginPage, home, old_phone_login
from disputes import views_bulletins as bulletins_views
from disputes import views_exports as exports_views
from disputes import views_figures as figures_views
from disputes import views_history as history_views
from disputes import views_supervision as supervision_views
from disputes import views_zero_reports as zero_reports_views
from maps import views as maps_views

register_converter(IdConverter, "id")

urlpatterns = [
    path("", home, name="home"),
    path("login/", LoginPage.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("m/login/", old_phone_login, name="mobile-login"),
    path("m/", include("disputes.urls")),
    path("desk/", include("disputes.desk.urls")),
    path("maps/", include("maps.urls")),
    path("supervision/", supervision_views.supervision_page, name="supervision"),
    path(
        "supervision/<id:case_id>/notice/",
        supervision_views.supervision_notice,
        name="supervision-notice",
    ),
    path(
        "tiles/<str:layer>/<int:z>/<int:x>/<int:y>.pbf",
        maps_views.tile,
        name="tile",
    ),
    path("api/", include("disputes.api.urls")),
    path("zero-reports/", zero_reports_views.zero_reports_page, name="zero-reports"),
    path("exports/", exports_views.exports_page, name="exports"),
    path("figures/", figures_views.figures_page, name="figures"),
    path("figures/figures.csv", figures_views.figures_csv, name="figures-csv"),
    path("bulletins/", bulletins_views.bulletins_page, name="bulletins"),
    path("bulletins/<id:bulletin_id>/", bulletins_views.bulletin_page, name="bulletin"),
    path("bulletins/<id:bulletin_id>/pdf", bulletins_views.bulletin_pdf, name="bulletin-pdf"),
    path("bulletins/<id:bulletin_id>/xlsx", bulletins_views.bulletin_xlsx, name="bulletin-xlsx"),
    path("history/", history_views.history_page, name="history"),
    path("api/schema/", ApiSchemaView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    path("api-auth/", include("rest_framework.urls")),
]
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
