"""Registering a case at the desk, and its receipt. Thin: the forms check the input,
disputes.desk.registration reads and saves, disputes.desk.receipts makes the receipt."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from disputes.cases import selectors as case_selectors
from disputes.cases.services import fingerprints, intake
from disputes.cases.services.query_codes import query_code_issue
from disputes.cases.services.repeats import REPEAT_RADIUS_M, REPEAT_WINDOW_DAYS
from disputes.core.areas import staff_of, user_units
from disputes.core.errors import CaseInputError, IdempotencyConflict, NotAllowed
from disputes.desk import receipts, registration
from disputes.desk.access import may_register
from disputes.desk.register_forms import (
    DATETIME_FORMAT,
    MAX_PARTIES,
    PartyFormSet,
    RegisterForm,
)
from disputes.desk.views import _basemap

PARTY_PREFIX = "party"
# Where the intake's refusals are shown on the form.
ERROR_FIELDS = {
    "location": "point",
    "longitude": "point",
    "latitude": "point",
    "village": "village",
    "hotline_ticket": "hotline_ticket",
    "file": "scan",
}


def _clerk(request):
    if not may_register(request.user):
        raise Http404
    level, home = user_units(request.user)
    if home is None:
        raise Http404
    return level, home


def _forms(request, data=None, files=None):
    villages = registration.area_villages(user=request.user)
    if data is None:
        form = RegisterForm(
            villages=villages,
            initial={
                "uuid": uuid.uuid4(),
                "occurred_at": timezone.localtime().strftime(DATETIME_FORMAT),
            },
        )
        parties = PartyFormSet(
            prefix=PARTY_PREFIX, initial=[{"role": "complainant"}, {"role": "respondent"}]
        )
    else:
        form = RegisterForm(data, files, villages=villages)
        parties = PartyFormSet(data, prefix=PARTY_PREFIX)
    return form, parties


def _page(request, form, parties, *, status=200):
    level, home = user_units(request.user)
    return render(
        request,
        "desk/register.html",
        {
            "home": home,
            "home_level": level,
            "form": form,
            "parties": parties,
            "max_parties": MAX_PARTIES,
            "point": form["point"].value() or "",
            **_basemap(),
        },
        status=status,
    )


def _report(form: RegisterForm, parties: PartyFormSet) -> tuple[intake.CaseReport, str]:
    values = form.cleaned_data
    by_village = values["placement"] == "village"
    lon, lat = (None, None) if by_village else values["point"]
    agent = None
    if values["agent_name"]:
        agent = intake.AgentInput(
            name=values["agent_name"], unit=values["agent_unit"], phone=values["agent_phone"]
        )
    party_rows = parties.parties()
    report = intake.CaseReport(
        uuid=values["uuid"],
        channel=values["channel"],
        occurred_at=values["occurred_at"] or timezone.now(),
        category=values["category"],
        description=values["description"].strip(),
        lon=lon,
        lat=lat,
        village_id=values["village"].pk if by_village else None,
        address=values["address"].strip(),
        people_involved=values["people_involved"],
        amount_at_stake=values["amount_at_stake"],
        urgency=values["urgency"],
        parties=[intake.PartyInput(**row) for row in party_rows],
        hotline_ticket=values["hotline_ticket"],
        agent=agent,
    )
    # What was sent, as the form read it (a second send of the same form is the same).
    sent = {
        key: value
        for key, value in values.items()
        if key not in ("scan", "village", "point", "occurred_at")
    }
    sent |= {
        "village": values["village"].pk if by_village and values["village"] else None,
        "point": list(values["point"]) if not by_village else None,
        "occurred_at": values["occurred_at"],
        "parties": party_rows,
        "scan": values["scan"].size if values["scan"] else None,
    }
    return report, fingerprints.report_fingerprint(sent)


@require_http_methods(["GET", "POST"])
@login_required
def register(request):
    _clerk(request)
    if request.method == "GET":
        return _page(request, *_forms(request))
    form, parties = _forms(request, request.POST, request.FILES)
    forms_valid = form.is_valid()
    parties_valid = parties.is_valid()  # both checked: every error shown at once
    if not (forms_valid and parties_valid):
        return _page(request, form, parties, status=400)
    report, fingerprint = _report(form, parties)
    try:
        case, created, code = registration.case_register(
            clerk=request.user,
            report=report,
            fingerprint=fingerprint,
            scan=form.cleaned_data["scan"],
        )
    except CaseInputError as refused:
        form.add_error(ERROR_FIELDS.get(refused.field), refused.message)
        return _page(request, form, parties, status=400)
    except IdempotencyConflict:
        form.add_error(
            None,
            _(
                "This form was saved already, as another case. Open a new form to register "
                "one more case."
            ),
        )
        return _page(request, form, parties, status=409)
    if created:
        receipts.receipt_code_keep(request.session, case.pk, code)
        messages.success(
            request,
            _("Case #%(case)s is registered. Print the receipt for the complainant now.")
            % {"case": case.pk},
        )
    return redirect(reverse("desk-case", args=[case.pk]))


@require_GET
@login_required
def register_places(request):
    """htmx: villages and grids of the clerk's area whose name holds ?q (at most 30 characters)."""
    _clerk(request)
    text = request.GET.get("q", "")
    if len(text) > registration.SEARCH_MAX_LENGTH:
        return render(
            request,
            "desk/register_places.html",
            {"error": _("Type at most %(n)d characters.") % {"n": registration.SEARCH_MAX_LENGTH}},
            status=400,
        )
    places = registration.places_search(user=request.user, text=text)
    return render(
        request, "desk/register_places.html", {"places": places, "searched": text.strip()}
    )


@require_POST
@login_required
def register_check(request):
    """htmx: where the case would go and the possible repeats, from the form as it stands.

    Nothing is saved; what is not valid yet is left out of the check.
    """
    _clerk(request)
    form, parties = _forms(request, request.POST)
    form.is_valid()
    parties.is_valid()
    values = getattr(form, "cleaned_data", {})
    by_village = values.get("placement") == "village"
    point = None if by_village else values.get("point")
    village = values.get("village") if by_village else None
    location, place_error = registration.place_check(
        user=request.user, point=point, village=village
    )
    rows = [
        f.cleaned_data
        for f in parties.forms[:MAX_PARTIES]
        if not f.errors and getattr(f, "cleaned_data", None) and not f.is_blank
    ]
    category = values.get("category")
    # The county the case would go to: where it lies, or the clerk's own.
    staff = staff_of(request.user)
    county_id = location.county.id if location else staff.county_id if staff else None
    repeats = []
    if county_id is not None and (
        rows or (category is not None and point is not None and location is not None)
    ):
        repeats = registration.repeat_preview(
            user=request.user,
            county_id=county_id,
            category=category,
            point=point if location is not None else None,
            parties=rows,
        )
    return render(
        request,
        "desk/register_check.html",
        {
            "location": location,
            "place_error": place_error,
            "by_village": by_village,
            "repeats": repeats,
            "checked": bool(rows or category or point or village),
            "radius": REPEAT_RADIUS_M,
            "window": REPEAT_WINDOW_DAYS,
        },
    )


# --- the receipt ----------------------------------------------------------------------


def _receipt_case(request, case_id: int):
    _clerk(request)
    return case_selectors.case_get(user=request.user, case_id=case_id)  # Http404 outside


@require_GET
@login_required
def receipt(request, case_id: int):
    case = _receipt_case(request, case_id)
    code = receipts.receipt_code(request.session, case.pk)
    context = receipts.receipt_context(user=request.user, case=case, code=code)
    response = render(request, "desk/receipt.html", context)
    response["Cache-Control"] = "no-store"  # it may carry the query code
    return response


@require_GET
@login_required
def receipt_pdf(request, case_id: int):
    case = _receipt_case(request, case_id)
    code = receipts.receipt_code(request.session, case.pk)
    pdf = receipts.receipt_pdf(receipts.receipt_context(user=request.user, case=case, code=code))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{case.pk}.pdf"'
    response["Cache-Control"] = "no-store"  # it may carry the query code
    return response


@require_POST
@login_required
def receipt_new_code(request, case_id: int):
    """Give the complainant a new query code (the old one stops working) and reprint."""
    case = _receipt_case(request, case_id)
    try:
        code = query_code_issue(case_id=case.pk, actor=request.user)
    except NotAllowed as refused:
        messages.error(request, str(refused))
        return redirect(reverse("desk-receipt", args=[case.pk]))
    receipts.receipt_code_keep(request.session, case.pk, code)
    messages.success(
        request, _("A new query code is on the receipt; the earlier one no longer works.")
    )
    return redirect(reverse("desk-receipt", args=[case.pk]))
