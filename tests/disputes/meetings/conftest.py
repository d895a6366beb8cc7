"""Departments and their staff for the joint-meeting tests, in the hand-made 永修县 territory."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests.factories import UserFactory
from villages.models import Department, Staff

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour=10):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


@dataclass
class Departments:
    labour: Department  # 县人力资源和社会保障局, a county department
    land: Department  # 县自然资源局
    tubu_justice: Department  # 涂埠镇司法所, a station of 涂埠镇
    labour_clerk: object
    land_clerk: object
    justice_clerk: object


@pytest.fixture
def departments(territory):
    county = territory.county
    labour = Department.objects.create(county=county, name="县人力资源和社会保障局")
    land = Department.objects.create(county=county, name="县自然资源局")
    justice = Department.objects.create(county=county, township=territory.tubu, name="涂埠镇司法所")

    def clerk(username, department):
        user = UserFactory(username=username)
        Staff.objects.create(
            user=user, role=Staff.Role.DEPARTMENT_STAFF, county=county, department=department
        )
        return user

    return Departments(
        labour,
        land,
        justice,
        clerk("rsj_clerk", labour),
        clerk("zrzyj_clerk", land),
        clerk("sfs_tubu", justice),
    )


def client_of(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client
