"""Who records joint meetings, who sees them, and who answers for a decision (交办).

A county's joint conference is recorded by its county office, a township's by
its leaders. A decision is assigned to one unit: for a county meeting a county
department, a township or the county office itself; for a township meeting one
of the township's own stations (乡镇站所) or the township itself. The assignee
and the meeting's own unit may mark it done.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from disputes.core.areas import REGION_ROLES, staff_of, user_counties
from disputes.meetings.models import MeetingDecision
from villages.models import Staff

RECORDING_ROLES = (Staff.Role.COUNTY_OFFICE, Staff.Role.TOWNSHIP_LEADER)


def recording_unit(user):
    """(county_id, township_id or None) of the conference the user records for; None if none."""
    staff = staff_of(user)
    if staff is None or user.is_superuser or staff.role not in RECORDING_ROLES:
        return None
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return staff.county_id, None
    return staff.county_id, staff.township_id


def meeting_area_q(user, prefix: str = "") -> Q:
    """The meetings (through `prefix`, e.g. "meeting__") of the user's area, read-only or not.

    The county office: every meeting of its county (its townships' too); a township
    leader: their township's; a city or province office and the superuser: their
    counties'. Others: none (they may still see meetings that assigned them a decision).
    """
    if user.is_superuser:
        return Q()
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    if staff.role in REGION_ROLES:
        return Q(**{f"{prefix}county_id__in": user_counties(user).values("pk")})
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return Q(**{f"{prefix}county_id": staff.county_id})
    if staff.role == Staff.Role.TOWNSHIP_LEADER:
        return Q(**{f"{prefix}township_id": staff.township_id})
    return Q(pk__in=[])


def assigned_to_q(user, prefix: str = "") -> Q:
    """Decisions (through `prefix`) assigned to the user's unit: department, township, office."""
    staff = staff_of(user)
    if staff is None or user.is_superuser:
        return Q(pk__in=[])
    if staff.role == Staff.Role.DEPARTMENT_STAFF:
        return Q(**{f"{prefix}department_id": staff.department_id})
    if staff.role == Staff.Role.TOWNSHIP_LEADER:
        return Q(**{f"{prefix}township_id": staff.township_id})
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return Q(
            **{
                f"{prefix}county_id": staff.county_id,
                f"{prefix}department__isnull": True,
                f"{prefix}township__isnull": True,
            }
        )
    return Q(pk__in=[])


def decision_seen_q(user) -> Q:
    """Decisions the user sees: those of their area's meetings and those assigned to them."""
    return meeting_area_q(user, "meeting__") | assigned_to_q(user)


def meeting_seen_q(user) -> Q:
    """Meetings the user may open: their area's, and those that assigned their unit a decision."""
    assigned = MeetingDecision.objects.filter(assigned_to_q(user)).values("meeting_id")
    return meeting_area_q(user) | Q(pk__in=assigned)


def is_assignee(user, decision) -> bool:
    staff = staff_of(user)
    if staff is None or user.is_superuser:
        return False
    if decision.department_id is not None:
        return (
            staff.role == Staff.Role.DEPARTMENT_STAFF
            and staff.department_id == decision.department_id
        )
    if decision.township_id is not None:
        return (
            staff.role == Staff.Role.TOWNSHIP_LEADER and staff.township_id == decision.township_id
        )
    return staff.role == Staff.Role.COUNTY_OFFICE and staff.county_id == decision.county_id


def holds_meeting(user, meeting) -> bool:
    """Whether the user works for the unit whose conference held the meeting."""
    return recording_unit(user) == (meeting.county_id, meeting.township_id)


def may_mark_done(user, decision) -> bool:
    """The assignee, or the meeting's own unit, while the decision is not done."""
    if decision.done_at is not None:
        return False
    return is_assignee(user, decision) or holds_meeting(user, decision.meeting)


def covers_meetings(user) -> bool:
    """Whether the user has an area of meetings (meeting_area_q is not empty)."""
    if user.is_superuser:
        return True
    staff = staff_of(user)
    return staff is not None and (staff.role in RECORDING_ROLES or staff.role in REGION_ROLES)


def may_see_meetings(user) -> bool:
    """Who has a meetings page: county offices, township leaders, department staff, offices above."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    staff = staff_of(user)
    return staff is not None and (
        staff.role in RECORDING_ROLES
        or staff.role in REGION_ROLES
        or staff.role == Staff.Role.DEPARTMENT_STAFF
    )


def assignee_users(decision):
    """The active users who answer for the decision (whom supervision tells)."""
    users = get_user_model().objects.filter(is_active=True)
    if decision.department_id is not None:
        return users.filter(
            staff__role=Staff.Role.DEPARTMENT_STAFF, staff__department_id=decision.department_id
        )
    if decision.township_id is not None:
        return users.filter(
            staff__role=Staff.Role.TOWNSHIP_LEADER, staff__township_id=decision.township_id
        )
    return users.filter(staff__role=Staff.Role.COUNTY_OFFICE, staff__county_id=decision.county_id)


def meeting_unit_users(meeting):
    """The active users of the unit whose conference held the meeting."""
    users = get_user_model().objects.filter(is_active=True)
    if meeting.township_id is not None:
        return users.filter(
            staff__role=Staff.Role.TOWNSHIP_LEADER, staff__township_id=meeting.township_id
        )
    return users.filter(staff__role=Staff.Role.COUNTY_OFFICE, staff__county_id=meeting.county_id)
