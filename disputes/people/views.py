"""The county office's people pages under /desk/people/: thin, the services decide."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from disputes.people import selectors
from disputes.people.forms import StaffForm, StaffSearch
from disputes.people.policies import people_county_or_404
from disputes.people.services import staff as services
from villages.models import Staff

PAGE_SIZE = 50


def _errors_into(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _initial_from(query) -> dict:
    """A link may preset the role and department of a new person (the departments' page does)."""
    initial = {}
    if query.get("role", "") in Staff.Role.values:
        initial["role"] = query["role"]
    department = query.get("department", "")
    if department.isdigit() and len(department) < 10:
        initial["department"] = int(department)
    return initial


def _passwords_page(request, county, rows, *, status=200):
    return render(
        request,
        "disputes/people/passwords.html",
        {"county": county, "rows": rows},
        status=status,
    )


@require_http_methods(["GET"])
@login_required
def staff_list_page(request):
    county = people_county_or_404(request.user)
    search = StaffSearch(request.GET)
    valid = search.is_valid()
    data = search.cleaned_data if valid else {}
    rows = selectors.staff_list(
        county=county,
        text=data.get("q", "").strip(),
        role=data.get("role", ""),
        active=data.get("active", ""),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "disputes/people/list.html",
        {
            "county": county,
            "page": page,
            "query": {key: request.GET.get(key, "") for key in ("q", "role", "active")},
            "roles": Staff.Role.choices,
            "page_query": kept.urlencode(),
            "errors": [m for ms in search.errors.values() for m in ms],
        },
        status=200 if valid else 400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def staff_create_page(request):
    county = people_county_or_404(request.user)
    form = StaffForm(request.POST or None, county=county, initial=_initial_from(request.GET))
    if request.method == "POST" and form.is_valid():
        try:
            staff, password = services.staff_create(county=county, data=form.staff_input())
        except ValidationError as error:
            _errors_into(form, error)
        else:
            return _passwords_page(request, county, [(staff, password)], status=201)
    return render(
        request,
        "disputes/people/form.html",
        {"county": county, "form": form, "staff": None},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def staff_edit_page(request, staff_id):
    county = people_county_or_404(request.user)
    staff = selectors.staff_managed(county=county, staff_id=staff_id)
    form = StaffForm(
        request.POST or None,
        county=county,
        creating=False,
        initial=StaffForm.initial_of(staff),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(county=county, staff=staff, data=form.staff_input())
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": staff.user.first_name})
            return redirect("people")
    return render(
        request,
        "disputes/people/form.html",
        {"county": county, "form": form, "staff": staff},
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def staff_deactivate_page(request, staff_id):
    county = people_county_or_404(request.user)
    staff = selectors.staff_managed(county=county, staff_id=staff_id)
    services.staff_deactivate(county=county, staff=staff)
    messages.success(
        request,
        _("%(name)s can no longer log in.") % {"name": staff.user.first_name or staff.user},
    )
    return redirect("people")


@never_cache
@require_POST
@login_required
def staff_password_page(request, staff_id):
    county = people_county_or_404(request.user)
    staff = selectors.staff_managed(county=county, staff_id=staff_id)
    password = services.staff_password_reset(county=county, staff=staff)
    return _passwords_page(request, county, [(staff, password)])


class PasswordChangePage(auth_views.PasswordChangeView):
    """`/password/`: choose a new password; where a temporary one sends its user first."""

    template_name = "disputes/people/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        messages.success(self.request, _("Your password is changed."))
        return response
