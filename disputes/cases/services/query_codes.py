"""Issuing the complainant's query code (disputes.cases.query_codes holds the code itself)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disputes.cases import policies
from disputes.cases.models import Case, CaseEvent
from disputes.cases.query_codes import query_code_hash, query_code_new
from disputes.cases.services.events import event_record
from disputes.core.errors import NotAllowed
from disputes.core.notes import system_note


@transaction.atomic
def query_code_issue(*, case_id: int, actor) -> str:
    """A new query code for the case's complainant; returns it, keeps only its hash.

    Give the code once (the receipt); it is not stored. A code issued for a case
    that had one replaces it: the earlier code stops working, and the timeline
    says so. Allowed for the reporter and those at or above the level holding it.
    """
    case = Case.objects.select_for_update().get(pk=case_id)
    if not (
        case.reporter_id == actor.pk
        or policies.holds(actor, case)
        or policies.acts_above(actor, case)
    ):
        raise NotAllowed(_("Only the registering desk or those handling the case may do this."))
    replaced = bool(case.query_code_hash)
    code = query_code_new()
    case.query_code_hash = query_code_hash(code)
    case.save(update_fields=["query_code_hash"])
    if replaced:
        event_record(
            case,
            actor,
            CaseEvent.Action.NOTE,
            system_note(
                gettext_noop("A new query code was given; the earlier one no longer works.")
            ),
        )
    return code
