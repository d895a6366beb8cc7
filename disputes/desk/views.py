"""The desk's pages: home, the case list and the case page with its actions. Thin: selectors
read, services write, the forms check the input."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from disputes.cases import selectors as case_selectors
from disputes.cases.deadlines import due_state
from disputes.core.areas import user_units
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.departments.selectors.routing import department_desk
from disputes.desk import selectors
from disputes.desk.access import may_register, may_use_desk
from disputes.desk.actions import BY_NAME, actions_for, parts_context, parts_form_kwargs
from disputes.desk.filters import DeskCaseFilter
from disputes.desk.mailbox import MailboxForm, mailbox_of, mailbox_save, may_receive_letters
from disputes.desk.receipts import receipt_code
from disputes.desk.services import StaleCase, case_version, desk_act
from disputes.oversight.selectors.zero_reports import zero_report_today
from disputes.ownership.selectors.leaders import desk_home_part

PAGE_SIZES = (25, 50, 100)
COUNT_CAP = 10_000


def _basemap() -> dict:
    return {
        "basemap_url": settings.MAP_BASEMAP_URL,
        "basemap_attribution": settings.MAP_BASEMAP_ATTRIBUTION,
    }


def _desk_user(request):
    if not may_use_desk(request.user):
        raise Http404
    _level, home = user_units(request.user)
    return home


@require_GET
@login_required
def home(request):
    area = _desk_user(request)
    unread, notifications = selectors.unread_notifications(user=request.user)
    return render(
        request,
        "desk/home.html",
        {
            "home": area,
            "counts": selectors.desk_counts(user=request.user),
            "unread": unread,
            "notifications": notifications,
            "zero": zero_report_today(user=request.user),
            "latest": selectors.latest_cases(user=request.user),
            "counties": selectors.region_counties(user=request.user),
            "may_register": may_register(request.user),
            "department_desk": department_desk(user=request.user),
            **desk_home_part(user=request.user),
        },
    )


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("size", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


@require_GET
@login_required
def case_list(request):
    area = _desk_user(request)
    filters = DeskCaseFilter(
        request.GET, queryset=selectors.desk_cases(user=request.user), request=request
    )
    status = 200
    if not filters.is_valid():
        rows, status = selectors.desk_cases(user=request.user).none(), 400
    else:
        rows = filters.qs
    size = _page_size(request)
    total = rows.order_by()[: COUNT_CAP + 1].count()  # unordered: no sort just to count
    paginator = Paginator(rows, size, allow_empty_first_page=True)
    paginator.count = min(
        total, COUNT_CAP
    )  # the last pages of a huge list are reached by filtering
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        page = paginator.page(1)
    cases = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    export = request.GET.copy()
    for key in ("page", "size", "sort"):
        export.pop(key, None)
    return render(
        request,
        "desk/case_list.html",
        {
            "home": area,
            "filters": filters,
            "page": page,
            "cases": [(case, due_state(case.due_date, timezone.localdate())) for case in cases],
            "total": total,
            "capped": total > COUNT_CAP,
            "query": query.urlencode(),
            "export_query": export.urlencode(),
            "points": [
                {
                    "id": c.pk,
                    "lon": c.location.x,
                    "lat": c.location.y,
                    "label": f"#{c.pk} {c.category.name}",
                }
                for c in cases
            ],
            "page_sizes": PAGE_SIZES,
            "size": size,
            **_basemap(),
        },
        status=status,
    )


def _case_context(request, case, *, reveal=False, failed=None):
    """The case page's context; `failed` is (action name, bound form) of an action refused."""
    parties, may_reveal = selectors.party_rows(user=request.user, case=case, reveal=reveal)
    version = case_version(case)
    offered = actions_for(request.user, case)
    candidates = (
        selectors.team_candidates(user=request.user, case=case)
        if any(action.name == "assign" for action in offered)
        else []
    )
    actions = []
    for action in offered:
        kwargs = {}
        if action.name == "assign":
            kwargs["teams"] = [row["team"] for row in candidates]
        kwargs.update(parts_form_kwargs(request.user, case, action.name))
        if failed and failed[0] == action.name:
            form = failed[1]
        else:
            form = action.form(initial={"version": version}, prefix=action.name, **kwargs)
        actions.append(
            {"action": action, "form": form, "open": bool(failed and failed[0] == action.name)}
        )
    _level, home = user_units(request.user)
    return {
        "home": home,
        "case": case,
        "due": due_state(case.due_date, timezone.localdate()),
        "days_left": (case.due_date - timezone.localdate()).days if case.due_date else None,
        "parties": parties,
        "agent": selectors.agent_row(user=request.user, case=case, reveal=reveal),
        "may_register": may_register(request.user),
        "fresh_code": bool(receipt_code(request.session, case.pk)),
        "revealed": reveal and may_reveal,
        "may_reveal": may_reveal,
        "actions": actions,
        "candidates": candidates,
        "days_overdue": (timezone.localdate() - case.due_date).days if case.due_date else None,
        "map_points": [
            {
                "lon": case.location.x,
                "lat": case.location.y,
                "label": f"#{case.pk}" if case.point_known else f"#{case.pk} ({case.village})",
            }
        ],
        "outlines": selectors.case_outlines(case=case),
        "team_points": [
            {"lon": c["lon"], "lat": c["lat"], "label": c["team"].name} for c in candidates
        ],
        **selectors.case_page(user=request.user, case=case),
        **parts_context(request.user, case),
        **_basemap(),
    }


@require_GET
@login_required
def case_detail(request, case_id: int):
    _desk_user(request)
    case = case_selectors.case_get(user=request.user, case_id=case_id)
    return render(request, "desk/case_detail.html", _case_context(request, case))


@require_POST
@login_required
def case_parties(request, case_id: int):
    """Reveal the parties (logged), for those who may see them."""
    _desk_user(request)
    case = case_selectors.case_get(user=request.user, case_id=case_id)
    return render(request, "desk/case_detail.html", _case_context(request, case, reveal=True))


def _conflict(request, case):
    """The page again, saying the case changed since it was shown (409)."""
    context = _case_context(request, case)
    context["conflict"] = _("This case was just handled by someone else; please refresh.")
    return render(request, "desk/case_detail.html", context, status=409)


@require_POST
@login_required
def case_action(request, case_id: int, action: str):
    _desk_user(request)
    case = case_selectors.case_get(user=request.user, case_id=case_id)  # Http404 outside the area
    spec = BY_NAME.get(action)
    if spec is None:
        raise Http404
    if request.POST.get(f"{action}-version", "") != str(case_version(case)):
        return _conflict(request, case)  # shown before the last change: maybe no longer possible
    if spec not in actions_for(request.user, case):
        raise Http404
    kwargs = {}
    if action == "assign":
        kwargs["teams"] = [
            row["team"] for row in selectors.team_candidates(user=request.user, case=case)
        ]
    kwargs.update(parts_form_kwargs(request.user, case, action))
    form = spec.form(request.POST, request.FILES, prefix=action, **kwargs)
    status = 400
    if form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        try:
            desk_act(
                case_id=case.pk, actor=request.user, action=action, version=version, values=values
            )
        except StaleCase:
            return _conflict(request, case_selectors.case_get(user=request.user, case_id=case.pk))
        except CaseInputError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        except (NotAllowed, TransitionRefused) as refused:
            form.add_error(None, str(refused))
            status = 409
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
            return redirect(reverse("desk-case", args=[case.pk]))
    case = case_selectors.case_get(user=request.user, case_id=case.pk)
    return render(
        request,
        "desk/case_detail.html",
        _case_context(request, case, failed=(action, form)),
        status=status,
    )


@login_required
def mailbox(request):
    """A leader's place in the leaders' mailbox: opt in, the title residents see, or stop."""
    if not may_receive_letters(request.user):
        raise Http404
    entry = mailbox_of(request.user)
    form = MailboxForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        mailbox_save(
            user=request.user,
            title=form.cleaned_data["title"],
            active=form.cleaned_data["active"],
        )
        messages.success(request, _("Saved."))
        return redirect("desk-mailbox")
    return render(
        request,
        "desk/mailbox.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )
