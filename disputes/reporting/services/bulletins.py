"""Monthly bulletins (月度通报): made by beat on the 1st for last month, or on demand.

bulletin_generate() snapshots what the bulletin says (selectors.bulletins),
then writes its PDF and XLSX (bulletin_files) and only then replaces the
stored snapshot and files together: a failure marks the bulletin failed with
the error and leaves the previous snapshot and files as they were. There is
one bulletin per unit and month; making it again replaces it.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disputes.core.errors import NotAllowed
from disputes.core.outbox import task_after_commit
from disputes.reporting.models import Bulletin, JobStatus
from disputes.reporting.selectors.bulletins import bulletin_content, bulletin_units
from disputes.reporting.services.bulletin_files import bulletin_context, bulletin_pdf
from disputes.reporting.services.bulletin_xlsx import bulletin_xlsx
from villages.models import County, Township

logger = logging.getLogger(__name__)


class MonthNotAllowed(ValueError):
    pass


def _first_day(month: date) -> date:
    return month.replace(day=1)


def bulletin_generate(
    *,
    county_id: int,
    township_id: int | None = None,
    month: date,
    requested_by=None,
    language: str | None = None,
    today: date | None = None,
) -> Bulletin:
    """Make (or make again) the bulletin of a county or township for the month of `month`.

    The figures are of the cases reported in that month; the overdue list is
    as of `today`. Labels are in `language` (by default the active one).
    Returns the bulletin, done or failed; never raises for a failed rendering.
    """
    month = _first_day(month)
    today = today or timezone.localdate()
    bulletin, _created = Bulletin.objects.get_or_create(
        county_id=county_id,
        township_id=township_id,
        month=month,
        defaults={"requested_by": requested_by},
    )
    Bulletin.objects.filter(pk=bulletin.pk).update(status=JobStatus.RUNNING, error="")
    saved = []
    old_files = [bulletin.pdf.name, bulletin.xlsx.name]
    try:
        with translation.override(language or translation.get_language()):
            content = bulletin_content(
                county_id=county_id, township_id=township_id, month=month, today=today
            )
            bulletin.content, bulletin.generated_at = content, None  # no cached charts
            context = bulletin_context(bulletin)
            pdf, xlsx = bulletin_pdf(context), bulletin_xlsx(context)
        code = (bulletin.township or bulletin.county).code
        stem = f"bulletin-{code}-{month:%Y-%m}"
        bulletin.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        saved.append(bulletin.pdf.name)
        bulletin.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        saved.append(bulletin.xlsx.name)
    except Exception as error:
        logger.exception("bulletin %s failed", bulletin.pk)
        for name in saved:
            bulletin.pdf.storage.delete(name)
        Bulletin.objects.filter(pk=bulletin.pk).update(
            status=JobStatus.FAILED,
            error=_("The bulletin could not be made: %(error)s") % {"error": error},
        )
        bulletin.refresh_from_db()
        return bulletin
    fields = {
        "status": JobStatus.DONE,
        "content": content,
        "pdf": bulletin.pdf.name,
        "xlsx": bulletin.xlsx.name,
        "error": "",
        "generated_at": timezone.now(),
    }
    if requested_by is not None:
        fields["requested_by"] = requested_by
    Bulletin.objects.filter(pk=bulletin.pk).update(**fields)

    def _delete_old():
        for name in old_files:
            if name and name not in saved:
                bulletin.pdf.storage.delete(name)

    transaction.on_commit(_delete_old, robust=True)
    bulletin.refresh_from_db()
    return bulletin


def bulletin_request(*, user, county_id: int, township_id: int | None, month: date) -> Bulletin:
    """Queue a bulletin of a unit of the user's area, made by a worker in the user's language.

    Raises NotAllowed for a unit outside the user's bulletins, MonthNotAllowed
    for a month that has not begun. The bulletin keeps its previous files
    until the new ones are made.
    """
    if (county_id, township_id) not in {(c, t) for c, t, _name in bulletin_units(user=user)}:
        raise NotAllowed(_("You cannot make bulletins of this unit."))
    month = _first_day(month)
    if month > timezone.localdate():
        raise MonthNotAllowed(_("That month has not begun."))
    with transaction.atomic():
        bulletin, _created = Bulletin.objects.get_or_create(
            county_id=county_id, township_id=township_id, month=month
        )
        Bulletin.objects.filter(pk=bulletin.pk).update(
            status=JobStatus.QUEUED, error="", requested_by=user
        )
        task_after_commit(
            "disputes.tasks.bulletin_generate", bulletin.pk, translation.get_language()
        )
    bulletin.refresh_from_db()
    return bulletin


def last_month(today: date) -> date:
    return _first_day(_first_day(today) - timedelta(days=1))


def bulletins_monthly(*, today: date | None = None) -> int:
    """Last month's bulletin of every county and township that has none made yet; how many made.

    Beat runs it on the 1st; it is safe to run again (bulletins already done are kept).
    """
    today = today or timezone.localdate()
    month = last_month(today)
    done = set(
        Bulletin.objects.filter(month=month, status=JobStatus.DONE).values_list(
            "county_id", "township_id"
        )
    )
    units = [(county_id, None) for county_id in County.objects.values_list("pk", flat=True)]
    units += list(Township.objects.values_list("county_id", "pk"))
    made = 0
    for county_id, township_id in sorted(units, key=lambda u: (u[0], u[1] or 0)):
        if (county_id, township_id) in done:
            continue
        bulletin_generate(
            county_id=county_id,
            township_id=township_id,
            month=month,
            today=today,
            language=settings.LANGUAGE_CODE,
        )
        made += 1
    return made
