"""访调诉: referring a case out of the administrative channel, and recording what comes back.

A case in handling is referred to arbitration, a court, administrative review or
the procuratorate by whoever holds it or leads over its unit. While the result is
awaited the case is `referred` and has no time limit: the petition clock stops, so
supervision leaves it alone and it is never overdue. When the result comes back,
either the matter was settled there (the case is resolved with the outcome
`referred`, and its return visit is due as after any resolution) or it comes back
to the administrative channel (arbitration declined, a court sent it back) with a
fresh handling time limit from the day of the result.

Each step locks the case's row first (disputes.cases.services.lifecycle.locked),
then checks, then changes the case and its Referral and appends one event.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.cases import policies
from disputes.cases.deadlines import HANDLING_DAYS
from disputes.cases.models import Case, CaseEvent
from disputes.cases.services.events import event_record
from disputes.cases.services.lifecycle import (
    DEADLINE_FIELDS,
    HANDLING,
    clear_deadline,
    locked,
    propose_team_after_commit,
    require_status,
    set_deadline,
)
from disputes.cases.signals import case_resolved
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.referrals.models import Referral

S = Case.Status
BODY_NAME_MAX = 100
REFERENCE_MAX = 60
TEXT_MAX = 2000


class Back:
    """Where a case goes when its referral's result comes back."""

    RESOLVED = "resolved"  # settled there: the case is resolved, outcome `referred`
    HANDLING = "handling"  # back to the administrative channel, with a fresh time limit
    CHOICES = (RESOLVED, HANDLING)


# --- who may do what now (shared with the desk, which offers only what passes) -------------


def _require_holder_or_leader(actor, case: Case) -> None:
    if not (policies.holds(actor, case) or policies.leads_over(actor, case)):
        raise NotAllowed(
            _(
                "Only those who hold this case, or the township or county leading over it, may do this."
            )
        )


def check_refer(actor, case: Case) -> None:
    """Referring: a case in handling, by its holder or a township/county leader over it."""
    require_status(case, HANDLING)
    _require_holder_or_leader(actor, case)


def check_referral_open(actor, case: Case) -> None:
    """Recording the reference or the result: a referred case, by its holder or a leader over it."""
    require_status(case, [S.REFERRED])
    _require_holder_or_leader(actor, case)


# --- input bounds ---------------------------------------------------------------------------


def _text(field: str, value: str, *, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise CaseInputError(field, _("This field is required."))
    if len(value) > limit:
        raise CaseInputError(field, _("Write at most %(limit)d characters.") % {"limit": limit})
    return value


def _past_day(field: str, day, *, not_before: datetime.date, before_message: str):
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise CaseInputError(field, _("Enter a valid date."))
    if day > timezone.localdate():
        raise CaseInputError(field, _("The day cannot be in the future."))
    if day < not_before:
        raise CaseInputError(field, before_message)
    return day


def _summary(referral: Referral) -> str:
    """The referral in one line for the timeline: the kind of body, its name, their reference."""
    parts = [str(referral.get_body_display()), referral.body_name]
    if referral.reference:
        parts.append(_("reference %(reference)s") % {"reference": referral.reference})
    return " · ".join(parts)


# --- the steps ------------------------------------------------------------------------------


@transaction.atomic
def referral_refer(
    *,
    case_id: int,
    actor,
    body: str,
    body_name: str,
    referred_on: datetime.date,
    reference: str = "",
    note: str = "",
    reply: str = "",
) -> Referral:
    """Refer the case to `body` (a Referral.Body) named `body_name` on `referred_on`.

    The case becomes `referred` and its time limit is cleared. `note` stays
    internal; `reply` tells the complainant where the matter went (the desk
    requires it). CaseInputError names the input that is out of bounds.
    """
    case = locked(case_id)
    check_refer(actor, case)
    if body not in Referral.Body.values:
        raise CaseInputError("body", _("Choose where the case is referred to."))
    body_name = _text("body_name", body_name, limit=BODY_NAME_MAX, required=True)
    reference = _text("reference", reference, limit=REFERENCE_MAX, required=False)
    note = _text("note", note, limit=TEXT_MAX, required=False)
    reply = _text("reply", reply, limit=TEXT_MAX, required=False)
    _past_day(
        "referred_on",
        referred_on,
        not_before=timezone.localdate(case.reported_at),
        before_message=_("A case cannot be referred before it was reported."),
    )
    before = case.status
    case.status = S.REFERRED
    clear_deadline(case)  # the petition clock stops while the body decides
    case.save(update_fields=["status", *DEADLINE_FIELDS])
    referral = Referral.objects.create(
        case=case,
        county_id=case.county_id,
        body=body,
        body_name=body_name,
        referred_on=referred_on,
        reference=reference,
        referred_by=actor,
    )
    timeline = _summary(referral) + (f"\n{note}" if note else "")
    event_record(
        case,
        actor,
        CaseEvent.Action.REFER,
        timeline,
        from_status=before,
        reply=reply,
        on_date=referred_on,
    )
    return referral


def _locked_open_referral(referral_id: int) -> tuple[Case, Referral]:
    """The referral's case, locked, and the referral re-read under that lock."""
    case_id = Referral.objects.filter(pk=referral_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Referral.DoesNotExist
    case = locked(case_id)
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    return case, referral


def _require_awaiting(referral: Referral) -> None:
    if referral.result_on is not None:
        raise TransitionRefused(_("The result of this referral has been recorded already."))


@transaction.atomic
def referral_reference_set(*, referral_id: int, actor, reference: str) -> Referral:
    """The reference the receiving body gave the matter, when it arrives after the referral."""
    case, referral = _locked_open_referral(referral_id)
    check_referral_open(actor, case)
    _require_awaiting(referral)
    reference = _text("reference", reference, limit=REFERENCE_MAX, required=True)
    referral.reference = reference
    referral.save(update_fields=["reference"])
    event_record(
        case,
        actor,
        CaseEvent.Action.NOTE,
        _("Reference given by %(body)s: %(reference)s")
        % {"body": referral.body_name, "reference": reference},
    )
    return referral


@transaction.atomic
def referral_result(
    *,
    referral_id: int,
    actor,
    result: str,
    result_on: datetime.date,
    outcome_back: str = Back.RESOLVED,
    reply: str = "",
) -> Referral:
    """Record what the receiving body decided on `result_on`.

    `outcome_back` is Back.RESOLVED when the matter was settled there (the case is
    resolved with the outcome `referred`; no clock ran, so it is neither on time nor
    late; its return visit is due as after any resolution), or Back.HANDLING when it
    comes back to the administrative channel (in handling again, with a fresh
    handling time limit counted from `result_on`). `reply` tells the complainant.
    """
    case, referral = _locked_open_referral(referral_id)
    check_referral_open(actor, case)
    _require_awaiting(referral)
    if outcome_back not in Back.CHOICES:
        raise CaseInputError("outcome_back", _("Choose whether the matter was settled there."))
    result = _text("result", result, limit=TEXT_MAX, required=True)
    reply = _text("reply", reply, limit=TEXT_MAX, required=False)
    _past_day(
        "result_on",
        result_on,
        not_before=referral.referred_on,
        before_message=_("The result cannot come before the case was referred (%(day)s).")
        % {"day": referral.referred_on.isoformat()},
    )
    referral.result, referral.result_on, referral.result_by = result, result_on, actor
    referral.save(update_fields=["result", "result_on", "result_by"])

    before = case.status
    today = timezone.localdate()
    if outcome_back == Back.RESOLVED:
        case.status, case.outcome, case.resolved_at = (
            S.RESOLVED,
            Case.Outcome.REFERRED,
            timezone.now(),
        )
        case.resolved_on_time = None
        set_deadline(case, Case.DeadlineKind.FOLLOW_UP, today, settings.CASE_FOLLOW_UP_DAYS)
        fields = ["status", "outcome", "resolved_at", "resolved_on_time", *DEADLINE_FIELDS]
    else:
        case.status = S.IN_HANDLING
        set_deadline(case, Case.DeadlineKind.HANDLING, result_on, HANDLING_DAYS)
        fields = ["status", *DEADLINE_FIELDS]
    case.save(update_fields=fields)
    event_record(
        case,
        actor,
        CaseEvent.Action.REFER_DONE,
        f"{referral.body_name}: {result}",
        from_status=before,
        reply=reply,
        on_date=result_on,
    )
    if outcome_back == Back.RESOLVED:
        case_resolved.send(sender=Case, case=case)  # its team gets room again (disputes.teams)
    elif case.team_id is None:
        propose_team_after_commit(case.pk)
    return referral
