from django.urls import path

from disputes.residents import views

urlpatterns = [
    path("", views.home, name="residents"),
    path("report/", views.report, name="residents-report"),
    path("report/done/", views.report_done, name="residents-report-done"),
    path("code/", views.code_send, name="residents-code"),
    path("track/", views.track, name="residents-track"),
    path("track/mine/", views.mine, name="residents-mine"),
    path("cases/<id:case_id>/", views.case_page, name="residents-case"),
    path("cases/<id:case_id>/rate/", views.case_rate, name="residents-rate"),
    path("cases/<id:case_id>/review/", views.case_review, name="residents-review"),
    path("mailbox/", views.mailbox, name="residents-mailbox"),
    path("mailbox/<id:leader_id>/", views.report, name="residents-mailbox-write"),
    path("outline.json", views.outline, name="residents-outline"),
    path("reception/", views.reception, name="residents-reception"),
]
