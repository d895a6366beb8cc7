from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from disputes import views_bulletins as bulletins_views
from disputes import views_exports as exports_views
from disputes import views_figures as figures_views
from disputes import views_history as history_views
from disputes import views_supervision as supervision_views
from disputes import views_zero_reports as zero_reports_views
from maps import views as maps_views

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("m/", include("disputes.urls")),
    path("maps/", include("maps.urls")),
    path("supervision/", supervision_views.supervision_page, name="supervision"),
    path(
        "supervision/<int:case_id>/notice/",
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
    path("bulletins/<int:bulletin_id>/", bulletins_views.bulletin_page, name="bulletin"),
    path("bulletins/<int:bulletin_id>/pdf", bulletins_views.bulletin_pdf, name="bulletin-pdf"),
    path("bulletins/<int:bulletin_id>/xlsx", bulletins_views.bulletin_xlsx, name="bulletin-xlsx"),
    path("history/", history_views.history_page, name="history"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api-auth/", include("rest_framework.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
