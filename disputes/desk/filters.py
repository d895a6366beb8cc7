"""The case list's filters: every one in the URL, each checked, each choice from the user's area."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case, Category, Level
from disputes.cases.selectors import case_filter_due
from disputes.core.areas import REGION_ROLES, staff_of, user_counties
from disputes.core.local_days import day_bounds
from disputes.desk.selectors import proposal_waiting
from disputes.teams.models import Team
from grid.models import Grid
from villages.models import Staff, Township, Village

KEYWORD_MAX = 60
YES_NO = [("yes", _("yes")), ("no", _("no"))]
SORTS = [
    ("-reported_at", _("newest first")),
    ("reported_at", _("oldest first")),
    ("due_date", _("due soonest")),
    ("-due_date", _("due latest")),
    ("status", _("status")),
    ("level", _("level")),
    ("category", _("category")),
]
SORT_FIELDS = {
    "reported_at": ("reported_at", "id"),
    "due_date": ("due_date", "id"),
    "status": ("status", "-reported_at"),
    "level": ("level", "-reported_at"),
    "category": ("category__position", "-reported_at"),
}


def _area(request, model):
    """The units (or teams) of `model` that lie in the user's area."""
    user = request.user
    rows = model.objects.all()
    if model is not Team:
        rows = rows.defer("boundary")
    if user.is_superuser:
        return rows
    staff = staff_of(user)
    if staff is None:
        return rows.none()
    if staff.role in REGION_ROLES:
        return rows.filter(county__in=user_counties(user))
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return rows.filter(county_id=staff.county_id)
    if staff.role in (Staff.Role.TOWNSHIP_LEADER, Staff.Role.MEDIATOR):
        return rows.filter(**{"pk" if model is Township else "township_id": staff.township_id})
    if model is Team:
        return rows.filter(township_id=staff.township_id)
    if staff.role == Staff.Role.GRID_WORKER and model is Grid:
        return rows.filter(workers=user)
    if model is Township:
        return rows.filter(pk=staff.township_id)
    return rows.filter(**{"pk" if model is Village else "village_id": staff.village_id})


def _grid_worker(user) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role == Staff.Role.GRID_WORKER


class DeskCaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Keyword"),
        method="filter_keyword",
        max_length=KEYWORD_MAX,
        widget=forms.TextInput(
            attrs={"placeholder": _("case number, description or address"), "type": "search"}
        ),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Case.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # no join: DISTINCT would only sort every matching case
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), field_name="deadline_kind", choices=Case.DeadlineKind.choices
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.order_by("position", "code"),
        to_field_name="code",
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Case.Channel.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("Township"),
        queryset=lambda request: _area(request, Township).order_by("code"),
        to_field_name="code",
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Village"),
        queryset=lambda request: _area(request, Village).order_by("code"),
        to_field_name="code",
    )
    grid = django_filters.ModelChoiceFilter(
        label=_("Grid"),
        queryset=lambda request: _area(request, Grid).order_by("code"),
        to_field_name="code",
    )
    team = django_filters.ChoiceFilter(label=_("Team"), choices=[], method="filter_team")
    reported_after = django_filters.DateFilter(
        label=_("Reported from"),
        method="filter_reported_after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reported_before = django_filters.DateFilter(
        label=_("Reported until"),
        method="filter_reported_before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due = django_filters.ChoiceFilter(
        label=_("Time limit"),
        choices=[("overdue", _("overdue")), ("soon", _("due within 3 days"))],
        method="filter_due",
    )
    repeat = django_filters.ChoiceFilter(label=_("Repeat"), choices=YES_NO, method="filter_repeat")
    open = django_filters.ChoiceFilter(label=_("Open"), choices=YES_NO, method="filter_open")
    addressed = django_filters.ChoiceFilter(
        label=_("Leaders' mailbox"),
        choices=[("me", _("addressed to me")), ("any", _("any leader"))],
        method="filter_addressed",
    )
    proposal = django_filters.ChoiceFilter(
        label=_("Team proposal"),
        choices=[("waiting", _("waiting for an answer"))],
        method="filter_proposal",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SORTS, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Case
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        teams = _area(self.request, Team).order_by("name").values_list("pk", "name")
        self.filters["team"].extra["choices"] = [
            ("none", _("no team")),
            *((str(pk), name) for pk, name in teams),
        ]

    @property
    def form(self):
        form = super().form
        if not getattr(self, "_places_narrowed", False):
            self._places_narrowed = True
            self._narrow_places(form)
        return form

    def _narrow_places(self, form):
        """Offer the villages of the chosen township and the grids of the chosen village only.

        A county has hundreds of villages and over a thousand grids: listing them all (and
        each grid's village) would cost a query per grid. Validation still takes any unit
        of the user's area, so a bookmarked list keeps working.
        """
        township, village = self.data.get("township"), self.data.get("village")
        villages = _area(self.request, Village).order_by("code")
        if township:
            villages = villages.filter(township__code=township)
        form.fields["village"].widget.choices = [
            ("", "---------"),
            *villages.values_list("code", "name"),
        ]
        grids = _area(self.request, Grid).order_by("code")
        if village:
            grids = grids.filter(village__code=village)
        elif self.data.get("grid"):
            grids = grids.filter(code=self.data.get("grid"))
        elif not _grid_worker(self.request.user):
            grids = grids.none()
        form.fields["grid"].widget.choices = [
            ("", _("choose a village first") if not village else "---------"),
            *grids.values_list("code", "name"),
        ]

    def filter_keyword(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        number = value.removeprefix("#").strip()
        if value.startswith("#"):  # a case number, as the pages write it
            return (
                queryset.filter(pk=int(number))
                if number.isdigit() and len(number) <= 18
                else queryset.none()
            )
        match = Q(description__icontains=value) | Q(address__icontains=value)
        if number.isdigit() and len(number) <= 18:
            match |= Q(pk=int(number))
        return queryset.filter(match)

    def filter_team(self, queryset, name, value):
        if value == "none":
            return queryset.filter(team__isnull=True)
        return queryset.filter(team_id=int(value))

    # Local days as bounds of the timestamp, so that its index serves the range.
    def filter_reported_after(self, queryset, name, value):
        return queryset.filter(reported_at__gte=day_bounds(value)[0])

    def filter_reported_before(self, queryset, name, value):
        return queryset.filter(reported_at__lt=day_bounds(value)[1])

    def filter_due(self, queryset, name, value):
        return case_filter_due(queryset.filter(status__in=Case.OPEN_STATUSES), value)

    def filter_repeat(self, queryset, name, value):
        return queryset.filter(repeat_of__isnull=(value == "no"))

    def filter_open(self, queryset, name, value):
        opened = Q(status__in=Case.OPEN_STATUSES)
        return queryset.filter(opened if value == "yes" else ~opened)

    def filter_proposal(self, queryset, name, value):
        return queryset.filter(proposal_waiting())

    def filter_addressed(self, queryset, name, value):
        if value == "me":
            return queryset.filter(addressed_to=self.request.user)
        return queryset.filter(addressed_to__isnull=False)

    def filter_nothing(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        rows = super().qs
        sort = self.form.cleaned_data.get("sort") or "-reported_at"
        descending = sort.startswith("-")
        fields = SORT_FIELDS[sort.lstrip("-")]
        if descending:
            fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
        return rows.order_by(*fields)
