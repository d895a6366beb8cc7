"""The suite runs against the real Redis that scripts/lib/stack.sh started."""

import os
import subprocess
import sys
import uuid

from django.core.cache import cache

from config.celery_app import app


def test_cache_is_the_real_redis():
    key = f"probe-{uuid.uuid4()}"
    cache.set(key, {"村": "兴杨"}, timeout=10)
    assert cache.get(key) == {"村": "兴杨"}
    assert cache._cache.get_client().ping()


def test_celery_broker_carries_a_message():
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue(f"probe-{uuid.uuid4()}")
        queue.put({"hello": "网格"})
        message = queue.get(timeout=5)
        message.ack()
        queue.queue.delete()
        queue.close()
    assert message.payload == {"hello": "网格"}


def test_production_settings_refuse_to_start_without_a_secret():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr or "DJANGO_SECRET_KEY" in result.stderr
