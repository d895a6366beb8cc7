"""Which actions the case page offers a user now, in the order of the loop, with their forms.

What a user may do is decided by the services' own checks (the lifecycle's
`actions_open_to`, the leaders' and the team's rules); the page offers only
those, and the service checks again when the form is sent.
"""

from django.utils.translation import gettext_lazy as _

from disputes.cases import policies
from disputes.cases.services.actions import actions_open_to
from disputes.cases.services.lifecycle import HANDLING
from disputes.desk import (
    forms,
    leader_actions,
    meeting_actions,
    reception_actions,
    referral_actions,
    routing_actions,
)
from disputes.desk.action_spec import Action
from disputes.oversight.selectors.supervision import SUPERVISED

# The case page's parts for departments, referrals, 包案, joint meetings and reception
# days (约访): each
# brings its own actions, services and context (see routing_actions).
PARTS = (routing_actions, referral_actions, leader_actions, meeting_actions, reception_actions)

ACTIONS = (
    Action("accept", _("Accept"), forms.AcceptForm),
    Action("reject", _("Do not accept"), forms.RejectForm, danger=True),
    Action("assign", _("Assign a team"), forms.AssignForm),
    Action("session", _("Record a mediation session"), forms.SessionForm),
    Action("hand_back", _("Hand back as settled"), forms.NoteForm),
    Action("resolve", _("Resolve"), forms.ResolveForm),
    Action("extend", _("Extend the time limit"), forms.ExtendForm),
    Action("escalate", _("Escalate"), forms.ReasonForm),
    Action("supervise", _("Issue a supervision notice"), forms.RequiredNoteForm),
    Action("follow_up", _("Record the return visit"), forms.FollowUpForm),
    Action("reopen", _("Reopen for review (复查)"), forms.ReasonForm),
    Action("close", _("Close"), forms.NoteForm),
    *(action for part in PARTS for action in part.ACTIONS),
    Action("reply", _("Reply to the complainant"), forms.ReplyForm),
    Action("note", _("Add a note"), forms.RequiredNoteForm),
    Action("attach", _("Attach a file"), forms.AttachForm),
)
BY_NAME = {action.name: action for action in ACTIONS}


def actions_for(user, case) -> list[Action]:
    """The actions `user` may take on `case` as it is now."""
    names = actions_open_to(user, case)
    leads = policies.leads_over(user, case)
    team = policies.team_member_of_case(user, case)
    if leads and case.status in HANDLING:
        names.add("assign")
    if leads and case.status in SUPERVISED and case.due_date is not None:
        names.add("supervise")
    if team and case.status in HANDLING:
        names.add("session")
    for part in PARTS:
        names |= part.offered(user, case)
    if case.status not in ("closed", "not_accepted") and (
        case.reporter_id == user.pk or policies.holds(user, case) or team
    ):
        names.add("attach")
    return [action for action in ACTIONS if action.name in names]


def parts_form_kwargs(user, case, name: str) -> dict:
    """What a part's action form needs to be built for this case and user (its choices)."""
    kwargs = {}
    for part in PARTS:
        kwargs.update(part.form_kwargs(user, case, name))
    return kwargs


def parts_context(user, case) -> dict:
    """What the parts' template partials show on the case page."""
    context = {}
    for part in PARTS:
        context.update(part.page_context(user, case))
    return context
