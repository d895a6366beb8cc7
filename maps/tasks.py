"""The maps' Celery task.

Its name is the one it had in disputes.tasks: outbox rows and queued messages
name it so. Celery's autodiscovery finds this module (maps is an installed app).
"""

from celery import shared_task

from maps.tile_cache import tiles_invalidate as invalidate


@shared_task(name="disputes.tasks.tiles_invalidate", acks_late=True, reject_on_worker_lost=True)
def tiles_invalidate(lon: float, lat: float) -> None:
    invalidate(lon, lat)
