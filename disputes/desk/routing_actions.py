"""The case page's part for 转办 to departments and co-handling (disputes.departments).

Like every part of the case page (disputes.desk.actions): ACTIONS it may offer,
SERVICES they call (form values as keywords), `offered` names those open to the
user now, `page_context` adds what its template partial shows. `form_kwargs`
gives the route and withdraw forms their choices for this case and user.
"""

from datetime import timedelta

from django import forms
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case
from disputes.core.errors import NotAllowed, TransitionRefused
from disputes.departments.models import Routing
from disputes.departments.selectors import routing as selectors
from disputes.departments.services import routing as services
from disputes.desk.action_spec import Action
from disputes.desk.forms import ActionForm, _text

# The reply-by date offered first: a month, well within the 60-day handling limit.
REPLY_BY_DEFAULT_DAYS = 30


def _department_label(row) -> str:
    label = _("%(name)s · %(open)d open, %(overdue)d overdue") % {
        "name": row["department"].name,
        "open": row["open"],
        "overdue": row["overdue"],
    }
    return f"★ {label} ({_('suggested')})" if row["suggested"] else str(label)


class RouteForm(ActionForm):
    department = forms.TypedChoiceField(label=_("Lead department (主办)"), coerce=int, choices=[])
    reply_by = forms.DateField(
        label=_("Reply by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    instructions = _text(_("Instructions"), required=False)
    assist = forms.TypedMultipleChoiceField(
        label=_("Co-handling departments (协办)"),
        coerce=int,
        choices=[],
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(row["department"].pk, _department_label(row)) for row in candidates]
        self.fields["department"].choices = choices
        self.fields["assist"].choices = [
            (row["department"].pk, row["department"].name) for row in candidates
        ]
        self.fields["reply_by"].initial = timezone.localdate() + timedelta(
            days=REPLY_BY_DEFAULT_DAYS
        )

    def clean(self):
        cleaned = super().clean()
        lead, assists = cleaned.get("department"), cleaned.get("assist") or []
        if lead is not None and lead in assists:
            self.add_error("assist", _("The lead department cannot also be co-handling."))
        return cleaned


class RouteReasonForm(ActionForm):
    reason = _text(_("Reason"))


class AssistReplyForm(ActionForm):
    reply = _text(_("Co-handling reply (协办意见)"), max_length=5000)
    reply.help_text = _("Internal: the lead department and the routing unit read it.")


class WithdrawForm(ActionForm):
    routing = forms.TypedChoiceField(label=_("Routing"), coerce=int, choices=[])
    reason = _text(_("Reason"))

    def __init__(self, *args, slips=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["routing"].choices = [
            (slip.pk, f"{slip.department.name} · {slip.get_role_display()}") for slip in slips
        ]


ACTIONS: tuple[Action, ...] = (
    Action("route", _("Route to a department (转办)"), RouteForm),
    Action("route_accept", _("Accept the routing"), ActionForm),
    Action("route_return", _("Return the routing (退回)"), RouteReasonForm, danger=True),
    Action("assist_reply", _("Send the co-handling reply"), AssistReplyForm),
    Action("route_withdraw", _("Withdraw a routing"), WithdrawForm, danger=True),
)


def _own_slip_id(actor, case_id: int) -> int:
    # The slip is read by the case's county, like every read of a case's rows.
    case = Case.objects.only("pk", "county_id").get(pk=case_id)
    slip = selectors.open_slip_of(user=actor, case=case)
    if slip is None:
        raise NotAllowed(_("Your department has no open routing of this case."))
    return slip.pk


def _withdraw(case_id, actor, routing, reason):
    if not Routing.objects.filter(pk=routing, case_id=case_id).exists():
        raise Http404
    return services.routing_withdraw(routing_id=routing, actor=actor, reason=reason)


SERVICES: dict = {
    "route": lambda case_id, actor, department, reply_by, instructions, assist: (
        services.routing_route(
            case_id=case_id,
            actor=actor,
            department_id=department,
            reply_by=reply_by,
            instructions=instructions,
            assist_ids=assist,
        )
    ),
    "route_accept": lambda case_id, actor: services.routing_accept(
        routing_id=_own_slip_id(actor, case_id), actor=actor
    ),
    "route_return": lambda case_id, actor, reason: services.routing_return(
        routing_id=_own_slip_id(actor, case_id), actor=actor, reason=reason
    ),
    "assist_reply": lambda case_id, actor, reply: services.routing_assist_reply(
        routing_id=_own_slip_id(actor, case_id), actor=actor, reply=reply
    ),
    "route_withdraw": _withdraw,
}


def _passes(check, *args) -> bool:
    try:
        check(*args)
    except (NotAllowed, TransitionRefused):
        return False
    return True


def _withdrawable(user, case) -> list[Routing]:
    slips = selectors.open_slips(case=case)
    for slip in slips:
        slip.case = case
    return [slip for slip in slips if _passes(services.check_withdraw, user, slip)]


def offered(user, case) -> set[str]:
    names = set()
    if (
        _passes(services.check_route, user, case)
        and selectors.departments_routable(user=user, case=case).exists()
    ):
        names.add("route")
    slip = selectors.open_slip_of(user=user, case=case)
    if slip is not None:
        slip.case = case
        for name, check in (
            ("route_accept", services.check_accept),
            ("route_return", services.check_return),
            ("assist_reply", services.check_assist_reply),
        ):
            if _passes(check, user, slip):
                names.add(name)
    if case.routings.filter(
        county_id=case.county_id, status__in=Routing.OPEN_STATUSES
    ).exists() and _withdrawable(user, case):
        names.add("route_withdraw")
    return names


def form_kwargs(user, case, name: str) -> dict:
    if name == "route":
        return {"candidates": selectors.routing_candidates(user=user, case=case)}
    if name == "route_withdraw":
        return {"slips": _withdrawable(user, case)}
    return {}


def page_context(user, case) -> dict:
    return {"routings": selectors.case_routings(case=case)}
