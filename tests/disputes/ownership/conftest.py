"""包案 tests: cases of 涂埠镇 (兴杨村委会 grid 01) reported on a frozen clock."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from disputes.models import Case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 9):
    """Freeze the clock at `hour` o'clock, Shanghai time, on `day`."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def reported(report):
    """reported(day, **payload overrides) -> the Case reported at 09:00 that day."""

    def _reported(day: date, **overrides) -> Case:
        with at(day):
            response = report(**overrides)
        assert response.status_code == 201, response.data
        return Case.objects.get(pk=response.data["id"])

    return _reported
