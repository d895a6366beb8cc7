"""The case page's part for joint-meeting decisions on the case page (disputes.meetings).

Like every part of the case page (disputes.desk.actions): ACTIONS it may offer,
SERVICES they call (form values as keywords), `offered` names those open to the
user now, `page_context` adds what its template partial shows.

The meetings that discussed the case are listed with their decisions about it;
a decision is marked done on its own page (disputes.meetings), whose form the
partial shows inline for those who may, coming back to the case.
"""

from disputes.desk.action_spec import Action
from disputes.meetings import policies
from disputes.meetings.selectors import case_meetings

ACTIONS: tuple[Action, ...] = ()
SERVICES: dict = {}


def offered(user, case) -> set[str]:
    return set()


def form_kwargs(user, case, name: str) -> dict:
    return {}


def page_context(user, case) -> dict:
    rows = case_meetings(case=case)
    for row in rows:
        for decision in row["decisions"]:
            decision.may_mark_done = policies.may_mark_done(user, decision)
    return {"case_meetings": rows, "meetings_open": policies.may_see_meetings(user)}
