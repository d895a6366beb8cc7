"""The register's pages on the desk (稳评): the list, a project with its cases, register and edit."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from disputes.core.errors import CaseInputError, NotAllowed
from disputes.risks.forms import FollowUpForm, ProjectForm
from disputes.risks.models import MajorProject
from disputes.risks.policies import register_area
from disputes.risks.selectors.projects import project_cases, project_get, project_list
from disputes.risks.services import projects as services

FIELDS = services.FIELDS


def _keeper(request):
    if register_area(request.user) is None:
        raise Http404


def _project(request, project_id):
    try:
        return project_get(user=request.user, project_id=project_id)
    except MajorProject.DoesNotExist:
        raise Http404 from None


@login_required
def project_list_page(request):
    _keeper(request)
    return render(request, "risks/list.html", {"projects": project_list(user=request.user)})


@login_required
def project_page(request, project_id: int):
    _keeper(request)
    project = _project(request, project_id)
    return render(request, "risks/project.html", _page_context(project, FollowUpForm()))


def _page_context(project, follow_up_form):
    cases = project_cases(project)
    return {
        "project": project,
        "cases": cases,
        "follow_ups": project.follow_ups.select_related("by"),
        "follow_up_form": follow_up_form,
        "alerts": project.alerts.order_by("-created_at")[:10],
        "outlines": [
            {"geometry": json.loads(project.area.geojson), "kind": "project", "name": project.name}
        ],
        "basemap_url": settings.MAP_BASEMAP_URL,
        "basemap_attribution": settings.MAP_BASEMAP_ATTRIBUTION,
        "points": [
            {
                "lon": row["case"].location.x,
                "lat": row["case"].location.y,
                "label": f"#{row['case'].pk} {row['case'].category.name}",
                "id": row["case"].pk,
            }
            for row in cases
        ],
    }


@login_required
def project_new_page(request):
    _keeper(request)
    form = ProjectForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_register(
                actor=request.user,
                area=form.cleaned_data["area"],
                **{name: form.cleaned_data[name] for name in FIELDS},
            )
        except CaseInputError as error:
            form.add_error("area_text", error.message)
        except NotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Registered."))
            return redirect("desk-project", project.pk)
    status = 400 if form.errors else 200
    return render(request, "risks/form.html", {"form": form, "project": None}, status=status)


@login_required
def project_edit_page(request, project_id: int):
    _keeper(request)
    project = _project(request, project_id)
    initial = {name: getattr(project, name) for name in FIELDS}
    form = ProjectForm(
        request.POST or None, request.FILES or None, initial=initial, area_required=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                project_id=project.pk,
                actor=request.user,
                area=form.cleaned_data["area"],
                **{name: form.cleaned_data[name] for name in FIELDS},
            )
        except CaseInputError as error:
            form.add_error("area_text", error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("desk-project", project.pk)
    status = 400 if form.errors else 200
    return render(request, "risks/form.html", {"form": form, "project": project}, status=status)


@require_POST
@login_required
def project_follow_up_page(request, project_id: int):
    _keeper(request)
    project = _project(request, project_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.project_follow_up(
            project_id=project.pk, actor=request.user, note=form.cleaned_data["note"]
        )
        messages.success(request, _("Saved."))
        return redirect("desk-project", project.pk)
    return render(request, "risks/project.html", _page_context(project, form), status=400)


@require_POST
@login_required
def project_close_page(request, project_id: int):
    _keeper(request)
    project = _project(request, project_id)
    services.project_close(project_id=project.pk, actor=request.user)
    messages.success(request, _("The project is closed; new cases are no longer linked to it."))
    return redirect("desk-project", project.pk)
