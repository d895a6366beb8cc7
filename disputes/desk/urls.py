from django.urls import path

from disputes.desk import views

urlpatterns = [
    path("", views.home, name="desk"),
    path("cases/", views.case_list, name="desk-cases"),
    path("cases/<id:case_id>/", views.case_detail, name="desk-case"),
    path("cases/<id:case_id>/parties/", views.case_parties, name="desk-case-parties"),
    path("cases/<id:case_id>/do/<slug:action>/", views.case_action, name="desk-case-action"),
]
