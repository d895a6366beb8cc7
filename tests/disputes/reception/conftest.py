"""Reception days of 涂埠镇 (Tuesdays, three leaders in turn) and of the county centre."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from config.sms import outbox
from disputes.reception.models import ReceptionSchedule
from disputes.reception.services.schedules import schedule_create, sessions_generate
from villages.models import Department

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday: December's sessions are all ahead.
TODAY = date(2026, 11, 25)
TUBU_PLACE = "涂埠镇政府一楼群众接待室"
COUNTY_PLACE = "永修县社会矛盾纠纷调处化解中心"
LEADERS = [
    {"name": "王建国", "title": "镇党委书记"},
    {"name": "李秀英", "title": "镇长"},
    {"name": "陈志强", "title": "副镇长"},
]


def at(day: date, hour=10):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


def client_of(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def clean_slate():
    cache.clear()
    outbox.clear()
    yield
    outbox.clear()


@dataclass
class Reception:
    tubu: ReceptionSchedule
    county: ReceptionSchedule
    labour: Department


@pytest.fixture
def reception(territory):
    """Both schedules, December 2026's sessions made, the clock on TODAY."""
    labour = Department.objects.create(county=territory.county, name="县人力资源和社会保障局")
    with at(TODAY):
        tubu = schedule_create(
            actor=territory.users["township_leader"],
            weekday=1,
            starts_at=time(9),
            ends_at=time(11, 30),
            place=TUBU_PLACE,
            leaders=LEADERS,
            department_id=None,
            capacity=2,
            first_date=date(2026, 12, 1),
        )
        county = schedule_create(
            actor=territory.users["county_office"],
            weekday=2,
            starts_at=time(14, 30),
            ends_at=time(17),
            place=COUNTY_PLACE,
            leaders=[],
            department_id=labour.pk,
            capacity=6,
            first_date=date(2026, 12, 1),
        )
        sessions_generate(actor=territory.users["township_leader"], year=2026, month=12)
        sessions_generate(actor=territory.users["county_office"], year=2026, month=12)
    return Reception(tubu, county, labour)


@pytest.fixture
def travel():
    """travel(day, hour=10): the clock on that day (a context manager started for the test)."""
    started = []

    def _travel(day, hour=10):
        traveller = at(day, hour)
        traveller.start()
        started.append(traveller)

    yield _travel
    for traveller in reversed(started):
        traveller.stop()
