from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Disputes")

    def ready(self):
        from config.history_context import connect_task_context
        from disputes import tasks  # noqa: F401  every task under the name the outbox sends
        from disputes.departments import receivers as _departments  # noqa: F401
        from disputes.risks import receivers as risk_receivers  # noqa: F401  cases in projects
        from disputes.teams import receivers  # noqa: F401  what teams do when a case changes

        connect_task_context()
