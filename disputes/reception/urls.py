from django.urls import path

from disputes.reception import views, views_bookings

urlpatterns = [
    path("", views.calendar_page, name="reception"),
    path("schedules/", views.schedules_page, name="reception-schedules"),
    path("schedules/<id:schedule_id>/stop/", views.schedule_stop, name="reception-schedule-stop"),
    path("generate/", views.generate, name="reception-generate"),
    path("sessions/<id:session_id>/", views.session_page, name="reception-session"),
    path("sessions/<id:session_id>/cancel/", views.session_cancel, name="reception-cancel"),
    path("sessions/<id:session_id>/change/", views.session_change, name="reception-change"),
    path("sessions/<id:session_id>/swap/", views.session_swap, name="reception-swap"),
    path("sessions/<id:session_id>/visit/", views.session_visit, name="reception-visit"),
    path("sessions/<id:session_id>/ledger/", views.ledger_page, name="reception-ledger"),
    path("cases/<id:case_id>/book/", views_bookings.case_book, name="reception-book"),
    path(
        "appointments/<id:appointment_id>/move/",
        views_bookings.appointment_move,
        name="reception-move",
    ),
    path(
        "appointments/<id:appointment_id>/missed/",
        views_bookings.appointment_missed,
        name="reception-missed",
    ),
    path(
        "appointments/<id:appointment_id>/cancel/",
        views_bookings.appointment_cancel,
        name="reception-appointment-cancel",
    ),
]
