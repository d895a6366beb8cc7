"""The client systems that report through Open311 GeoReport v2 (the 12345 hotline platform …)."""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case
from villages.models import County

# The client key (Case.uuid) of a post is derived from the client and its ticket number.
TICKET_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "http://wiki.open311.org/GeoReport_v2")


class Open311Client(models.Model):
    """One client system with its api_key, limited to one county and a request rate.

    The key is shown once when issued (the admin) and stored only as a SHA-256
    hash; `key_prefix` names it in lists and logs. Cases it posts are reported
    by `user`, a system account that cannot log in, in `channel`.
    """

    name = models.CharField(_("name"), max_length=80)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="open311_client",
        editable=False,
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Case.Channel.choices, default=Case.Channel.HOTLINE
    )
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=60)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    def ticket_uuid(self, ticket: str) -> uuid.UUID:
        """The client key of the case this client posts with this ticket: the same ticket,
        the same key, so that a post sent again returns the case made the first time."""
        return uuid.uuid5(TICKET_NAMESPACE, f"{self.pk}:{ticket}")
