"""Which changes a user may make to a case now: each change's own check, asked in turn.

The desk's case page and the API's `actions` offer only these; the service
checks again when the change is sent.
"""

from disputes.cases.models import Case
from disputes.cases.services import lifecycle, remarks
from disputes.core.errors import NotAllowed, TransitionRefused

CHECKS = {
    "accept": lifecycle.check_accept,
    "reject": lifecycle.check_accept,
    "escalate": lifecycle.check_escalate,
    "resolve": lifecycle.check_resolve,
    "follow_up": lifecycle.check_follow_up,
    "reopen": lifecycle.check_reopen,
    "extend": lifecycle.check_extend,
    "close": lifecycle.check_close,
    "note": remarks.check_note,
    "reply": remarks.check_reply,
    "hand_back": remarks.check_hand_back,
}


def actions_open_to(actor, case: Case) -> set[str]:
    """The changes `actor` may make to `case` as it is now."""
    return {name for name, check in CHECKS.items() if _passes(check, actor, case)}


def _passes(check, actor, case) -> bool:
    try:
        check(actor, case)
    except (NotAllowed, TransitionRefused):
        return False
    return True
