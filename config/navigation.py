"""The pages a user may open: the navigation every staff page shows, and where `/` leads.

Each link is shown when the page's own rule lets the user in: the page's own
selector where it is cheap, else the same rule by role (tests walk every link of
every role, and open every hidden page to get its 404, so the two agree).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from disputes.audit.selectors.history import history_county
from disputes.core.areas import staff_of, user_units
from disputes.departments.selectors.directory import may_manage_departments
from disputes.desk.access import may_register, may_use_desk, works_on_the_phone
from disputes.desk.mailbox import may_receive_letters
from disputes.meetings.policies import may_see_meetings
from disputes.oversight.selectors.zero_reports import zero_report_area
from disputes.ownership.selectors.backlog import backlog_area
from disputes.people.policies import may_manage_people
from disputes.reception.policies import may_keep as keeps_reception_days
from disputes.risks.policies import register_area
from villages.models import Staff


def _has_area(user) -> bool:
    return user_units(user)[1] is not None


def _role(user):
    staff = staff_of(user)
    return staff.role if staff is not None else None


def _reads_figures(user) -> bool:
    """As figures_units: a grid worker their grids, leaders and cadres their unit; no mediator."""
    if _role(user) == Staff.Role.GRID_WORKER:
        return user.grids.exists()
    return _role(user) != Staff.Role.MEDIATOR and _has_area(user)


def _reads_bulletins(user) -> bool:
    """As bulletin_units: city, province and county offices, township leaders, administrators."""
    return user.is_superuser or _role(user) in (
        Staff.Role.PROVINCE_OFFICE,
        Staff.Role.CITY_OFFICE,
        Staff.Role.COUNTY_OFFICE,
        Staff.Role.TOWNSHIP_LEADER,
    )


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str
    allowed: Callable


LINKS = (
    Link("desk", _("Desk"), may_use_desk),
    Link("desk-cases", pgettext_lazy("pages", "Cases"), may_use_desk),
    Link("desk-register", _("Register a case"), may_register),
    Link("mobile", _("Phone page"), works_on_the_phone),
    Link("desk-mailbox", _("Leaders' mailbox"), may_receive_letters),
    Link("supervision", _("Supervision"), _has_area),
    Link("zero-reports", _("Zero reports"), lambda user: zero_report_area(user)[1] is not None),
    Link("desk-backlog", _("Backlog (积案)"), lambda user: backlog_area(user) is not None),
    Link("figures", _("Figures"), _reads_figures),
    Link(
        "department-figures", _("Figures"), lambda user: _role(user) == Staff.Role.DEPARTMENT_STAFF
    ),
    Link("bulletins", _("Monthly bulletins"), _reads_bulletins),
    Link(
        "assessment",
        _("Assessment"),
        lambda user: _role(user) in (Staff.Role.COUNTY_OFFICE, Staff.Role.TOWNSHIP_LEADER),
    ),
    Link("map-territory", _("Territory"), _has_area),
    Link("map-coverage", _("三治 coverage"), _has_area),
    Link("map-hotspots", _("Hotspots"), _has_area),
    Link("desk-projects", _("Major projects"), lambda user: register_area(user) is not None),
    Link("exports", _("Exports"), _has_area),
    Link("history", _("Change history"), lambda user: history_county(user) is not None),
    Link("people", _("People"), may_manage_people),
    Link("meetings", _("Joint meetings"), may_see_meetings),
    Link("departments", _("Departments"), may_manage_departments),
    Link("reception", _("Reception days"), keeps_reception_days),
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
