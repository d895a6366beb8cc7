"""The client systems that report through Open311 GeoReport v2 (the 12345 hotline platform …)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from villages.models import County


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
    channel = models.CharField(_("channel"), max_length=10, default="hotline")
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=60)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"
