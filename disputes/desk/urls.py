from django.urls import include, path

from disputes.desk import views, views_register
from disputes.referrals import views as referral_views

urlpatterns = [
    path("", views.home, name="desk"),
    path("people/", include("disputes.people.urls")),
    path("projects/", include("disputes.risks.urls")),
    path("meetings/", include("disputes.meetings.urls")),
    path("backlog/", include("disputes.ownership.urls")),
    path("departments/", include("disputes.departments.urls")),
    path("reception/", include("disputes.reception.urls")),
    path("cases/", views.case_list, name="desk-cases"),
    path("mailbox/", views.mailbox, name="desk-mailbox"),
    path("referrals/", referral_views.referrals_page, name="desk-referrals"),
    path("cases/new/", views_register.register, name="desk-register"),
    path("cases/new/places/", views_register.register_places, name="desk-register-places"),
    path("cases/new/check/", views_register.register_check, name="desk-register-check"),
    path("cases/<id:case_id>/", views.case_detail, name="desk-case"),
    path("cases/<id:case_id>/receipt/", views_register.receipt, name="desk-receipt"),
    path("cases/<id:case_id>/receipt.pdf", views_register.receipt_pdf, name="desk-receipt-pdf"),
    path(
        "cases/<id:case_id>/receipt/new-code/",
        views_register.receipt_new_code,
        name="desk-receipt-new-code",
    ),
    path("cases/<id:case_id>/parties/", views.case_parties, name="desk-case-parties"),
    path("cases/<id:case_id>/do/<slug:action>/", views.case_action, name="desk-case-action"),
]
