"""What the Open311 interface reads: form fields and query parameters, each checked to its
bounds before anything is looked up.

Plain Python rather than DRF: GeoReport v2 sends form fields in and expects its own
error list out. "Optional" follows the specification: an empty parameter is the same
as one not sent. Every refusal is an Open311Error (400 unless said otherwise).
"""

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from disputes.cases.serializers import PHONE_RE
from disputes.open311.errors import Open311Error
from disputes.open311.services import RequestInput

MAX_SPAN = timedelta(days=90)  # the specification's default and limit of a date range
PAGE_SIZE_MAX = 1000  # the specification's "first 1000 requests"
PAGE_MAX = 100_000
IDS_MAX = PAGE_SIZE_MAX
CODES_MAX = 100
DESCRIPTION_MAX = 4000  # the specification's limit
ADDRESS_MAX = 200  # Case.address
NAME_MAX = 60  # Party.name
SHORT_MAX = 100  # device_id, account_id, address_id
EMAIL_MAX = 254
URL_MAX = 2000
DATE_MAX = 40
YEAR_MIN, YEAR_MAX = 1949, 2100
LIST_MAX = 20_000  # characters of one list parameter (1000 ids and their commas)
CODE_MAX = 40  # Category.code
JURISDICTION_RE = re.compile(r"^[0-9]{6,12}$")  # a county's division code
ATTRIBUTES_MAX = 20
# A ticket number of the client's own system (the 12345 hotline's 工单号): as the desk takes it.
TICKET_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,29}$")
ID_RE = re.compile(r"^[0-9]{1,18}$")
WHOLE_RE = re.compile(r"^[0-9]{1,10}$")
CODE_RE = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")
ATTRIBUTE_RE = re.compile(r"^attribute\[([^\[\]]{1,40})\](\[\])?$")
ATTRIBUTES = ("ticket",)  # the attribute codes every service takes (see the service definition)
STATUSES = ("open", "closed")
# Line breaks and tabs may stand in a description; no other control character anywhere
# (PostgreSQL refuses NUL, XML 1.0 the others).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_RE = re.compile(r"[\x00-\x1f\x7f]")


def _text(params, name: str, limit: int, *, lines: bool = False) -> str:
    value = params.get(name, "")
    if len(value) > limit:
        raise Open311Error(
            400, _("%(field)s is longer than %(n)d characters.") % {"field": name, "n": limit}
        )
    if (CONTROL_RE if lines else LINE_RE).search(value):
        raise Open311Error(400, _("%(field)s holds a control character.") % {"field": name})
    return value.strip()


def _list(params, name: str) -> list[str]:
    """A parameter declared once or several times, each comma delimited; empty items dropped."""
    values = params.getlist(name)
    if sum(len(value) for value in values) > LIST_MAX:
        raise Open311Error(400, _("%(field)s is too long.") % {"field": name})
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _number(params, name: str, low: float, high: float) -> float | None:
    value = _text(params, name, 40)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not low <= number <= high:
        raise Open311Error(
            400,
            _("%(field)s must be a number from %(low)s to %(high)s.")
            % {"field": name, "low": low, "high": high},
        )
    return number


def _whole(params, name: str, low: int, high: int, default: int) -> int:
    value = _text(params, name, 10)
    if not value:
        return default
    if not WHOLE_RE.match(value) or not low <= int(value) <= high:
        raise Open311Error(
            400,
            _("%(field)s must be a whole number from %(low)d to %(high)d.")
            % {"field": name, "low": low, "high": high},
        )
    return int(value)


def _moment(params, name: str) -> datetime | None:
    """A w3 date-time (2010-01-01T00:00:00Z, …+08:00) from 1949 to 2100; without an offset,
    or a date alone, it is read in the server's time zone (Asia/Shanghai)."""
    value = _text(params, name, DATE_MAX)
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(
            400,
            _("%(field)s must be a date and time in ISO 8601, e.g. 2026-12-01T08:00:00+08:00.")
            % {"field": name},
        )
    if not YEAR_MIN <= moment.year <= YEAR_MAX:
        raise Open311Error(
            400,
            _("%(field)s must lie between %(low)d and %(high)d.")
            % {"field": name, "low": YEAR_MIN, "high": YEAR_MAX},
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# --- GET requests --------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestFilters:
    """What GET requests.[format] asks for. With `ids`, nothing else filters (the spec)."""

    ids: list[int] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    statuses: list[str] = field(default_factory=list)
    page: int = 1
    page_size: int = PAGE_SIZE_MAX


def request_filters(params, *, now: datetime | None = None) -> RequestFilters:
    """The filters of GET requests: ids, service codes, a date range of at most 90 days
    (the last 90 days unless given), statuses, and the page (`page`, `page_size`: the
    pagination extension most servers implement; at most 1000 a page)."""
    page = _whole(params, "page", 1, PAGE_MAX, 1)
    page_size = _whole(params, "page_size", 1, PAGE_SIZE_MAX, PAGE_SIZE_MAX)
    ids = _list(params, "service_request_id")
    if ids:
        if len(ids) > IDS_MAX:
            raise Open311Error(
                400,
                _("Ask for at most %(n)d service_request_id at once.") % {"n": IDS_MAX},
            )
        for item in ids:
            if not ID_RE.match(item):
                raise Open311Error(
                    400,
                    _("service_request_id “%(value)s” is not a request number.")
                    % {"value": item[:20]},
                )
        return RequestFilters(ids=[int(i) for i in ids], page=page, page_size=page_size)
    codes = _list(params, "service_code")
    if len(codes) > CODES_MAX:
        raise Open311Error(400, _("Ask for at most %(n)d service codes.") % {"n": CODES_MAX})
    for code in codes:
        if not CODE_RE.match(code):
            raise Open311Error(
                400, _("service_code “%(value)s” is not a service code.") % {"value": code[:40]}
            )
    statuses = [status.lower() for status in _list(params, "status")]
    for status in statuses:
        if status not in STATUSES:
            raise Open311Error(400, _("status must be open or closed."))
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    if start is None and end is None:
        end = now or timezone.now()
    if start is None:
        start = end - MAX_SPAN
    elif end is None:
        end = start + MAX_SPAN
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > MAX_SPAN:
        raise Open311Error(400, _("start_date and end_date may span at most 90 days."))
    return RequestFilters(
        service_codes=codes,
        start=start,
        end=end,
        statuses=sorted(set(statuses)),
        page=page,
        page_size=page_size,
    )


# --- POST requests -------------------------------------------------------------------------


def _attributes(params) -> dict[str, str]:
    names = [name for name in params if name.startswith("attribute")]
    if len(names) > ATTRIBUTES_MAX:
        raise Open311Error(400, _("Too many attributes."))
    attributes = {}
    for name in names:
        match = ATTRIBUTE_RE.match(name)
        code = match.group(1) if match else ""
        if code not in ATTRIBUTES:
            raise Open311Error(
                400,
                _("Unknown attribute “%(name)s”: the services here take attribute[ticket] only.")
                % {"name": name[:50]},
            )
        if match.group(2) or len(params.getlist(name)) > 1:
            raise Open311Error(400, _("attribute[%(code)s] takes one value.") % {"code": code})
        attributes[code] = _text(params, name, 40)
    return attributes


def _phone(params) -> str:
    phone = _text(params, "phone", 30).replace(" ", "")
    phone = phone.removeprefix("+86")
    if phone and not PHONE_RE.match(phone):
        raise Open311Error(400, _("phone is not a mobile (11 digits) or landline number."))
    return phone


def request_input(params) -> RequestInput:
    """The fields of POST requests: service_code, lat and long (required: this server places
    a request by its point), description (required, at most 4000 characters), the optional
    address_string, the complainant's first_name, last_name and phone, email, device_id,
    account_id, media_url, and attribute[ticket] (the client's own ticket number)."""
    code = _text(params, "service_code", CODE_MAX)
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    if not CODE_RE.match(code):
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": code})
    # Only finite and roughly in range here: the intake names a swapped pair, and the range.
    lat = _number(params, "lat", -180, 180)
    long = _number(params, "long", -180, 180)
    if lat is None or long is None:
        raise Open311Error(
            400,
            _(
                "A location is required: send lat and long (WGS-84); an address alone cannot be placed here."
            ),
        )
    description = _text(params, "description", DESCRIPTION_MAX, lines=True)
    if not description:
        raise Open311Error(400, _("description is required: what is the matter?"))
    address = _text(params, "address_string", ADDRESS_MAX)
    _text(params, "address_id", SHORT_MAX)
    first, last = _text(params, "first_name", NAME_MAX), _text(params, "last_name", NAME_MAX)
    # A Chinese name is written family name first, without a space; others with one.
    joiner = "" if re.search(r"[\u3400-\u9fff]", last + first) else " "
    name = joiner.join(part for part in (last, first) if part)
    if len(name) > NAME_MAX:
        raise Open311Error(
            400,
            _("first_name and last_name together are longer than %(n)d characters.")
            % {"n": NAME_MAX},
        )
    phone = _phone(params)
    if phone and not name:
        raise Open311Error(
            400, _("Send the complainant's name (first_name, last_name) with the phone.")
        )
    email = _text(params, "email", EMAIL_MAX)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Open311Error(400, _("email is not an e-mail address.")) from None
    media_url = _text(params, "media_url", URL_MAX)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise Open311Error(400, _("media_url is not an http(s) address.")) from None
    _text(params, "device_id", SHORT_MAX)
    ticket = _attributes(params).get("ticket", "").upper()
    if ticket and not TICKET_RE.match(ticket):
        raise Open311Error(400, _("attribute[ticket] has 4 to 30 letters, digits and dashes."))
    return RequestInput(
        service_code=code,
        lat=lat,
        long=long,
        description=description,
        address=address,
        ticket=ticket,
        name=name,
        phone=phone,
        account_id=_text(params, "account_id", SHORT_MAX),
    )


def ticket_check(token: str) -> str:
    """A token of GET tokens/[token]: a ticket number this client posted."""
    ticket = token.strip().upper()
    if not TICKET_RE.match(ticket):
        raise Open311Error(404, _("Token “%(token)s” was not found.") % {"token": token[:40]})
    return ticket


def request_id_check(value: str) -> int:
    if not ID_RE.match(value):
        raise Open311Error(404, _("Service request “%(id)s” was not found.") % {"id": value[:20]})
    return int(value)
