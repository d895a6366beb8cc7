from django.urls import path

from disputes.ownership import views

urlpatterns = [
    path("", views.backlog_page, name="desk-backlog"),
]
