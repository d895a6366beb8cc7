from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "maps"
    verbose_name = _("Maps")

    def ready(self):
        from disputes.cases.signals import case_changed
        from maps import tasks  # noqa: F401  tiles_invalidate, under the name the outbox sends
        from maps.tile_cache import tiles_forget_after_change

        case_changed.connect(tiles_forget_after_change, dispatch_uid="maps-tiles-forget")
