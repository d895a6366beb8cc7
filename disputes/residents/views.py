"""The resident pages /r/ (阳光信访). Thin: the forms check the input, the throttles count,
disputes.residents.services writes and disputes.residents.selectors reads.

A case page opens only for a session that typed the case's query code (or reported it)
or confirmed the complainant's mobile number; anything else is 404, as if there were
no such case.
"""

import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.sms import SmsError
from disputes.core.errors import CaseInputError, TransitionRefused
from disputes.reception.selectors import public_schedule
from disputes.residents import grants, phone_codes, selectors, services
from disputes.residents import throttles as t
from disputes.residents.forms import (
    RateForm,
    ReportForm,
    ReviewForm,
    SendCodeForm,
    TrackByCodeForm,
    TrackByPhoneForm,
)
from disputes.residents.portal import portal_county

logger = logging.getLogger("disputes.residents")
ANSWER_KEY = "residents:answer"
# Where the intake's refusals are shown on the report form.
ERROR_FIELDS = {"location": "point", "village": "village", "file": "photo1", "leader": None}


def _address(request) -> str:
    return get_client_ip_address(request) or "unknown"


def _too_many(request):
    return render(request, "disputes/residents/too_many.html", status=429)


def _captcha_due(address: str, *, case_number=None, phone=None) -> bool:
    return (
        t.count(t.FAILED_ADDRESS, address) >= t.CAPTCHA_AFTER
        or (case_number is not None and t.count(t.FAILED_CASE, case_number) >= t.CAPTCHA_AFTER)
        or (phone is not None and t.count(t.FAILED_PHONE, phone) >= t.CAPTCHA_AFTER)
    )


def _failed(address: str, what: str, *, case_number=None, phone=None) -> None:
    """Count and log a wrong code: the address and what was tried, never the code typed."""
    t.hit(t.FAILED_ADDRESS, address)
    if case_number is not None:
        t.hit(t.FAILED_CASE, case_number)
    if phone is not None:
        t.hit(t.FAILED_PHONE, phone)
    logger.warning(
        "wrong %s%s from address %s",
        what,
        f" for case #{case_number}" if case_number is not None else "",
        t.fingerprint(address),
    )


def _refused(address: str, *, case_number=None, phone=None) -> bool:
    return (
        t.over(t.FAILED_ADDRESS, address)
        or (case_number is not None and t.over(t.FAILED_CASE, case_number))
        or (phone is not None and t.over(t.FAILED_PHONE, phone))
    )


def _posted_phone(request):
    return "".join(ch for ch in request.POST.get("phone", "") if ch.isdigit())[:11] or None


@require_GET
def home(request):
    return render(request, "disputes/residents/home.html", {"county": portal_county()})


# --- reporting -------------------------------------------------------------------------


def _report_form(request, leader=None, data=None, files=None):
    county = portal_county()
    form = ReportForm(
        data,
        files,
        villages=selectors.county_villages(county=county),
        confirmed_phone=phone_codes.phone_confirmed(request.session),
    )
    if _captcha_due(_address(request), phone=_posted_phone(request) if data else None):
        form.add_captcha()
    return form


def _report_page(request, form, leader, status=200):
    return render(
        request,
        "disputes/residents/report.html",
        {
            "form": form,
            "leader": leader,
            "confirmed_phone": phone_codes.phone_confirmed(request.session),
            # the same base map as the staff's maps, when the county has one (offline: none)
            "basemap_url": settings.MAP_BASEMAP_URL,
            "basemap_attribution": settings.MAP_BASEMAP_ATTRIBUTION,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def report(request, leader_id=None):
    leader = None
    if leader_id is not None:
        leader = selectors.mailbox_leader(leader_id=leader_id)
        if leader is None:
            raise Http404
    if request.method == "GET":
        return _report_page(request, _report_form(request, leader), leader)
    address = _address(request)
    phone = _posted_phone(request)
    if t.over(t.REPORT_ADDRESS, address) or _refused(address, phone=phone):
        return _too_many(request)
    form = _report_form(request, leader, request.POST, request.FILES)
    if not form.is_valid():
        return _report_page(request, form, leader, status=400)
    data = form.cleaned_data
    phone = data["phone"]
    if phone != form.confirmed_phone:
        if not phone_codes.code_check(phone=phone, purpose="report", typed=data["code"]):
            _failed(address, "one-time code (report)", phone=phone)
            form.add_error("code", _("The code is wrong or has expired; ask for a new one."))
            return _report_page(request, form, leader, status=400)
        phone_codes.phone_confirm(request.session, phone)
    if t.over(t.REPORT_PHONE, phone):
        return _too_many(request)
    point = data.get("point") if data["placement"] == "point" else None
    village = data.get("village") if data["placement"] == "village" else None
    try:
        case, code = services.resident_report(
            report=services.ResidentReport(
                category=data["category"],
                description=data["description"],
                name=data["name"],
                phone=phone,
                id_number=data["id_number"],
                lon=point[0] if point else None,
                lat=point[1] if point else None,
                village_id=village.pk if village else None,
                accuracy_m=data.get("accuracy") if point else None,
                address=data["address"],
                photos=form.photos,
                leader=leader,
            )
        )
    except CaseInputError as refused:
        form.add_error(ERROR_FIELDS.get(refused.field), refused.message)
        return _report_page(request, form, leader, status=400)
    t.hit(t.REPORT_ADDRESS, address)
    t.hit(t.REPORT_PHONE, phone)
    grants.case_grant(request.session, case.pk)
    request.session[ANSWER_KEY] = {
        "number": case.pk,
        "code": code,
        "leader": leader.title if leader else "",
    }
    return redirect("residents-report-done")


@require_GET
def report_done(request):
    """The case number and query code, shown once (the SMS has them too)."""
    answer = request.session.pop(ANSWER_KEY, None)
    if answer is None:
        return redirect("residents-track")
    return render(request, "disputes/residents/report_done.html", {"answer": answer})


@require_POST
def code_send(request):
    """Send a one-time code by SMS to the number typed (JSON: the page's script asks)."""
    address = _address(request)
    form = SendCodeForm(request.POST)
    if _captcha_due(address, phone=_posted_phone(request)):
        form.add_captcha()
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return JsonResponse({"ok": False, "message": first}, status=400)
    phone = form.cleaned_data["phone"]
    if t.over(t.CODE_ADDRESS, address) or t.over(t.CODE_PHONE, phone):
        return JsonResponse(
            {"ok": False, "message": _("Too many codes asked for; try again in an hour.")},
            status=429,
        )
    try:
        phone_codes.code_send(phone=phone, purpose=form.cleaned_data["purpose"])
    except phone_codes.CodeNotSent as soon:
        return JsonResponse({"ok": False, "message": str(soon)}, status=429)
    except SmsError:
        return JsonResponse(
            {"ok": False, "message": _("The SMS could not be sent; check the number.")},
            status=400,
        )
    t.hit(t.CODE_ADDRESS, address)
    t.hit(t.CODE_PHONE, phone)
    return JsonResponse({"ok": True, "message": _("The code is sent; it is valid for 10 minutes.")})


# --- tracking --------------------------------------------------------------------------


def _track_forms(request, by_code=None, by_phone=None):
    address = _address(request)
    by_code = by_code or TrackByCodeForm(prefix="c")
    by_phone = by_phone or TrackByPhoneForm(prefix="p")
    if _captcha_due(address):
        for form in (by_code, by_phone):
            if "captcha" not in form.fields:
                form.add_captcha()
    return by_code, by_phone


def _track_page(request, by_code=None, by_phone=None, status=200):
    by_code, by_phone = _track_forms(request, by_code, by_phone)
    return render(
        request,
        "disputes/residents/track.html",
        {"by_code": by_code, "by_phone": by_phone},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "GET":
        return _track_page(request)
    address = _address(request)
    t.hit(t.TRACK_ADDRESS, address)
    if t.over(t.TRACK_ADDRESS, address):
        return _too_many(request)
    if request.POST.get("kind") == "phone":
        return _track_by_phone(request, address)
    number = _posted_number_prefixed(request)
    if _refused(address, case_number=number):
        return _too_many(request)
    form = TrackByCodeForm(request.POST, prefix="c")
    if _captcha_due(address, case_number=number):
        form.add_captcha()
    if not form.is_valid():
        return _track_page(request, by_code=form, status=400)
    number = form.cleaned_data["number"]
    if not selectors.case_code_matches(case_id=number, typed=form.cleaned_data["query_code"]):
        _failed(address, "query code", case_number=number)
        form = TrackByCodeForm(request.POST, prefix="c")
        if _captcha_due(address, case_number=number):
            form.add_captcha()
        form.is_valid()
        form.add_error(None, _("The case number and the query code do not match."))
        return _track_page(request, by_code=form, status=400)
    grants.case_grant(request.session, number)
    return redirect("residents-case", case_id=number)


def _posted_number_prefixed(request):
    value = request.POST.get("c-number", "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _track_by_phone(request, address):
    phone = "".join(ch for ch in request.POST.get("p-phone", "") if ch.isdigit())[:11] or None
    if _refused(address, phone=phone):
        return _too_many(request)
    form = TrackByPhoneForm(request.POST, prefix="p")
    if _captcha_due(address, phone=phone):
        form.add_captcha()
    if not form.is_valid():
        return _track_page(request, by_phone=form, status=400)
    phone = form.cleaned_data["phone"]
    if not phone_codes.code_check(phone=phone, purpose="track", typed=form.cleaned_data["code"]):
        _failed(address, "one-time code (track)", phone=phone)
        form.add_error("code", _("The code is wrong or has expired; ask for a new one."))
        return _track_page(request, by_phone=form, status=400)
    phone_codes.phone_confirm(request.session, phone)
    return redirect("residents-mine")


@require_GET
def mine(request):
    phone = phone_codes.phone_confirmed(request.session)
    if not phone:
        return redirect("residents-track")
    return render(
        request,
        "disputes/residents/mine.html",
        {"masked": _mask(phone), "cases": selectors.cases_of_phone(phone=phone)},
    )


def _mask(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}"


def _may_open(request, case_id: int) -> bool:
    return grants.case_granted(request.session, case_id) or selectors.case_of_phone(
        case_id=case_id, phone=phone_codes.phone_confirmed(request.session)
    )


def _case_page(request, case_id, rate=None, review=None, status=200):
    if not _may_open(request, case_id):
        raise Http404
    case = selectors.case_public(case_id=case_id)
    if case is None:
        raise Http404
    return render(
        request,
        "disputes/residents/case.html",
        {
            "case": case,
            "rate": (rate or RateForm()) if case.may_rate else None,
            "review": (review or ReviewForm()) if case.review_until else None,
        },
        status=status,
    )


@require_GET
def case_page(request, case_id):
    return _case_page(request, case_id)


@require_POST
def case_rate(request, case_id):
    if not _may_open(request, case_id):
        raise Http404
    form = RateForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case_id, rate=form, status=400)
    try:
        services.resident_rate(
            case_id=case_id,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
        )
    except (TransitionRefused, CaseInputError) as refused:
        messages.error(request, getattr(refused, "message", str(refused)))
    else:
        messages.success(request, _("Thank you: your answer is recorded."))
    return redirect("residents-case", case_id=case_id)


@require_POST
def case_review(request, case_id):
    if not _may_open(request, case_id):
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case_id, review=form, status=400)
    try:
        services.resident_review(case_id=case_id, reason=form.cleaned_data["reason"])
    except (TransitionRefused, CaseInputError) as refused:
        messages.error(request, getattr(refused, "message", str(refused)))
    else:
        messages.success(request, _("Your request for a review is sent; the case is open again."))
    return redirect("residents-case", case_id=case_id)


# --- the leaders' mailbox and the map's outline ------------------------------------------


@require_GET
def mailbox(request):
    return render(
        request, "disputes/residents/mailbox.html", {"leaders": selectors.mailbox_leaders()}
    )


@require_GET
def outline(request):
    return JsonResponse(selectors.county_outline(county=portal_county()))


@require_GET
def reception(request):
    """The coming weeks' leaders' reception days (领导接访日) of the county and its townships."""
    county = portal_county()
    return render(
        request,
        "disputes/residents/reception.html",
        {"county": county, "units": public_schedule(county=county)},
    )
