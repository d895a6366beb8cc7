"""The case page's part for reception days and appointments (约访) (disputes.reception).

Like every part of the case page (disputes.desk.actions): ACTIONS it may offer,
SERVICES they call (form values as keywords), `offered` names those open to the
user now, `page_context` adds what its template partial shows.

Booking, moving and cancelling post to the reception pages (their own forms in the
partial) and come back to the case; a visit is registered on the session's page.
"""

from disputes.desk.action_spec import Action
from disputes.reception import policies
from disputes.reception.selectors import (
    bookable_sessions,
    case_appointments,
    case_visits,
    visit_sessions,
)

ACTIONS: tuple[Action, ...] = ()
SERVICES: dict = {}


def offered(user, case) -> set[str]:
    return set()


def form_kwargs(user, case, name: str) -> dict:
    return {}


def page_context(user, case) -> dict:
    keeper = policies.may_keep(user)
    return {
        "reception_keeper": keeper,
        "reception_appointments": case_appointments(case=case),
        "reception_visits": case_visits(case=case),
        "reception_bookable": bookable_sessions(user=user, case=case) if keeper else [],
        "reception_may_book": keeper and policies.may_book(user, case),
        "reception_visit_sessions": visit_sessions(user=user, case=case) if keeper else [],
    }
