import pytest
from django.core.exceptions import ValidationError

from grid.models import Grid
from tests.factories import TownshipFactory, VillageFactory
from villages.models import Township, Village

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_village_code_must_start_with_its_townships():
    township = TownshipFactory()
    village = Village(code="360425101201", name="吴城村委会", township=township, kind="village")
    with pytest.raises(
        ValidationError, match=r"360425101201 is not under its parent 涂埠镇 \(360425100\)"
    ):
        village.full_clean()


def test_a_township_code_has_nine_digits():
    township = Township(code="36042510", name="涂埠镇", county=TownshipFactory().county)
    with pytest.raises(ValidationError, match="has 9 digits"):
        township.full_clean()


def test_a_village_takes_its_county_from_its_township():
    township = TownshipFactory()
    village = Village(code="360425100202", name="南洲村委会", township=township, kind="village")
    village.full_clean()
    assert village.county_id == township.county_id


def test_a_grid_code_must_name_its_village():
    village = VillageFactory()
    grid = Grid(code="360425100202-01", name="第1网格", village=village)
    with pytest.raises(ValidationError, match="not under village 360425100201"):
        grid.full_clean()


def test_a_grid_takes_township_and_county_from_its_village():
    village = VillageFactory()
    grid = Grid(code="360425100201-01", name="第1网格", village=village)
    grid.full_clean()
    assert (grid.township_id, grid.county_id) == (village.township_id, village.county_id)


def test_the_database_refuses_a_malformed_grid_code():
    village = VillageFactory()
    with pytest.raises(Exception, match="grid_code_format"):
        Grid.objects.create(
            code="兴杨-1",
            name="x",
            village=village,
            township=village.township,
            county=village.county,
        )
