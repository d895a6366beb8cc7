"""The rows every write of reception days locks first: the session (its free slots), the case
(its timeline), each only within the actor's area."""

from django.utils.translation import gettext as _

from disputes.cases import policies as case_policies
from disputes.cases.models import Case
from disputes.core.errors import CaseInputError, NotAllowed
from disputes.reception import policies
from disputes.reception.models import ReceptionSession


def session_locked(actor, session_id: int) -> ReceptionSession:
    session = (
        ReceptionSession.objects.select_for_update(of=("self",))
        .filter(policies.session_area_q(actor), pk=session_id)
        .first()
    )
    if session is None:
        raise NotAllowed(_("This reception day is not one of your unit's."))
    return session


def case_locked(actor, case_id: int) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .filter(case_policies.case_scope_q(actor), pk=case_id)
        .first()
    )
    if case is None:
        raise CaseInputError("case", _("No case #%(case)s in your area.") % {"case": case_id})
    return case
