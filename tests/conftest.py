from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import translation

from villages.services.demo_county import demo_county_build, demo_users_create

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
    """The real 永修县 built by the demo generator with its demo users, once per module,
    rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo = demo_county_build(seed=7)
        demo.logins = demo_users_create(county=demo.county)
        yield demo
        transaction.set_rollback(True)


@pytest.fixture(scope="session", autouse=True)
def flush_past_the_truncate_guards():
    """Let the flush of transactional tests truncate the append-only tables.

    The case events, the party-access log and the history tables refuse
    TRUNCATE unless the transaction set grid.flush (villages migration
    0002_audit_history); Django empties the tables after a transactional test
    with one TRUNCATE, which this prefixes with that setting, for that
    transaction only. Nothing outside the tests sets it.
    """
    operations = type(connection.ops)
    flush = operations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return flush(self, ["SELECT set_config('grid.flush', 'on', true)", *sql_list])

    operations.execute_sql_flush = execute_sql_flush
    yield
    operations.execute_sql_flush = flush
