from django.urls import path

from disputes.people import views, views_import

urlpatterns = [
    path("", views.staff_list_page, name="people"),
    path("new/", views.staff_create_page, name="people-new"),
    path("import/", views_import.staff_import_page, name="people-import"),
    path("<int:staff_id>/", views.staff_edit_page, name="people-edit"),
    path("<int:staff_id>/deactivate/", views.staff_deactivate_page, name="people-deactivate"),
    path("<int:staff_id>/password/", views.staff_password_page, name="people-password"),
]
