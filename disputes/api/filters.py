import django_filters
from django.utils.translation import gettext_lazy as _

from disputes import selectors
from disputes.models import Case, Level


class CaseFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Case.Status.choices)
    category = django_filters.CharFilter(field_name="category__code")
    level = django_filters.ChoiceFilter(choices=Level.choices)
    reported_after = django_filters.DateFilter(field_name="reported_at", lookup_expr="date__gte")
    reported_before = django_filters.DateFilter(field_name="reported_at", lookup_expr="date__lte")
    due = django_filters.ChoiceFilter(
        choices=[("overdue", _("overdue")), ("soon", _("due soon"))], method="filter_due"
    )

    class Meta:
        model = Case
        fields = ["status", "category", "level", "reported_after", "reported_before", "due"]

    def filter_due(self, queryset, name, value):
        return selectors.case_filter_due(queryset, value)
