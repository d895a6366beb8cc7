"""Departments of 永修县 for 转办: two county departments (县直部门), a justice station (司法所)
in each of 涂埠镇 and 吴城镇, one clerk each, and a case held by 涂埠镇."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission

from disputes.models import Case
from tests.disputes.conftest import api
from tests.factories import UserFactory
from villages.models import Department, Staff

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI), tick=False
    )


@dataclass
class Departments:
    labour: Department  # 县人力资源和社会保障局
    land: Department  # 县自然资源局
    tubu_station: Department  # 涂埠镇司法所
    wucheng_station: Department  # 吴城镇司法所
    clerks: dict  # department short name -> user


@pytest.fixture
def departments(territory):
    county = territory.county
    labour = Department.objects.create(county=county, name="县人力资源和社会保障局")
    land = Department.objects.create(county=county, name="县自然资源局")
    tubu_station = Department.objects.create(
        county=county, township=territory.tubu, name="涂埠镇司法所"
    )
    wucheng_station = Department.objects.create(
        county=county, township=territory.wucheng, name="吴城镇司法所"
    )
    identity = Permission.objects.get(codename="view_party_identity")
    clerks = {}
    for key, department in (
        ("labour", labour),
        ("land", land),
        ("tubu_station", tubu_station),
        ("wucheng_station", wucheng_station),
    ):
        user = UserFactory(username=f"clerk_{key}")
        Staff.objects.create(
            user=user, role=Staff.Role.DEPARTMENT_STAFF, county=county, department=department
        )
        user.user_permissions.add(identity)
        clerks[key] = user
    return Departments(labour, land, tubu_station, wucheng_station, clerks)


def escalate_to_township(territory, case_id: int) -> Case:
    for holder in ("grid_worker", "village_cadre"):
        response = api(territory.users[holder]).post(
            f"/api/cases/{case_id}/escalate/", {"reason": "调解不了"}, format="json"
        )
        assert response.status_code == 200, response.data
    return Case.objects.get(pk=case_id)


@pytest.fixture
def township_case(report, territory):
    """A case reported in 兴杨 grid 01 on 2026-03-02 and escalated to 涂埠镇 (still reported)."""
    with at(date(2026, 3, 2)):
        return escalate_to_township(territory, report().data["id"])
