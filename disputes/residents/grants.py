"""Which cases a resident's session may open: those whose query code it typed (or that
it reported) in the last GRANT_SECONDS. The cases of a confirmed mobile number come
from disputes.residents.phone_codes. A case id alone never opens anything."""

import time

SESSION_KEY = "residents:cases"
GRANT_SECONDS = 30 * 60
MAX_GRANTS = 20


def case_grant(session, case_id: int) -> None:
    now = time.time()
    grants = {key: until for key, until in session.get(SESSION_KEY, {}).items() if until > now}
    grants[str(case_id)] = now + GRANT_SECONDS
    # Only the latest few: a session is one resident, not a collection of codes.
    session[SESSION_KEY] = dict(sorted(grants.items(), key=lambda kv: kv[1])[-MAX_GRANTS:])


def case_granted(session, case_id: int) -> bool:
    return session.get(SESSION_KEY, {}).get(str(case_id), 0) > time.time()
