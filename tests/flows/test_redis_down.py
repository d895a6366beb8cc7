"""Redis stops: committed work still answers success, and nothing owed to a worker is lost.

The test runs its own Redis (a cache and broker of its own, on a socket in a
temporary folder) so that stopping it touches nothing else. With it stopped,
a grid worker reports a case and accepts it: both answer success, the map
tiles are drawn uncached, and the proposal of a team and the forgetting of
stale tiles wait in the outbox. Redis starts again, the beat sweep runs, a
real worker takes the tasks, and the proposal arrives.
"""

import contextlib
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from kombu import pools as kombu_pools
from redis.backoff import NoBackoff
from redis.retry import Retry

from config.celery_app import app as celery_app
from disputes.core.outbox import outbox_sweep
from disputes.models import Assignment, Case, OutboxTask
from maps.tile_cache import tile_key, tile_of
from tests.disputes.conftest import XINGYANG_01, api, case_payload, tubu_committee
from tests.flows.test_worker_killed import start_worker, wait_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


class OwnRedis:
    def __init__(self, folder: Path):
        self.folder = folder
        self.socket = folder / "redis.sock"

    def start(self):
        subprocess.run(
            [
                "redis-server",
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.folder / "redis.pid"),
                "--logfile",
                str(self.folder / "redis.log"),
            ],
            check=True,
        )
        wait_for(self.up, 10, "Redis to start")

    def client(self) -> redis.Redis:
        # No retries: redis-py's default (three, backing off) makes each look at a
        # stopped server take about eight seconds.
        return redis.Redis(unix_socket_path=str(self.socket), retry=Retry(NoBackoff(), 0))

    def up(self) -> bool:
        try:
            return self.client().ping()
        except redis.exceptions.ConnectionError:
            return False

    def stop(self):
        with contextlib.suppress(redis.exceptions.ConnectionError):
            self.client().shutdown(nosave=True)
        wait_for(lambda: not self.up(), 10, "Redis to stop")


@pytest.fixture
def own_redis(settings, monkeypatch):
    folder = Path("/tmp") / f"grid-redis-{os.getpid()}"  # short: a socket path has 107 bytes
    folder.mkdir(exist_ok=True)
    server = OwnRedis(folder)
    server.start()
    cache_url = f"unix://{server.socket}?db=0"
    broker_url = f"redis+socket://{server.socket}"
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.FailOpenRedisCache", "LOCATION": cache_url}
    }
    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    monkeypatch.setenv("REDIS_URL", cache_url)
    _new_broker_connections()
    yield server
    server.stop()
    monkeypatch.undo()
    _new_broker_connections()
    shutil.rmtree(folder, ignore_errors=True)


def _new_broker_connections():
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_redis_stopped_report_and_accept_succeed_and_the_proposal_arrives_later(
    territory, own_redis, tmp_path
):
    server = own_redis
    team = tubu_committee(territory)
    worker = api(territory.users["grid_worker"])
    leader = territory.users["township_leader"]
    leader_client = api(leader)
    leader_client.force_login(leader)  # the tiles are a page's data: a session
    tile = "/tiles/cases/14/{}/{}.pbf".format(*tile_of(*XINGYANG_01, 14))
    assert leader_client.get(tile).status_code == 200  # cached while Redis is up
    server.stop()

    reported = worker.post("/api/cases/", case_payload(), format="json")
    assert reported.status_code == 201, reported.content
    case_id = reported.data["id"]
    accepted = worker.post(f"/api/cases/{case_id}/accept/", {"reply": "已受理"}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert Case.objects.get(pk=case_id).status == "accepted"
    drawn = leader_client.get(tile)  # served, uncached
    assert drawn.status_code == 200 and len(drawn.content) > 0
    owed = OutboxTask.objects.count()  # the proposal, and the tiles of each of the two events
    assert sorted(OutboxTask.objects.values_list("task", flat=True)) == [
        "disputes.tasks.team_propose",
        "disputes.tasks.tiles_invalidate",
        "disputes.tasks.tiles_invalidate",
    ]
    assert outbox_sweep(older_than=timedelta(0)) == 0  # the broker is still away
    assert not Assignment.objects.exists()

    server.start()
    log = (tmp_path / "worker.log").open("w")
    process = start_worker(log)
    try:
        assert outbox_sweep(older_than=timedelta(0)) == owed  # beat's sweep, Redis being back
        wait_for(
            lambda: Assignment.objects.filter(case_id=case_id).exists(),
            60,
            "the proposal to arrive",
        )
        wait_for(lambda: cache.get(tile_key_generation(14)) is not None, 30, "tiles forgotten")
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()

    proposal = Assignment.objects.get(case_id=case_id)
    assert (proposal.team, proposal.status) == (team, "proposed")
    assert not OutboxTask.objects.exists()


def tile_key_generation(z):
    x, y = tile_of(*XINGYANG_01, z)
    return f"tilegen:{z}/{x}/{y}"


def test_tile_keys_fall_back_to_generation_zero_when_redis_is_away(own_redis):
    server = own_redis
    server.stop()
    assert tile_key("cases", "v", 14, 1, 2).endswith(":0")
    assert cache.get("anything") is None and cache.add("k", 1) is False
    assert cache.set("k", 1) is None and cache.get_many(["a", "b"]) == {}
