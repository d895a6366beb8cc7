import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from grid.models import Grid
from villages.models import County, Staff, Township
from villages.services.demo_county import DEMO_ROLES

pytestmark = pytest.mark.django_db


def test_builds_another_county_from_files_given_on_the_command_line(tmp_path, capsys):
    divisions = tmp_path / "divisions.csv"
    divisions.write_text(
        "code,name,level,parent_code\n"
        "360426,德安县,county,\n"
        "360426100,蒲亭镇,township,360426\n"
        "360426101,林泉乡,township,360426\n"
        "360426100201,北门村委会,village,360426100\n"
        "360426100202,南门村委会,village,360426100\n"
        "360426101201,林泉村委会,village,360426101\n",
        encoding="gbk",
    )
    outline = tmp_path / "outline.geojson"
    outline.write_text(
        '{"type": "Polygon", "coordinates": [[[115.6, 29.2], [115.9, 29.2], [115.9, 29.45],'
        " [115.6, 29.45], [115.6, 29.2]]]}"
    )

    call_command("build_demo_county", divisions=divisions, outline=outline, seed=1, language="en")

    assert "德安县: 2 townships, 3 villages" in capsys.readouterr().out
    county = County.objects.get(code="360426")
    assert county.boundary.extent == pytest.approx((115.6, 29.2, 115.9, 29.45))
    assert Grid.objects.filter(county=county).count() >= 9


def test_if_empty_leaves_an_existing_county_alone(capsys):
    County.objects.create(code="360425", name="永修县")
    call_command("build_demo_county", if_empty=True, language="en")
    assert "already there" in capsys.readouterr().out
    assert not Township.objects.exists()


def test_building_a_county_makes_no_users_and_logins_only_on_request(tmp_path, capsys, settings):
    divisions = tmp_path / "divisions.csv"
    divisions.write_text(
        "code,name,level,parent_code\n360426,德安县,county,\n360426100,蒲亭镇,township,360426\n"
        "360426100201,北门村委会,village,360426100\n",
        encoding="utf-8",
    )
    outline = tmp_path / "outline.geojson"
    outline.write_text(
        '{"type": "Polygon", "coordinates": [[[115.6, 29.2], [115.9, 29.2], [115.9, 29.45],'
        " [115.6, 29.45], [115.6, 29.2]]]}"
    )
    call_command("build_demo_county", divisions=divisions, outline=outline, seed=1, language="en")
    assert not get_user_model().objects.exists()

    call_command("create_demo_logins", language="en")
    out = capsys.readouterr().out
    assert "Demo logins (password: test-demo-password)" in out
    assert Staff.objects.filter(county__code="360426").count() == len(DEMO_ROLES)

    # A second county: its demo logins would move the first county's users; refused.
    County.objects.create(code="360425", name="永修县")
    with pytest.raises(CommandError, match="Nothing was imported: 6 problem"):
        call_command("create_demo_logins", county="360425", language="en")
    assert "county_office: this user works for 德安县; demo logins are not moved to 永修县" in (
        capsys.readouterr().err
    )
    assert set(Staff.objects.values_list("county__code", flat=True)) == {"360426"}

    settings.DEMO_PASSWORD = None  # as in production
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("create_demo_logins", county="360426", language="en")
    assert "demo users need DEMO_PASSWORD to be set" in capsys.readouterr().err
