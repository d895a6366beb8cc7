"""Setting the county's yearly assessment targets (考核指标)."""

from django.db import transaction
from django.utils.translation import gettext as _

from disputes.core.errors import CaseInputError
from disputes.reporting.models import AssessmentTarget
from disputes.reporting.selectors.assessment import measures_for


@transaction.atomic
def targets_save(*, county, year: int, kind: str, values: dict, actor) -> int:
    """Store the targets of one kind of unit for a year: {measure: fraction}; how many stored.

    Rates are from 0 to 1; the change of cases on last year from -1 to 1.
    A bad value stores nothing (CaseInputError naming the measure).
    """
    measures = {m.key: m for m in measures_for(kind)}
    for key, value in values.items():
        if key not in measures:
            raise CaseInputError(key, _("No such measure for these units."))
        low = -1.0 if key == "cases_change" else 0.0
        if value is None or not low <= value <= 1.0:
            raise CaseInputError(
                key,
                _("%(measure)s: give a target from %(low)d %% to 100 %%.")
                % {"measure": measures[key].label, "low": int(low * 100)},
            )
    for key, value in values.items():
        AssessmentTarget.objects.update_or_create(
            county=county,
            year=year,
            unit_kind=kind,
            measure=key,
            defaults={"value": value, "set_by": actor},
        )
    return len(values)
