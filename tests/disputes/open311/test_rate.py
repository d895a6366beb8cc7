"""Each key's rate: `requests_per_minute` in a minute, then 429 until the next minute."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.disputes.open311.conftest import call, client_new, errors_of

pytestmark = pytest.mark.django_db

MINUTE = datetime(2026, 12, 1, 9, 30, 40, tzinfo=timezone.get_fixed_timezone(480))


def test_a_key_past_its_rate_waits_for_the_next_minute(territory):
    slow = client_new(territory.county, requests_per_minute=2)
    other = client_new(territory.county, name="另一个系统", requests_per_minute=2)
    with time_machine.travel(MINUTE, tick=False) as clock:
        for _n in range(2):
            assert call("get", "requests.json", api_key=slow.key).status_code == 200
        for fmt in ("json", "xml"):
            response = call("get", f"requests.{fmt}", api_key=slow.key)
            assert response.status_code == 429
            assert response["Retry-After"] == "20"
            assert "2" in errors_of(response)[0]["description"]
        # Posts count too, and each key has its own count.
        assert call("post", "requests.json", api_key=slow.key).status_code == 429
        assert call("get", "requests.json", api_key=other.key).status_code == 200
        clock.shift(20)
        assert call("get", "requests.json", api_key=slow.key).status_code == 200


def test_services_without_a_key_are_not_counted(territory):
    slow = client_new(territory.county, requests_per_minute=1)
    with time_machine.travel(MINUTE, tick=False):
        for _n in range(3):
            assert call("get", "services.json").status_code == 200
        assert call("get", "requests.json", api_key=slow.key).status_code == 200
        assert call("get", "services.json", api_key=slow.key).status_code == 429
