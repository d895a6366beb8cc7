"""Monthly bulletins (月度通报) for people: the list with "make now", a bulletin, its files."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from disputes.core.areas import user_units
from disputes.core.errors import NotAllowed
from disputes.core.private_files import private_file_response
from disputes.models import JobStatus
from disputes.selectors_bulletins import bulletin_get, bulletin_list, bulletin_units
from disputes.services import bulletins as bulletin_services
from disputes.services.bulletin_files import bulletin_context
from disputes.services.bulletin_xlsx import XLSX_TYPE


class BulletinRequestForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Unit"))
    month = forms.CharField(
        label=gettext_lazy("Month"), widget=forms.DateInput(attrs={"type": "month"})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        many = len(units) > 1
        self.fields["unit"].choices = [
            (f"{county_id}:{township_id or ''}", f"— {name}" if township_id and many else name)
            for county_id, township_id, name in units
        ]

    def clean_month(self) -> date:
        value = self.cleaned_data["month"]
        try:
            return date.fromisoformat(f"{value}-01")
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from None

    def unit_ids(self) -> tuple[int, int | None]:
        county, township = self.cleaned_data["unit"].split(":")
        return int(county), int(township) if township else None


def _frame(request) -> dict:
    """What maps/base.html shows in its bar."""
    home_level, home = user_units(request.user)
    return {"home_level": home_level, "home": home}


@require_http_methods(["GET", "POST"])
@login_required
def bulletins_page(request):
    units = bulletin_units(user=request.user)
    if not units:
        raise Http404
    last_month = bulletin_services.last_month(timezone.localdate())
    form = BulletinRequestForm(
        request.POST or None,
        units=units,
        initial={"month": last_month.strftime("%Y-%m")},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            county_id, township_id = form.unit_ids()
            try:
                bulletin_services.bulletin_request(
                    user=request.user,
                    county_id=county_id,
                    township_id=township_id,
                    month=form.cleaned_data["month"],
                )
            except NotAllowed:
                raise Http404 from None
            except bulletin_services.MonthNotAllowed as error:
                form.add_error("month", str(error))
            else:
                messages.success(request, _("The bulletin is being made; this page shows when."))
                return redirect("bulletins")
        status = 400
    items = list(bulletin_list(user=request.user)[:200])
    pending = any(b.status in (JobStatus.QUEUED, JobStatus.RUNNING) for b in items)
    return render(
        request,
        "disputes/bulletin_list.html",
        {**_frame(request), "form": form, "bulletins": items, "pending": pending},
        status=status,
    )


@require_GET
@login_required
def bulletin_page(request, bulletin_id: int):
    bulletin = bulletin_get(user=request.user, bulletin_id=bulletin_id)
    context = bulletin_context(bulletin) if bulletin.content else {"bulletin": bulletin}
    return render(request, "disputes/bulletin.html", {**_frame(request), **context})


def _download(request, bulletin_id: int, kind: str):
    bulletin = bulletin_get(user=request.user, bulletin_id=bulletin_id)
    file = getattr(bulletin, kind)
    if not file:
        raise Http404
    unit = bulletin.township or bulletin.county
    return private_file_response(
        file.open("rb"),
        filename=f"bulletin-{unit.code}-{bulletin.month:%Y-%m}.{kind}",
        content_type="application/pdf" if kind == "pdf" else XLSX_TYPE,
    )


@require_GET
@login_required
def bulletin_pdf(request, bulletin_id: int):
    return _download(request, bulletin_id, "pdf")


@require_GET
@login_required
def bulletin_xlsx(request, bulletin_id: int):
    return _download(request, bulletin_id, "xlsx")
