"""What departments do when a case announces a change (disputes.cases.signals); connected in
DisputesConfig.ready."""

from django.dispatch import receiver

from disputes.cases.signals import case_resolved
from disputes.departments.services.routing import routing_lead_done_locked


@receiver(case_resolved, dispatch_uid="departments-lead-slip-done-on-resolve")
def routing_done_on_resolve(sender, *, case, **kwargs) -> None:
    """The lead department resolved the case: its slip is done, with the reply. Runs holding
    the case's lock."""
    routing_lead_done_locked(case)
