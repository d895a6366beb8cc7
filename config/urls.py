from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from config.api_docs import ApiDocsView, ApiSchemaView
from config.converters import IdConverter
from config.home import LoginPage, home, old_phone_login
from disputes.audit import views as audit_views
from disputes.oversight import views as oversight_views
from disputes.people.views import PasswordChangePage
from disputes.reporting import views as reporting_views
from maps import views as maps_views

register_converter(IdConverter, "id")

urlpatterns = [
    path("", home, name="home"),
    path("login/", LoginPage.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangePage.as_view(), name="password-change"),
    path("admin/", admin.site.urls),
    path("m/login/", old_phone_login, name="mobile-login"),
    path("m/", include("disputes.urls")),
    path("desk/", include("disputes.desk.urls")),
    path("r/", include("disputes.residents.urls")),
    path("captcha/", include("captcha.urls")),
    path("maps/", include("maps.urls")),
    path("supervision/", oversight_views.supervision_page, name="supervision"),
    path(
        "supervision/<id:case_id>/notice/",
        oversight_views.supervision_notice,
        name="supervision-notice",
    ),
    path(
        "tiles/<str:layer>/<int:z>/<int:x>/<int:y>.pbf",
        maps_views.tile,
        name="tile",
    ),
    path("api/", include("disputes.api.urls")),
    path("open311/v2/", include("disputes.open311.urls")),
    path("zero-reports/", oversight_views.zero_reports_page, name="zero-reports"),
    path("exports/", reporting_views.exports_page, name="exports"),
    path("figures/", reporting_views.figures_page, name="figures"),
    path("figures/figures.csv", reporting_views.figures_csv, name="figures-csv"),
    path(
        "figures/department/",
        reporting_views.department_figures_page,
        name="department-figures",
    ),
    path("assessment/", reporting_views.assessment_page, name="assessment"),
    path("assessment/targets/", reporting_views.assessment_targets, name="assessment-targets"),
    path("bulletins/", reporting_views.bulletins_page, name="bulletins"),
    path("bulletins/<id:bulletin_id>/", reporting_views.bulletin_page, name="bulletin"),
    path("bulletins/<id:bulletin_id>/pdf", reporting_views.bulletin_pdf, name="bulletin-pdf"),
    path("bulletins/<id:bulletin_id>/xlsx", reporting_views.bulletin_xlsx, name="bulletin-xlsx"),
    path("history/", audit_views.history_page, name="history"),
    path("api/schema/", ApiSchemaView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    path("api-auth/", include("rest_framework.urls")),
]
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
