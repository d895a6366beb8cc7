"""The area's referrals (访调诉): by kind of body and result over a period, and those whose
result is still awaited. Thin: the selectors read, scoped to the user's area."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from disputes.core.areas import staff_of
from disputes.referrals.selectors.referrals import referral_tally, referrals_awaiting

EARLIEST = datetime.date(2000, 1, 1)
LONGEST_PERIOD_DAYS = 3661  # ten years


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        values = super().clean()
        today = timezone.localdate()
        start = values.get("start") or today.replace(month=1, day=1)
        end = values.get("end") or today
        if start < EARLIEST or end < EARLIEST:
            raise forms.ValidationError(_("Choose days from the year 2000 on."))
        if end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if (end - start).days > LONGEST_PERIOD_DAYS:
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        values["start"], values["end"] = start, end
        return values


@require_GET
@login_required
def referrals_page(request):
    if not (request.user.is_superuser or staff_of(request.user) is not None):
        raise Http404
    today = timezone.localdate()
    period = request.GET.copy()
    if not period.get("start"):
        period["start"] = today.replace(month=1, day=1).isoformat()
    if not period.get("end"):
        period["end"] = today.isoformat()
    form = PeriodForm(period)
    status = 200
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        tally = referral_tally(user=request.user, start=start, end=end)
    else:
        start = end = None
        tally, status = [], 400
    awaiting = [
        {"referral": referral, "days": (today - referral.referred_on).days}
        for referral in referrals_awaiting(user=request.user)
    ]
    return render(
        request,
        "desk/referrals.html",
        {"form": form, "start": start, "end": end, "tally": tally, "awaiting": awaiting},
        status=status,
    )
