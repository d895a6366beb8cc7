"""A case of 兴杨 grid 01 accepted on 2 March 2026 (handling due in 60 days), on a frozen clock."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from disputes.cases.services import lifecycle

SHANGHAI = ZoneInfo("Asia/Shanghai")
COURT = "永修县人民法院"
COURT_REFERENCE = "(2026)赣0425民诉前调123号"


def at(day: date, hour: int = 9):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def accepted(report, territory):
    """report(**overrides) -> the id of a case reported and accepted by the grid worker on 2 March."""

    def _accepted(**overrides):
        with at(date(2026, 3, 2)):
            response = report(**overrides)
            assert response.status_code == 201, response.data
            case_id = response.data["id"]
            lifecycle.case_accept(
                case_id=case_id, actor=territory.users["grid_worker"], reply="已受理"
            )
        return case_id

    return _accepted
