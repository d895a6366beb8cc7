"""/open311/v2/: GeoReport v2's resources, each with its format suffix (.json or .xml)."""

from django.urls import path, re_path

from disputes.open311 import views

urlpatterns = [
    path("discovery.<str:fmt>", views.discovery, name="open311-discovery"),
    path("services.<str:fmt>", views.service_list, name="open311-services"),
    path("services/<str:code>.<str:fmt>", views.service_definition, name="open311-service"),
    path("requests.<str:fmt>", views.requests, name="open311-requests"),
    path("requests/<str:request_id>.<str:fmt>", views.request_detail, name="open311-request"),
    path("tokens/<str:token>.<str:fmt>", views.token, name="open311-token"),
    # Anything else under /open311/v2/ answers with the specification's error list.
    re_path(r"^(?P<path>.*)$", views.not_found),
]
