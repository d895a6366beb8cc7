"""Background exports of cases: queued by a user, written by a task, kept EXPORT_KEEP_DAYS.

The rows and the file formats are disputes.reporting.services.export_files.
"""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disputes.core import areas
from disputes.core.errors import NotAllowed
from disputes.core.outbox import task_after_commit
from disputes.reporting.models import Export, JobStatus
from disputes.reporting.services.export_files import (
    ExportFiltersInvalid,
    case_export_queryset,
    export_filename,
    export_write,
)

logger = logging.getLogger(__name__)


def _stored_params(params: QueryDict) -> dict[str, list[str]]:
    return {key: values for key, values in params.lists() if key != "format"}


def _params_of(export: Export) -> QueryDict:
    params = QueryDict(mutable=True)
    for key, values in export.filters.get("params", {}).items():
        params.setlist(key, values)
    return params


def export_queue(*, user, file_format: str, params: QueryDict, total: int) -> Export:
    """Record a background export of the cases these parameters select and queue its task.

    The parameters must have passed case_export_queryset; the task starts after commit.
    """
    staff = areas.staff_of(user)
    county_id = staff.county_id if staff else None
    if county_id is None:  # a region's export is filed under its first county
        county_id = areas.user_counties(user).values_list("pk", flat=True).first()
    if county_id is None:
        raise NotAllowed(_("There is no county in your area to export from."))
    export = Export.objects.create(
        user=user,
        county_id=county_id,
        format=file_format,
        filters={"params": _stored_params(params), "language": translation.get_language()},
        total=total,
    )

    task_after_commit("disputes.tasks.export_run", export.pk)
    return export


def export_run(*, export_id: int) -> Export:
    """Write the file of a queued export to storage, saying how far it is; done or failed.

    Runs outside a transaction, so that `written` is seen while it runs. Safe to
    run again: a finished export is left as it is, an interrupted one starts over.
    """
    export = Export.objects.select_related("user").get(pk=export_id)
    if export.status in (JobStatus.DONE, JobStatus.FAILED):
        return export
    language = export.filters.get("language") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            cases = case_export_queryset(user=export.user, params=_params_of(export))
            total = cases.count()
            Export.objects.filter(pk=export.pk).update(
                status=JobStatus.RUNNING, total=total, written=0, error=""
            )

            def progress(written):
                Export.objects.filter(pk=export.pk).update(written=written)

            with tempfile.TemporaryFile() as out:
                export_write(cases, export.format, out, progress)
                out.seek(0)
                export.file.save(export_filename(export.format), File(out), save=False)
        except Exception as error:
            logger.exception("export %s failed", export.pk)
            if isinstance(error, ExportFiltersInvalid):
                message = _("The filters of this export are no longer valid: %(errors)s")
            else:
                message = _("The export could not be written: %(errors)s")
            Export.objects.filter(pk=export.pk).update(
                status=JobStatus.FAILED,
                error=message % {"errors": error},
                finished_at=timezone.now(),
            )
            export.refresh_from_db()
            return export
    Export.objects.filter(pk=export.pk).update(
        status=JobStatus.DONE, file=export.file.name, finished_at=timezone.now()
    )
    export.refresh_from_db()
    return export


def export_progress(export: Export) -> int:
    """How far an export is, in percent."""
    if export.status == JobStatus.DONE:
        return 100
    return min(100, export.written * 100 // export.total) if export.total else 0


def exports_expire(*, now=None) -> int:
    """Forget exports older than EXPORT_KEEP_DAYS, with their files; how many.

    Beat runs it daily. The files are deleted once the rows are gone for good
    (after commit), so a failure leaves a file, never a row without its file.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXPORT_KEEP_DAYS)
    with transaction.atomic():
        old = list(Export.objects.select_for_update(skip_locked=True).filter(created_at__lt=cutoff))
        files = [(export.file.storage, export.file.name) for export in old if export.file]
        Export.objects.filter(pk__in=[export.pk for export in old]).delete()

        def _delete_files():
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(_delete_files)
    return len(old)
