"""The bulk import of a whole demo county's grid workers (the real 永修县, one per grid)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from grid.models import Grid, GridWorkerChange
from tests.disputes.people.test_people_import import HEADER, office_client, xlsx
from villages.models import Staff, StaffChange

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_a_whole_demo_countys_grid_workers(demo_county):
    grids = list(Grid.objects.filter(county=demo_county.county).select_related("village"))
    assert len(grids) > 200
    rows = [HEADER] + [
        [f"网格员{i:04d}", f"139{i:08d}", "网格员", grid.village.code, grid.code, ""]
        for i, grid in enumerate(grids)
    ]
    office = Staff.objects.get(user__username="county_office").user
    client = office_client(office)
    response = client.post("/desk/people/import/", {"file": xlsx(rows)})
    assert response.status_code == 201, response.content.decode()[:2000]
    created = response.context["rows"]
    assert len(created) == len(grids)
    _analyze_the_people_tables()
    workers = Staff.objects.filter(county=demo_county.county, mobile__startswith="139")
    assert workers.count() == len(grids)
    assert all(s.must_change_password and s.role == "grid_worker" for s in workers)
    assert Grid.workers.through.objects.filter(user__staff__in=workers).count() == len(grids)
    first_grid, (first_staff, first_password) = grids[0], created[0]
    assert first_staff.user.grids.get() == first_grid
    assert first_staff.user.check_password(first_password)
    page = response.content.decode()
    assert first_password in page and "临时密码" in page
    # Every write is in the history, with the office as the one who made it.
    inserts = StaffChange.objects.filter(pgh_obj__in=workers, pgh_label="insert")
    assert inserts.count() == len(grids)
    assert {c.pgh_context["user"] for c in inserts} == {office.pk}
    assert GridWorkerChange.objects.filter(user_id__in=workers.values("user_id")).count() == len(
        grids
    )
    # The same sheet again: the same people, updated; no new account, no new password.
    rows[1][0] = "改名网格员"
    again = client.post("/desk/people/import/", {"file": xlsx(rows)})
    assert again.status_code == 201
    assert again.context["rows"] == [] and len(again.context["updated"]) == len(grids)
    assert get_user_model().objects.filter(first_name="改名网格员").count() == 1
    assert workers.count() == len(grids)


def _analyze_the_people_tables():
    """Give the planner the counts of the rows this test's transaction holds.

    Autovacuum has seen these tables empty (every earlier test rolled its rows
    back), so the planner takes them for empty and joins 1,274 workers, users
    and staff rows by nested loops: in a whole run the count of grid workers
    below alone took over 200 s. ANALYZE inside the transaction counts its own
    uncommitted rows.
    """
    User = get_user_model()
    tables = [
        model._meta.db_table
        for model in (User, Staff, StaffChange, Grid.workers.through, GridWorkerChange)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
