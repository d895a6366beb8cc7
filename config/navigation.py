"""The pages a user may open: the navigation every staff page shows, and where `/` leads.

Each link is shown when the page's own rule lets the user in, read from the
selector the page itself uses, so that the navigation and the pages agree.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from disputes.core.areas import user_units
from disputes.desk.access import may_register, may_use_desk, works_on_the_phone
from disputes.selectors_bulletins import bulletin_units
from disputes.selectors_figures import figures_units
from disputes.selectors_history import history_county
from disputes.selectors_zero_reports import zero_report_area


def _has_area(user) -> bool:
    return user_units(user)[1] is not None


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str
    allowed: Callable


LINKS = (
    Link("desk", _("Desk"), may_use_desk),
    Link("desk-cases", _("Cases"), may_use_desk),
    Link("desk-register", _("Register a case"), may_register),
    Link("mobile", _("Phone page"), works_on_the_phone),
    Link("supervision", _("Supervision"), _has_area),
    Link("zero-reports", _("Zero reports"), lambda user: zero_report_area(user)[1] is not None),
    Link("figures", _("Figures"), lambda user: bool(figures_units(user))),
    Link("bulletins", _("Monthly bulletins"), lambda user: bool(bulletin_units(user=user))),
    Link("map-territory", _("Territory"), _has_area),
    Link("map-coverage", _("三治 coverage"), _has_area),
    Link("map-hotspots", _("Hotspots"), _has_area),
    Link("exports", _("Exports"), _has_area),
    Link("history", _("Change history"), lambda user: history_county(user) is not None),
)


def links_for(user) -> list[dict]:
    """The links of the pages `user` may open, in the bar's order: [{url, label}]."""
    if not user.is_authenticated:
        return []
    return [
        {"url": reverse(link.url_name), "label": link.label, "name": link.url_name}
        for link in LINKS
        if link.allowed(user)
    ]


def home_url(user) -> str:
    """Where `/` leads: grid workers and team members to the phone page, others to the desk."""
    if works_on_the_phone(user):
        return reverse("mobile")
    return reverse("desk")


def navigation(request):
    """Context processor: `nav_links`, computed only when a template shows them."""
    return {"nav_links": SimpleLazyObject(lambda: links_for(request.user))}
