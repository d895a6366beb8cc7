"""Open311 GeoReport v2 at /open311/v2/: thin views that check the key, parse, call, answer.

Every answer is JSON or XML as the path's suffix asks; every refusal is the
specification's error list (a suffix that is neither answers in JSON). Requests are
read and posted with the client's api_key only (a county's list of cases is not
public here, unlike the specification's default); the services and the discovery
file need none, but a key that is sent must be valid. No session, no CSRF token:
the key is the only credential.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from disputes.open311 import keys, selectors, serializers, services
from disputes.open311.errors import Open311Error
from disputes.open311.formats import CONTENT_TYPES, render, render_errors

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00+08:00"  # the services' shape; change with it


def _params(request):
    try:
        return request.POST if request.method == "POST" else request.GET
    except (MultiPartParserError, SuspiciousOperation):
        raise Open311Error(400, _("The request's form could not be read.")) from None


def _client(request, params, *, required: bool):
    key = params.get("api_key") or request.GET.get("api_key") or ""
    if not key and not required:
        return None
    client = keys.client_for_key(key)
    if client is None:
        raise Open311Error(
            403,
            _("Invalid api_key received.") if key else _("An api_key is required."),
        )
    wait = keys.rate_take(client)
    if wait:
        raise Open311Error(
            429,
            _("More than %(n)d requests a minute for this api_key: try again in %(s)d seconds.")
            % {"n": client.requests_per_minute, "s": wait},
            headers={"Retry-After": str(wait)},
        )
    return client


def _jurisdiction(params, client) -> None:
    """jurisdiction_id, if sent, is the county's division code: the client's own county."""
    code = params.get("jurisdiction_id", "").strip()
    if not code:
        return
    if client is not None:
        known = code == client.county.code
    else:
        known = serializers.JURISDICTION_RE.match(code) and selectors.county_by_code(code)
    if not known:
        raise Open311Error(404, _("jurisdiction_id “%(id)s” was not found.") % {"id": code[:20]})


def endpoint(*, methods=("GET",), key_required=True):
    """The view answers in the suffix's format, for `methods`, with the caller's client."""
    allowed = (*methods, "HEAD") if "GET" in methods else methods

    def wrap(view):
        @csrf_exempt
        @wraps(view)
        def run(request, fmt, **kwargs):
            if fmt not in CONTENT_TYPES:
                return render_errors(400, _("The format must be json or xml."))
            try:
                if request.method not in allowed:
                    raise Open311Error(
                        405,
                        _("%(method)s is not allowed here.") % {"method": request.method[:10]},
                        headers={"Allow": ", ".join(allowed)},
                    )
                params = _params(request)
                client = _client(request, params, required=key_required)
                _jurisdiction(params, client)
                return view(request, fmt, params=params, client=client, **kwargs)
            except Open311Error as refused:
                return render_errors(refused.status, refused.description, fmt, refused.headers)

        return run

    return wrap


@endpoint(key_required=False)
def discovery(request, fmt, *, params, client):
    base = request.build_absolute_uri("/open311/v2/").rstrip("/")
    return render(
        {
            "changeset": CHANGESET,
            "contact": settings.OPEN311_CONTACT or _("The county's office for the platform."),
            "key_service": _(
                "Each client system gets an api_key from the county's administrator (the admin "
                "site, Open311 clients). Reading and posting requests need it."
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": list(CONTENT_TYPES.values()),
                }
            ],
        },
        fmt,
        root="discovery",
    )


@endpoint(key_required=False)
def service_list(request, fmt, *, params, client):
    return render(selectors.service_list(), fmt, root="services", item="service")


@endpoint(key_required=False)
def service_definition(request, fmt, *, params, client, code):
    category = selectors.service_category(code) if serializers.CODE_RE.match(code) else None
    if category is None:
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": code[:40]})
    return render(selectors.service_definition(category), fmt, root="service_definition")


@endpoint(methods=("GET", "POST"))
def requests(request, fmt, *, params, client):
    if request.method == "POST":
        values = serializers.request_input(params)
        reported = services.request_post(client=client, values=values)
        answer = selectors.request_posted(client=client, case_id=reported.case.pk)
        answer["account_id"] = values.account_id or None
        response = render(
            [answer],
            fmt,
            root="service_requests",
            item="request",
            status=201 if reported.created else 200,
        )
        if not reported.created:
            response["Idempotent-Replayed"] = "true"
        return response
    filters = serializers.request_filters(params)
    unknown = set(filters.service_codes) - selectors.service_codes_known(filters.service_codes)
    if unknown:
        raise Open311Error(
            400, _("service_code “%(code)s” was not found.") % {"code": sorted(unknown)[0]}
        )
    found = selectors.request_list(client=client, filters=filters)
    return render(found, fmt, root="service_requests", item="request")


@endpoint()
def request_detail(request, fmt, *, params, client, request_id):
    found = selectors.request_get(client=client, case_id=serializers.request_id_check(request_id))
    if found is None:
        raise Open311Error(404, _("Service request “%(id)s” was not found.") % {"id": request_id})
    return render([found], fmt, root="service_requests", item="request")


@endpoint()
def token(request, fmt, *, params, client, token):
    ticket = serializers.ticket_check(token)
    case_id = selectors.request_by_ticket(client=client, ticket=ticket)
    if case_id is None:
        raise Open311Error(404, _("Token “%(token)s” was not found.") % {"token": ticket})
    return render(
        [{"service_request_id": str(case_id), "token": ticket}],
        fmt,
        root="service_requests",
        item="request",
    )


@csrf_exempt
def not_found(request, path=""):
    return render_errors(
        404,
        _(
            "There is no such Open311 resource. See discovery.json for the endpoints: "
            "services, requests, tokens."
        ),
    )
