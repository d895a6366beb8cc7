"""What the register does when a case is reported (disputes.cases.signals); connected in
DisputesConfig.ready."""

from django.dispatch import receiver

from disputes.cases.signals import case_reported
from disputes.risks.services.projects import case_link_new


@receiver(case_reported, dispatch_uid="risks-link-reported-case")
def project_link_on_report(sender, *, case, **kwargs) -> None:
    """A case reported inside a registered project's area is linked to it, in its transaction."""
    case_link_new(case)
