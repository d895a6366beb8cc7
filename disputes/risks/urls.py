from django.urls import path

from disputes.risks import views

urlpatterns = [
    path("", views.project_list_page, name="desk-projects"),
    path("new/", views.project_new_page, name="desk-project-new"),
    path("<id:project_id>/", views.project_page, name="desk-project"),
    path("<id:project_id>/edit/", views.project_edit_page, name="desk-project-edit"),
    path("<id:project_id>/follow-up/", views.project_follow_up_page, name="desk-project-follow-up"),
    path("<id:project_id>/close/", views.project_close_page, name="desk-project-close"),
]
