"""Web pages of the disputes app: the grid worker's phone page and its service worker."""

import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import Point
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from disputes.core.areas import staff_of
from disputes.models import Case, Category, Party, Team
from villages.models import County

# What the phone page needs to start with no network; the page itself is cached by the
# service worker as last loaded.
SHELL_STATIC = (
    "disputes/phone.js",
    "disputes/mobile.css",
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png",
)
SERVICE_WORKER_TEMPLATE = "disputes/mobile_sw.js"
# How long the phone keeps using the page it has (and its service worker) without asking
# the server: a morning's work. A new version of the code reaches a phone within this.
PAGE_FRESH_SECONDS = 4 * 3600
# My open cases. In handling: a case resolved or followed up is settled and leaves the
# list; one referred to arbitration or a court (访调诉) stays, without a time limit,
# until its result.
OPEN_CASE_STATUSES = ("reported", "accepted", "in_handling", "in_review", "referred")


@login_required
def mobile(request):
    staff = staff_of(request.user)
    return render(
        request,
        "disputes/mobile.html",
        {
            "staff": staff,
            "categories": Category.objects.filter(active=True),
            "party_roles": Party.Role.choices,
            "urgencies": Case.Urgency.choices,
            "channels": Case.Channel.choices,
            "center": _home_centre(request.user, staff),
            "grids_geojson": _my_grids_geojson(request.user),
            "my_teams": Team.objects.filter(memberships__user=request.user).values("id", "name"),
            "outcomes": Case.Outcome.choices,
            "texts": _mobile_texts(),
            "config": _mobile_config(request),
            "open_cases_url": _open_cases_url(),
        },
    )


@require_GET
@never_cache
@ensure_csrf_cookie
def mobile_session(request):
    """Who the browser is logged in as (null when the session is gone), with a fresh CSRF cookie.

    The phone page asks after a 403 to tell an expired login from a stale CSRF token.
    """
    user = request.user.get_username() if request.user.is_authenticated else None
    return JsonResponse({"user": user})


@require_GET
def mobile_service_worker(request):
    """The service worker of /m/: served from /m/ so that its scope covers the page.

    Its cache version changes with the code and with every file of the shell, so a
    phone drops what it cached once any of them changes.
    """
    paths = SHELL_STATIC
    shell = [static(path) for path in paths]
    template = get_template(SERVICE_WORKER_TEMPLATE)
    digest = hashlib.sha256(template.template.source.encode())
    for path, url in zip(paths, shell, strict=True):
        digest.update(url.encode())
        found = finders.find(path)
        if found:
            with open(found, "rb") as file:
                digest.update(file.read())
    body = template.render(
        {
            "version": digest.hexdigest()[:12],
            "shell": shell,
            "page": reverse("mobile"),
            "logout": reverse("mobile-logout"),
            "page_fresh_seconds": PAGE_FRESH_SECONDS,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            # not static(""): the manifest storage has no entry for "" and raises
            "static_prefix": settings.STATIC_URL,
        }
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    # The page registers it with updateViaCache "all": within this time a visit does not
    # ask for it again (browsers ask at least once a day whatever it says).
    response["Cache-Control"] = f"max-age={PAGE_FRESH_SECONDS}"
    response["Service-Worker-Allowed"] = reverse("mobile")
    return response


def _open_cases_url() -> str:
    query = urlencode([("status", status) for status in OPEN_CASE_STATUSES] + [("page_size", 100)])
    return f"{reverse('case-list')}?{query}"


def _mobile_config(request) -> dict:
    page = reverse("mobile")
    return {
        # the page preloads it: one round trip less before the list shows
        "openCases": {"statuses": OPEN_CASE_STATUSES, "url": _open_cases_url()},
        "user": request.user.get_username(),
        "page": page,
        "serviceWorker": reverse("mobile-sw"),
        "session": reverse("mobile-session"),
        # loaded when the map is first shown, not with the page
        "leaflet": {"js": static("leaflet/leaflet.js"), "css": static("leaflet/leaflet.css")},
        "icons": {
            "iconUrl": static("leaflet/images/marker-icon.png"),
            "iconRetinaUrl": static("leaflet/images/marker-icon-2x.png"),
            "shadowUrl": static("leaflet/images/marker-shadow.png"),
        },
    }


def _mobile_texts() -> dict:
    """The page's messages in the request's language, for its script (through json_script)."""
    return {
        "queued": _(
            "No network: the report is saved on this phone and will be sent automatically."
        ),
        "waiting": _(
            "The server could not be reached: the report is saved on this phone "
            "and will be sent again shortly."
        ),
        "refused": _("The report was returned: correct what is marked and submit it again."),
        "refusedStatus": _("The server refused the report (HTTP %(status)s)."),
        "login": _("Your login has expired: the report stays on this phone."),
        "sent": _("Report sent."),
        "sending": _("Sending…"),
        "stateQueued": _("waiting to be sent"),
        "stateRefused": _("returned: to be corrected"),
        "stateLogin": _("waiting for you to log in again"),
        "correct": _("Correct it"),
        "discardAsk": _("Discard this report? What was typed in it will be lost."),
        "logoutAsk": _(
            "%(n)s reports are not sent yet. They stay on this phone and are sent when you "
            "log in again. Log out?"
        ),
        "photoRefused": _("The report was sent, but a photo was not accepted: %(reason)s"),
        "labelled": _("%(label)s: %(message)s"),
        "required": {
            "category": _("Choose a category."),
            "description": _("Describe what happened."),
        },
        "fields": {
            "category": _("Category"),
            "description": _("What happened"),
            "people_involved": _("People involved"),
            "urgency": _("Urgency"),
            "address": _("Address"),
            "location": _("Location"),
            "longitude": _("Location"),
            "latitude": _("Location"),
            "accuracy_m": _("Location"),
            "coord_system": _("Location"),
            "occurred_at": _("Time of the event"),
            "parties": _("Parties"),
            "role": _("Role"),
            "name": _("Name"),
            "phone": _("Phone"),
            "id_number": _("ID number"),
            "file": _("Photos"),
        },
        "accuracy": _("Accuracy about %(m)s m. Drag the pin to correct the place."),
        "noGps": _("No GPS position: drag the pin to the place."),
        "due": _("due"),
        "overdue": _("overdue"),
        "dueSoon": _("due soon"),
        "offlineList": _("Offline: showing the list as last loaded."),
        "take": _("Take the case"),
        "decline": _("Decline"),
        "declineWhy": _("Why does your team decline?"),
        "saved": _("Saved."),
        "answerBy": _("answer by"),
        "settledBy": _("%(team)s, %(days)s days from report to resolution"),
        "zeroFile": _("Today’s zero report"),
        "zeroFindings": _("Report today’s findings (%(n)s)"),
        "zeroFiled": _("Reported %(time)s"),
        "zeroNothing": _("nothing to report"),
        "zeroCases": _("cases found: %(n)s"),
        "zeroSent": _("Zero report filed."),
        "photo": _("photo"),
        "handedBack": _("Handed back to the level that holds the case."),
        "reply": _("Reply to the complainant"),
        "resolved": _("The case is resolved."),
        "zeroNotYet": _("Not reported yet; due by %(cutoff)s"),
        "zeroLate": _("Not reported, past %(cutoff)s"),
        "overdueDays": _("overdue by %(n)s days"),
        "zeroQueued": _(
            "No network: the zero report is saved on this phone and will be sent automatically."
        ),
    }


def _home_centre(user, staff):
    """Where the map opens before the GPS answers: the user's grid, village, township or county."""
    grid = user.grids.exclude(boundary=None).first()
    units = [grid, *(staff.village, staff.township, staff.county)] if staff else [grid]
    for unit in units:
        if unit is not None and unit.boundary is not None:
            return unit.boundary.point_on_surface
    county = County.objects.exclude(boundary=None).first()
    return county.boundary.point_on_surface if county else Point(115.8, 29.0, srid=4326)


def _my_grids_geojson(user) -> dict:
    """The outlines of the user's grids, drawn under the pin as the map's context."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": grid.name},
            "geometry": json.loads(grid.boundary.geojson),
        }
        for grid in user.grids.exclude(boundary=None)
    ]
    return {"type": "FeatureCollection", "features": features}
