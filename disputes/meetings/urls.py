from django.urls import path

from disputes.meetings import views

urlpatterns = [
    path("", views.meetings_page, name="meetings"),
    path("new/", views.meeting_new_page, name="meeting-new"),
    path("<id:meeting_id>/", views.meeting_page, name="meeting"),
    path("decisions/", views.decisions_page, name="meeting-decisions"),
    path("decisions/<id:decision_id>/", views.decision_page, name="meeting-decision"),
]
