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
"""

from datetime import timedelta
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


def project_alerts(*, county: County, today) -> list[HotspotAlert]:
    """The same test for the cases inside and near each active major project, every category.

    The threshold divides HOTSPOT_ALPHA by the number of the county's active projects.
    """
    days, weeks = settings.HOTSPOT_WINDOW_DAYS, settings.HOTSPOT_BASELINE_WEEKS
    projects = list(MajorProject.objects.filter(county=county, active=True).defer("area"))
    threshold = settings.HOTSPOT_ALPHA / max(len(projects), 1)
    first = today - timedelta(days=days * (weeks + 1) - 1)
    week = today - timedelta(days=today.weekday())
    raised = []
    for project in projects:
        per_day = project_day_counts(project.pk, first=first, last=today)
        windows = [0] * (weeks + 1)
        for day, n in per_day.items():
            windows[(day - first).days // days] += n
        *baseline, observed = windows
        if observed < settings.HOTSPOT_MIN_CASES:
            continue
        rise = rise_test(observed, baseline)
        if rise.p_value >= threshold:
            continue
        alert = _project_alert_raise(
            project=project,
            week=week,
            window=(today - timedelta(days=days - 1), today),
            weeks=weeks,
            rise=rise,
            threshold=threshold,
        )
        if alert is not None:
            raised.append(alert)
    return raised


def _project_alert_raise(*, project, week, window, weeks, rise, threshold):
    if HotspotAlert.objects.filter(project=project, week=week).exists():
        return None
    try:
        with transaction.atomic():
            alert = HotspotAlert.objects.create(
                county_id=project.county_id,
                project=project,
                week=week,
                window_start=window[0],
                window_end=window[1],
                observed=rise.observed,
                expected=rise.expected,
                baseline_weeks=weeks,
                method=rise.method,
                dispersion=rise.size,
                p_value=rise.p_value,
                threshold=threshold,
            )
            notifications_create(
                users=project_alert_recipients(project),
                message=alert_message(alert),
                link=reverse("desk-project", args=[project.pk]),
            )
    except IntegrityError:
        return None
    return alert


def project_alert_recipients(project: MajorProject):
    """The county office and the leaders of the townships the project's area reaches into."""
    townships = Township.objects.filter(
        county_id=project.county_id, boundary__intersects=project.area
    )
    return get_user_model().objects.filter(
        Q(staff__role=Staff.Role.TOWNSHIP_LEADER, staff__township__in=townships)
        | Q(staff__role=Staff.Role.COUNTY_OFFICE, staff__county_id=project.county_id),
        is_active=True,
    )


def county_alerts(*, county: County, today) -> list[HotspotAlert]:
    days, weeks = settings.HOTSPOT_WINDOW_DAYS, settings.HOTSPOT_BASELINE_WEEKS
    counts = weekly_counts(county_id=county.pk, end=today, days=days, weeks=weeks)
    tests = (
        Village.objects.filter(county=county).count() * Category.objects.filter(active=True).count()
    )
    threshold = settings.HOTSPOT_ALPHA / max(tests, 1)
    week = today - timedelta(days=today.weekday())
    raised = []
    for (village_id, category_id), windows in sorted(counts.items()):
        *baseline, observed = windows
        if observed < settings.HOTSPOT_MIN_CASES:
            continue
        rise = rise_test(observed, baseline)
        if rise.p_value >= threshold:
            continue
        alert = _alert_raise(
            county=county,
            village_id=village_id,
            category_id=category_id,
            week=week,
            window=(today - timedelta(days=days - 1), today),
            weeks=weeks,
            rise=rise,
            threshold=threshold,
        )
        if alert is not None:
            raised.append(alert)
    return raised


def _alert_raise(*, county, village_id, category_id, week, window, weeks, rise, threshold):
    """Store the alert and tell the leaders, once per village, category and week; None if known."""
    if HotspotAlert.objects.filter(
        village_id=village_id, category_id=category_id, week=week
    ).exists():
        return None
    village = Village.objects.select_related("township").defer("boundary").get(pk=village_id)
    try:
        with transaction.atomic():
            alert = HotspotAlert.objects.create(
                county=county,
                township_id=village.township_id,
                village=village,
                category_id=category_id,
                week=week,
                window_start=window[0],
                window_end=window[1],
                observed=rise.observed,
                expected=rise.expected,
                baseline_weeks=weeks,
                method=rise.method,
                dispersion=rise.size,
                p_value=rise.p_value,
                threshold=threshold,
            )
            notifications_create(
                users=alert_recipients(village),
                message=alert_message(alert),
                link=alert_link(alert),
            )
    except IntegrityError:  # another run raised it at the same moment
        return None
    return alert


def alert_recipients(village: Village):
    """The leaders of the place: the township's leaders and the county office."""
    return get_user_model().objects.filter(
        Q(staff__role=Staff.Role.TOWNSHIP_LEADER, staff__township_id=village.township_id)
        | Q(staff__role=Staff.Role.COUNTY_OFFICE, staff__county_id=village.county_id),
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
    """The hotspot map framed on the village, the category and the window."""
    query = {
        "level": "village",
        "code": alert.village.code,
        "category": alert.category.code,
        "days": (alert.window_end - alert.window_start).days + 1,
    }
    return f"{reverse('map-hotspots')}?{urlencode(query)}"
