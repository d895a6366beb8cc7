"""The case page's part for 访调诉 referrals (disputes.referrals).

Like every part of the case page (disputes.desk.actions): ACTIONS it may offer,
SERVICES they call (form values as keywords), `offered` names those open to the
user now, `page_context` adds what its template partial shows.

The reference and the result are recorded on the case's referral that awaits
its result (a case has at most one).
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from disputes.core.errors import NotAllowed, TransitionRefused
from disputes.desk.action_spec import Action
from disputes.desk.forms import ActionForm, _reply, _text
from disputes.referrals.models import Referral
from disputes.referrals.selectors.referrals import referral_awaiting, referrals_of_case
from disputes.referrals.services import referrals as services
from disputes.referrals.services.referrals import BODY_NAME_MAX, REFERENCE_MAX, Back

EARLIEST = datetime.date(1949, 10, 1)


def _day(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


def _past(day):
    if day > timezone.localdate():
        raise forms.ValidationError(_("The day cannot be in the future."))
    if day < EARLIEST:
        raise forms.ValidationError(_("Enter a valid date."))
    return day


class ReferForm(ActionForm):
    body = forms.ChoiceField(label=_("Referred to"), choices=Referral.Body.choices)
    body_name = forms.CharField(
        label=_("Receiving body"),
        max_length=BODY_NAME_MAX,
        strip=True,
        help_text=_("For example 永修县劳动人事争议仲裁委员会 or 永修县人民法院."),
    )
    referred_on = _day(_("Referred on"))
    reference = forms.CharField(
        label=_("Their reference (if given)"), max_length=REFERENCE_MAX, required=False, strip=True
    )
    note = _text(_("Internal note"), required=False)
    reply = _reply()

    def clean_referred_on(self):
        return _past(self.cleaned_data["referred_on"])


class ReferenceForm(ActionForm):
    reference = forms.CharField(label=_("Their reference"), max_length=REFERENCE_MAX, strip=True)


class ResultForm(ActionForm):
    result = _text(_("Result"))
    result_on = _day(_("Result on"))
    outcome_back = forms.ChoiceField(
        label=_("What now"),
        choices=[
            (Back.RESOLVED, _("Settled there: the case is resolved")),
            (Back.HANDLING, _("Back to handling here, with a new time limit")),
        ],
        widget=forms.RadioSelect,
    )
    reply = _reply()

    def clean_result_on(self):
        return _past(self.cleaned_data["result_on"])


ACTIONS: tuple[Action, ...] = (
    Action("refer", _("Refer to arbitration or a court (访调诉)"), ReferForm),
    Action("referral_reference", _("Record the reference given there"), ReferenceForm),
    Action("referral_result", _("Record the result of the referral"), ResultForm),
)


def _awaiting_id(case_id: int) -> int:
    referral = referral_awaiting(case_id=case_id)
    if referral is None:
        raise TransitionRefused(gettext("This case awaits no referral's result."))
    return referral.pk


SERVICES: dict = {
    "refer": lambda case_id, actor, **values: services.referral_refer(
        case_id=case_id, actor=actor, **values
    ),
    "referral_reference": lambda case_id, actor, reference: services.referral_reference_set(
        referral_id=_awaiting_id(case_id), actor=actor, reference=reference
    ),
    "referral_result": lambda case_id, actor, **values: services.referral_result(
        referral_id=_awaiting_id(case_id), actor=actor, **values
    ),
}


def _passes(check, user, case) -> bool:
    try:
        check(user, case)
    except (NotAllowed, TransitionRefused):
        return False
    return True


def offered(user, case) -> set[str]:
    names = set()
    if _passes(services.check_refer, user, case):
        names.add("refer")
    if _passes(services.check_referral_open, user, case):
        names |= {"referral_reference", "referral_result"}
    return names


def form_kwargs(user, case, name: str) -> dict:
    return {}


def page_context(user, case) -> dict:
    return {"referrals": referrals_of_case(case=case)}
