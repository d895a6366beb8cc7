from django.urls import path

from maps import views

urlpatterns = [
    path("territory/", views.territory, name="map-territory"),
    path("coverage/", views.coverage, name="map-coverage"),
    path("hotspots/", views.hotspots, name="map-hotspots"),
    path("api/clusters/", views.clusters, name="map-clusters"),
    path("api/projects/", views.projects, name="map-projects"),
    path("api/cases/<id:case_id>/", views.case_summary, name="map-case"),
    path("api/boundaries/", views.boundaries, name="map-boundaries"),
    path("api/figures/", views.figures, name="map-figures"),
]
