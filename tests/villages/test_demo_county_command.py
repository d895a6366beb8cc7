import pytest
from django.core.management import call_command

from grid.models import Grid
from villages.models import County, Township

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
