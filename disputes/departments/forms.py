"""The forms of the departments' pages; the services decide, these only read the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from disputes.departments.selectors import directory as selectors
from disputes.departments.services.directory import CODE_MAX, NAME_MAX


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name of the department"), max_length=NAME_MAX)
    code = forms.CharField(
        label=_("Official code"),
        max_length=CODE_MAX,
        required=False,
        help_text=_("e.g. the unified social credit code, if any"),
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=None,
        required=False,
        empty_label=_("— the county (a county department) —"),
        help_text=_("A township's station (乡镇站所) belongs to its township."),
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_(
            "An inactive department is not offered for routing and leaves the category map; "
            "the cases routed to it that are still open stay with it."
        ),
    )

    def __init__(self, *args, area, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["township"].queryset = selectors.area_townships(area)
        if area.township is not None:
            self.fields["township"].required = True
            self.fields["township"].empty_label = None
            self.fields["township"].help_text = ""
        if creating:
            del self.fields["active"]

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    @staticmethod
    def initial_of(department) -> dict:
        return {
            "name": department.name,
            "code": department.code,
            "township": department.township_id,
            "active": department.active,
        }


class CategoryMapForm(forms.Form):
    """One set of checkboxes per active category: the county departments responsible for it."""

    def __init__(self, *args, county, current: dict[int, list[int]], **kwargs):
        super().__init__(*args, **kwargs)
        departments = selectors.category_map_departments(county)
        self.categories = list(selectors.category_map_categories())
        for category in self.categories:
            self.fields[self.field_name(category)] = forms.ModelMultipleChoiceField(
                label=category.name,
                queryset=departments,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=current.get(category.pk, []),
            )

    @staticmethod
    def field_name(category) -> str:
        return f"category-{category.code}"

    def routes(self) -> dict:
        return {
            category: list(self.cleaned_data[self.field_name(category)])
            for category in self.categories
        }

    def rows(self):
        """(category, its bound field) in the categories' order, for the template."""
        return [(category, self[self.field_name(category)]) for category in self.categories]
