"""Work a committed change still owes to a worker: the outbox."""

from django.db import models


class OutboxTask(models.Model):
    """A Celery task not yet handed to the broker (disputes.core.outbox).

    Written in the transaction of the change that needs it and deleted once the
    broker has the task, so that neither a broker that is down nor a process
    that dies after the commit loses it.
    """

    task = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    failed_sends = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
