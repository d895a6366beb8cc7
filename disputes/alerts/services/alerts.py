"""The daily look for emerging hotspots, and the alerts it sends to the leaders of the place.

For each county, each village and category: the cases of the last
HOTSPOT_WINDOW_DAYS days against the same village's and category's
HOTSPOT_BASELINE_WEEKS windows before (disputes.alerts.statistics). An alert
needs at least HOTSPOT_MIN_CASES cases and a p-value below HOTSPOT_ALPHA
divided by the number of village-category pairs tested (Bonferroni), so that a
county of hundreds of villages does not raise alerts by chance every week.
One alert per village, category and week (a database constraint); it goes to
the township's leaders and the county office, and links to the hotspot map
framed on the village, the category and the window.

The same test runs for the cases inside and near each active major project
(disputes.risks), every category together, its threshold divided by the
county's number of active projects; that alert links to the project's page.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disputes.alerts.models import HotspotAlert
from disputes.alerts.selectors.counts import weekly_counts
from disputes.alerts.statistics import rise_test
from disputes.cases.models import Category
from disputes.oversight.services.notifications import notifications_create
from disputes.risks.models import MajorProject
from disputes.risks.selectors.projects import project_day_counts
from villages.models import County, Staff, Township, Village


def alerts_run(*, today=None) -> list[HotspotAlert]:
    """Look at every county as of `today` (local date); the alerts raised now."""
    today = today or timezone.localdate()
    raised = []
    for county in County.objects.order_by("code"):
        raised += county_alerts(county=county, today=today)
        raised += project_alerts(county=county, today=today)
    return raised


@dataclass(frozen=True)
class Window:
    """The last `days` days up to `today`, after `weeks` windows as long to compare with."""

    today: date
    days: int
    weeks: int

    @classmethod
    def of(cls, today: date) -> "Window":
        return cls(today, settings.HOTSPOT_WINDOW_DAYS, settings.HOTSPOT_BASELINE_WEEKS)

    @property
    def first(self) -> date:
        return self.today - timedelta(days=self.days * (self.weeks + 1) - 1)

    @property
    def start(self) -> date:
        return self.today - timedelta(days=self.days - 1)

    @property
    def monday(self) -> date:
        return self.today - timedelta(days=self.today.weekday())


def _rise(windows: list[int], threshold: float):
    """The test of the last window against those before; None unless it is an alert."""
    *baseline, observed = windows
    if observed < settings.HOTSPOT_MIN_CASES:
        return None
    rise = rise_test(observed, baseline)
    return rise if rise.p_value < threshold else None


def county_alerts(*, county: County, today) -> list[HotspotAlert]:
    window = Window.of(today)
    counts = weekly_counts(county_id=county.pk, end=today, days=window.days, weeks=window.weeks)
    tests = (
        Village.objects.filter(county=county).count() * Category.objects.filter(active=True).count()
    )
    threshold = settings.HOTSPOT_ALPHA / max(tests, 1)
    raised = []
    for (village_id, category_id), windows in sorted(counts.items()):
        rise = _rise(windows, threshold)
        if rise is None:
            continue
        village = Village.objects.defer("boundary").get(pk=village_id)
        place = {"village": village, "category_id": category_id}
        alert = _raise(county, place, {"township_id": village.township_id}, window, rise, threshold)
        if alert is not None:
            raised.append(alert)
    return raised


def project_alerts(*, county: County, today) -> list[HotspotAlert]:
    """The same test for the cases inside and near each active major project, every category."""
    window = Window.of(today)
    projects = list(MajorProject.objects.filter(county=county, active=True).defer("area"))
    threshold = settings.HOTSPOT_ALPHA / max(len(projects), 1)
    raised = []
    for project in projects:
        windows = [0] * (window.weeks + 1)
        per_day = project_day_counts(project.pk, first=window.first, last=today)
        for day, n in per_day.items():
            windows[(day - window.first).days // window.days] += n
        rise = _rise(windows, threshold)
        if rise is None:
            continue
        alert = _raise(county, {"project": project}, {}, window, rise, threshold)
        if alert is not None:
            raised.append(alert)
    return raised


def _raise(county, place: dict, extra: dict, window: Window, rise, threshold):
    """Store the alert and tell the leaders of the place, once per place and week; None if known."""
    if HotspotAlert.objects.filter(**place, week=window.monday).exists():
        return None
    try:
        with transaction.atomic():
            alert = HotspotAlert.objects.create(
                county=county,
                **place,
                **extra,
                week=window.monday,
                window_start=window.start,
                window_end=window.today,
                observed=rise.observed,
                expected=rise.expected,
                baseline_weeks=window.weeks,
                method=rise.method,
                dispersion=rise.size,
                p_value=rise.p_value,
                threshold=threshold,
            )
            notifications_create(
                users=alert_recipients(alert), message=alert_message(alert), link=alert_link(alert)
            )
    except IntegrityError:  # another run raised it at the same moment
        return None
    return alert


def alert_recipients(alert: HotspotAlert):
    """The leaders of the place: the county office, and the township's leaders (a project's:
    those of every township its area reaches into)."""
    if alert.project_id:
        townships = Township.objects.filter(
            county_id=alert.county_id, boundary__intersects=alert.project.area
        )
    else:
        townships = Township.objects.filter(pk=alert.township_id)
    return get_user_model().objects.filter(
        Q(staff__role=Staff.Role.TOWNSHIP_LEADER, staff__township__in=townships)
        | Q(staff__role=Staff.Role.COUNTY_OFFICE, staff__county_id=alert.county_id),
        is_active=True,
    )


def alert_message(alert: HotspotAlert) -> str:
    """The alert in words, with its method and numbers, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        if alert.project_id:
            text = _(
                "Rise of cases around the project %(project)s: %(observed)d cases from %(start)s "
                "to %(end)s against %(expected).1f expected (%(weeks)d weeks before; %(method)s, "
                "p = %(p).1e)."
            )
        else:
            text = _(
                "Rise of %(category)s in %(village)s: %(observed)d cases from %(start)s to "
                "%(end)s against %(expected).1f expected (%(weeks)d weeks before; %(method)s, "
                "p = %(p).1e)."
            )
        text = text % {
            "project": alert.project.name if alert.project_id else "",
            "category": alert.category.name if alert.category_id else "",
            "village": alert.village.name if alert.village_id else "",
            "observed": alert.observed,
            "start": alert.window_start.isoformat(),
            "end": alert.window_end.isoformat(),
            "expected": alert.expected,
            "weeks": alert.baseline_weeks,
            "method": HotspotAlert.Method(alert.method).label,
            "p": alert.p_value,
        }
    return text[:200]  # the length of a notification's message


def alert_link(alert: HotspotAlert) -> str:
    """A village's: the hotspot map framed on it, the category and the window; a project's page."""
    if alert.project_id:
        return reverse("desk-project", args=[alert.project_id])
    query = {
        "level": "village",
        "code": alert.village.code,
        "category": alert.category.code,
        "days": (alert.window_end - alert.window_start).days + 1,
    }
    return f"{reverse('map-hotspots')}?{urlencode(query)}"
