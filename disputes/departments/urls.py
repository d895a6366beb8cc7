from django.urls import path

from disputes.departments import views

urlpatterns = [
    path("", views.department_list_page, name="departments"),
    path("new/", views.department_create_page, name="departments-new"),
    path("categories/", views.category_map_page, name="departments-categories"),
    path("<int:department_id>/", views.department_edit_page, name="departments-edit"),
]
