"""The reception days' bookings (约访) from the desk: book a case from its page, move a
booking, mark it missed or cancel it; back to the case or the session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from disputes.cases import selectors as case_selectors
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.reception import policies
from disputes.reception.forms import BookForm, ReasonForm
from disputes.reception.models import Appointment
from disputes.reception.services import bookings
from disputes.reception.views import _keeper, _message, _refused, _status


@require_POST
@login_required
def case_book(request, case_id: int):
    """约访 from the case page: book the case into a session, back to the case."""
    _keeper(request)
    case = case_selectors.case_get(user=request.user, case_id=case_id)
    back = reverse("desk-case", args=[case.pk])
    form = BookForm(request.POST)
    if not form.is_valid():
        return _refused(request, _("Choose a reception day."), 400, back)
    try:
        appointment = bookings.appointment_book(
            actor=request.user, case_id=case.pk, session_id=form.cleaned_data["session"]
        )
    except (CaseInputError, NotAllowed, TransitionRefused) as refused:
        return _refused(request, _message(refused), _status(refused), back)
    messages.success(request, _booked_message(appointment))
    return redirect(back)


def _booked_message(appointment) -> str:
    if appointment.texted:
        return _("The appointment is booked; the complainant is told by SMS.")
    return _(
        "The appointment is booked. The complainant has no mobile number: tell them otherwise."
    )


def _appointment(request, appointment_id):
    _keeper(request)
    appointment = (
        Appointment.objects.filter(policies.session_area_q(request.user, "session__"))
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def _back(request, appointment):
    if request.POST.get("next") == "case":
        return reverse("desk-case", args=[appointment.case_id])
    return reverse("reception-session", args=[appointment.session_id])


@require_POST
@login_required
def appointment_move(request, appointment_id: int):
    appointment = _appointment(request, appointment_id)
    back = _back(request, appointment)
    form = BookForm(request.POST)
    if not form.is_valid():
        return _refused(request, _("Choose a reception day."), 400, back)
    try:
        moved = bookings.appointment_move(
            actor=request.user,
            appointment_id=appointment.pk,
            session_id=form.cleaned_data["session"],
        )
    except (CaseInputError, NotAllowed, TransitionRefused) as refused:
        return _refused(request, _message(refused), _status(refused), back)
    messages.success(request, _booked_message(moved))
    return redirect(back)


@require_POST
@login_required
def appointment_missed(request, appointment_id: int):
    appointment = _appointment(request, appointment_id)
    back = _back(request, appointment)
    try:
        bookings.appointment_missed(actor=request.user, appointment_id=appointment.pk)
    except (NotAllowed, TransitionRefused) as refused:
        return _refused(request, _message(refused), _status(refused), back)
    messages.success(request, _("Marked: the complainant did not come."))
    return redirect(back)


@require_POST
@login_required
def appointment_cancel(request, appointment_id: int):
    appointment = _appointment(request, appointment_id)
    back = _back(request, appointment)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _refused(request, _("Say why the appointment is cancelled."), 400, back)
    try:
        bookings.appointment_cancel(
            actor=request.user, appointment_id=appointment.pk, reason=form.cleaned_data["reason"]
        )
    except (CaseInputError, NotAllowed, TransitionRefused) as refused:
        return _refused(request, _message(refused), _status(refused), back)
    messages.success(request, _("The appointment is cancelled."))
    return redirect(back)
