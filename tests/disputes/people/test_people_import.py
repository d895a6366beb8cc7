"""The bulk import of people: every role, every kind of bad row, files that cannot be read."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from disputes.teams.models import TeamMember
from tests.disputes.conftest import tubu_committee
from tests.disputes.people.test_people_pages import other_county_staff  # noqa: F401 (fixture)
from villages.models import Staff, StaffChange

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "手机号", "角色", "区域代码", "网格代码", "调解组织"]


def xlsx(rows) -> SimpleUploadedFile:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("people.xlsx", out.getvalue())


def gb18030_csv(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile("people.csv", out.getvalue().encode("gb18030"))


def office_client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_csv_in_gb18030_with_every_role_and_a_team(territory):
    team = tubu_committee(territory)
    rows = [
        ["姓名", "手机号", "角色", "区域代码", "调解组织"],
        ["周领导", "13907921001", "乡镇领导", "360425100", ""],
        ["吴干部", "13907921002", "村(社区)干部", "360425100201", ""],
        ["郑网格", "13907921003", "grid_worker", "360425100201", ""],
        ["冯调解", "13907921004", "调解员", "360425100", "涂埠镇人民调解委员会"],
    ]
    response = office_client(territory.users["county_office"]).post(
        "/desk/people/import/", {"file": gb18030_csv(rows)}
    )
    assert response.status_code == 201, response.content.decode()[:3000]
    assert Staff.objects.get(mobile="13907921001").township == territory.tubu
    assert Staff.objects.get(mobile="13907921002").village == territory.xingyang
    mediator = Staff.objects.get(mobile="13907921004")
    assert TeamMember.objects.filter(team=team, user=mediator.user).exists()


def test_every_kind_of_bad_row_is_reported_and_nothing_is_written(
    territory,
    other_county_staff,  # noqa: F811
):
    tubu_committee(territory)
    rows = [
        HEADER,
        ["好人", "13907922001", "网格员", "360425100201", "360425100201-01", ""],
        ["坏手机", "1390792", "网格员", "360425100201", "", ""],
        ["坏角色", "13907922003", "队长", "360425100201", "", ""],
        ["越级", "13907922004", "县级", "", "", ""],
        ["外县", "13907922005", "村干部", "360402100001", "", ""],
        ["错网格", "13907922006", "网格员", "360425100202", "360425100201-01", ""],
        ["无组织", "13907922007", "调解员", "360425100", "", "不存在调解室"],
        ["重复", "13907922001", "网格员", "360425100201", "", ""],
        ["他县人", other_county_staff.mobile, "网格员", "360425100201", "", ""],
        ["", "13907922010", "网格员", "360425100201", "", ""],
        ["无网格", "13907922011", "网格员", "", "360425199999-01", ""],
    ]
    users_before = get_user_model().objects.count()
    history_before = StaffChange.objects.count()
    response = office_client(territory.users["county_office"]).post(
        "/desk/people/import/", {"file": xlsx(rows)}
    )
    assert response.status_code == 400
    problems = [str(p) for p in response.context["problems"]]
    page = response.content.decode()
    expected = {
        3: "不是手机号",
        4: "未知角色",
        5: "县级不能设置",
        6: "没有村(社区) 360402100001",
        7: "不在南洲村委会",
        8: "没有名为“不存在调解室”的调解组织",
        9: "首次出现在第 2 行",
        10: "属于其他县的人员",
        11: "姓名为空",
        12: "没有网格 360425199999-01",
    }
    for row, message in expected.items():
        assert any(p.startswith(f"第 {row} 行") and message in p for p in problems), (row, problems)
    assert not any(p.startswith("第 2 行") for p in problems)
    assert "未导入任何数据" in page
    assert get_user_model().objects.count() == users_before
    assert StaffChange.objects.count() == history_before
    assert not Staff.objects.filter(mobile="13907922001").exists()


def test_missing_columns_and_unreadable_files(territory):
    client = office_client(territory.users["county_office"])
    response = client.post(
        "/desk/people/import/", {"file": xlsx([["姓名", "电话", "角色"], ["某人", "1", "网格员"]])}
    )
    assert response.status_code == 400
    message = str(response.context["problems"][0])
    assert message.startswith("第 1 行") and "手机号" in message and "区域代码/网格代码" in message
    response = client.post(
        "/desk/people/import/", {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x81\x30")}
    )
    assert response.status_code == 400
    assert client.post("/desk/people/import/", {}).status_code == 400
    broken_xlsx = SimpleUploadedFile("x.xlsx", b"PK\x03\x04not really a workbook")
    response = client.post("/desk/people/import/", {"file": broken_xlsx})
    assert response.status_code == 400
    assert "不是可读取的 XLSX 工作簿" in str(response.context["problems"][0])


def test_a_long_list_of_problems_says_how_many_more(territory):
    rows = [HEADER] + [[f"人{i}", "123", "网格员", "360425100201", "", ""] for i in range(250)]
    response = office_client(territory.users["county_office"]).post(
        "/desk/people/import/", {"file": xlsx(rows)}
    )
    assert response.status_code == 400
    assert len(response.context["problems"]) == 200
    assert "另有 50 个问题" in response.content.decode()
