"""The teams' Celery tasks: thin, each loads by id and calls one service.

Names are those of disputes.tasks, where beat, the outbox and queued messages
find them; acks_late with reject_on_worker_lost puts a task back on the queue
when the worker dies in the middle of it; the services are safe to run again.
"""

from celery import shared_task
from django.db import OperationalError

from disputes.teams.services import assignment


@shared_task(
    name="disputes.tasks.team_propose",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def team_propose(case_id: int) -> int | None:
    # Safe to run twice: a case with an active assignment keeps it.
    proposal = assignment.assignment_propose(case_id=case_id)
    return proposal.pk if proposal else None


@shared_task(name="disputes.tasks.team_proposals_sweep", acks_late=True, reject_on_worker_lost=True)
def team_proposals_sweep() -> int:
    return assignment.proposals_missing_sweep()


@shared_task(name="disputes.tasks.assignments_expire", acks_late=True, reject_on_worker_lost=True)
def assignments_expire() -> int:
    return assignment.assignments_expire()
