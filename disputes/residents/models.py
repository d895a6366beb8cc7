"""The resident pages' own records: the leaders who receive residents' letters (领导信箱)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class MailboxLeader(models.Model):
    """A leader who opted in to the leaders' mailbox: residents may address a case to them.

    The case goes to the leader's unit (their staff area) and is marked for them on
    the desk. `title` is how the resident pages name them (县长, 镇党委书记 …).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mailbox",
        verbose_name=_("leader"),
    )
    title = models.CharField(_("title shown to residents"), max_length=40)
    active = models.BooleanField(_("receives letters"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("leaders' mailbox")
        verbose_name_plural = _("leaders' mailbox")

    def __str__(self):
        return self.title
