"""The case page's part for 转办 to departments and co-handling (disputes.departments).

Like every part of the case page (disputes.desk.actions): ACTIONS it may offer,
SERVICES they call (form values as keywords), `offered` names those open to the
user now, `page_context` adds what its template partial shows.
"""

from disputes.desk.action_spec import Action

ACTIONS: tuple[Action, ...] = ()
SERVICES: dict = {}


def offered(user, case) -> set[str]:
    return set()


def page_context(user, case) -> dict:
    return {}
