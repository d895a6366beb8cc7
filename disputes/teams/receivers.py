"""What teams do when a case announces a change (disputes.cases.signals); connected in
DisputesConfig.ready."""

from django.dispatch import receiver

from disputes.cases.signals import case_resolved
from disputes.teams.models import Assignment
from disputes.teams.services import assignment


@receiver(case_resolved, dispatch_uid="teams-release-resolved-case")
def team_release_on_resolve(sender, *, case, **kwargs) -> None:
    """A resolved case's assignment is done: its team gets room again. Runs holding its lock."""
    assignment.release_team_locked(case, Assignment.Status.DONE)
