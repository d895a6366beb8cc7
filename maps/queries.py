"""The query parameters of the map data views, each with its bounds.

A value out of bounds or not a number is a 400 that names the parameter, in
the user's language (Django's form messages), never a default taken in
silence and never a 500.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

LEVELS = [(level, level) for level in ("region", "county", "township", "village", "grid")]
# The deepest zoom a boundary is simplified for (a few centimetres a pixel).
MAX_ZOOM = 22
# A cluster unless asked otherwise: at least this many open cases, each within eps of another.
CLUSTER_DAYS, CLUSTER_EPS_M, CLUSTER_MIN_POINTS = 90, 300, 5


class QueryInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)


def query(form_class, params) -> dict:
    """The cleaned parameters, or QueryInvalid with each parameter's messages."""
    form = form_class(params)
    if not form.is_valid():
        raise QueryInvalid({field: list(messages) for field, messages in form.errors.items()})
    return form.cleaned_data


class UnitQuery(forms.Form):
    level = forms.ChoiceField(choices=LEVELS)
    # Empty only for the region of every county (a superuser's).
    code = forms.CharField(max_length=20, required=False)

    def clean(self):
        data = super().clean()
        if data.get("level") not in (None, "region") and not data.get("code"):
            self.add_error("code", forms.Field.default_error_messages["required"])
        return data


class HotspotsFrame(forms.Form):
    """The hotspot map framed on a unit of the user's area, a category and the last days.

    What an emerging-hotspot alert links to (disputes.alerts); every part optional.
    """

    level = forms.ChoiceField(choices=LEVELS, required=False)
    code = forms.CharField(max_length=20, required=False)
    category = forms.SlugField(max_length=40, required=False)
    days = forms.IntegerField(min_value=1, max_value=366, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("level")) != bool(data.get("code")):
            self.add_error("code", _("Give both level and code, or neither."))
        return data


class BoundariesQuery(UnitQuery):
    zoom = forms.IntegerField(min_value=0, max_value=MAX_ZOOM, required=False)

    def clean_zoom(self):
        zoom = self.cleaned_data["zoom"]
        return 10 if zoom is None else zoom


class ClustersQuery(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=366, required=False)
    eps = forms.IntegerField(min_value=20, max_value=5000, required=False)
    min_points = forms.IntegerField(min_value=2, max_value=100, required=False)

    def clean(self):
        data = super().clean()
        defaults = {"days": CLUSTER_DAYS, "eps": CLUSTER_EPS_M, "min_points": CLUSTER_MIN_POINTS}
        return {k: default if data.get(k) is None else data[k] for k, default in defaults.items()}
