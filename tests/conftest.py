from pathlib import Path

import pytest
from django.db import transaction
from django.utils import translation

from villages.services.demo_county import demo_county_build

DATA = Path(__file__).resolve().parents[1] / "villages" / "data" / "yongxiu"


@pytest.fixture
def yongxiu_divisions() -> Path:
    return DATA / "divisions.csv"


@pytest.fixture
def yongxiu_outline() -> Path:
    return DATA / "county.geojson"


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker):
    """The real 永修县 built by the demo generator, once per module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_county_build(seed=7)
        transaction.set_rollback(True)
