"""The departments' pages under /desk/departments/: the list, a department's form, the category map."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from disputes.departments.forms import CategoryMapForm, DepartmentForm
from disputes.departments.selectors import directory as selectors
from disputes.departments.services import directory as services


def _errors_into(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_http_methods(["GET"])
@login_required
def department_list_page(request):
    area = selectors.department_area_or_404(request.user)
    return render(
        request,
        "departments/list.html",
        {"area": area, "departments": selectors.department_list(area=area)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def department_create_page(request):
    area = selectors.department_area_or_404(request.user)
    form = DepartmentForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            department = services.department_create(
                county=area.county,
                name=data["name"],
                code=data["code"],
                township=data["township"],
                only=area.township,
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Added %(name)s.") % {"name": department.name})
            return redirect("departments")
    return render(
        request,
        "departments/form.html",
        {"area": area, "form": form, "department": None},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def department_edit_page(request, department_id):
    area = selectors.department_area_or_404(request.user)
    department = selectors.department_managed(area=area, department_id=department_id)
    form = DepartmentForm(
        request.POST or None,
        area=area,
        creating=False,
        initial=DepartmentForm.initial_of(department),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was_active = department.active
        try:
            department = services.department_update(
                county=area.county,
                department=department,
                name=data["name"],
                code=data["code"],
                township=data["township"],
                active=data["active"],
                only=area.township,
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            if was_active and not department.active:
                still_open = selectors.department_open_routings(department)
                messages.success(
                    request,
                    ngettext(
                        "%(name)s is inactive: it is no longer offered for routing; "
                        "its %(n)d open routing stays with it.",
                        "%(name)s is inactive: it is no longer offered for routing; "
                        "its %(n)d open routings stay with it.",
                        still_open,
                    )
                    % {"name": department.name, "n": still_open},
                )
            else:
                messages.success(request, _("Saved %(name)s.") % {"name": department.name})
            return redirect("departments")
    return render(
        request,
        "departments/form.html",
        {
            "area": area,
            "form": form,
            "department": department,
            "staff": selectors.department_staff(department),
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def category_map_page(request):
    area = selectors.department_area_or_404(request.user)
    if not area.edits_category_map:
        raise Http404
    form = CategoryMapForm(
        request.POST or None, county=area.county, current=selectors.category_map(area.county)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.category_map_save(county=area.county, routes=form.routes())
        except ValidationError as error:
            for code, errors in error.message_dict.items():
                field = f"category-{code}"
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The category map is saved."))
            return redirect("departments")
    return render(
        request,
        "departments/categories.html",
        {"area": area, "form": form},
        status=400 if form.is_bound else 200,
    )
