"""The leaders' mailbox (领导信箱) at the desk: a leader opts in to receive residents' letters.

Residents address a letter to a leader who opted in (disputes.residents); it
becomes a case held by the leader's unit and marked for them (Case.addressed_to),
counted on their desk home. Township leaders and the county office may opt in.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from disputes.core.areas import staff_of
from disputes.residents.models import MailboxLeader
from villages.models import Staff

MAILBOX_ROLES = (Staff.Role.TOWNSHIP_LEADER, Staff.Role.COUNTY_OFFICE)


def may_receive_letters(user) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in MAILBOX_ROLES


class MailboxForm(forms.ModelForm):
    class Meta:
        model = MailboxLeader
        fields = ["title", "active"]
        help_texts = {
            "title": _(
                "How residents see you in the list, with your unit: e.g. 镇长, 县信访局局长."
            ),
            "active": _("Residents may address new letters to you while this is on."),
        }


def mailbox_of(user) -> MailboxLeader | None:
    return MailboxLeader.objects.filter(user=user).first()


def mailbox_save(*, user, title: str, active: bool) -> MailboxLeader:
    """Opt in (or change the title, or stop receiving letters) for `user`."""
    entry, _created = MailboxLeader.objects.update_or_create(
        user=user, defaults={"title": title.strip(), "active": active}
    )
    return entry


DEMO_TITLES = {Staff.Role.COUNTY_OFFICE: "县信访局局长", Staff.Role.TOWNSHIP_LEADER: "镇长"}


def mailbox_demo_open() -> int:
    """The demo's leaders (the demo users county_office and township_leader) receive letters."""
    opened = 0
    for role, title in DEMO_TITLES.items():
        staff = Staff.objects.filter(role=role, user__username=role.value).first()
        if staff is not None and not MailboxLeader.objects.filter(user=staff.user).exists():
            mailbox_save(user=staff.user, title=title, active=True)
            opened += 1
    return opened
