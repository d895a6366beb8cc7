"""The change history the database keeps, its append-only tables, and the county office's page.

Changes made around the services (a bare update(), a save(), the admin, the
shell, a task) each leave a row saying what changed and, where known, who.
"""

import pytest
from django.db import InternalError, connection, transaction

from config.celery_app import app as celery_app
from config.history_context import command_context
from disputes.models import (
    Case,
    CaseChange,
    CaseEvent,
    Party,
    PartyAccessLog,
    PartyChange,
    Team,
    TeamChange,
    TeamMemberChange,
)
from grid.models import GridWorkerChange
from tests.disputes.conftest import api, tubu_committee
from tests.factories import UserFactory
from villages.models import (
    AccountChange,
    AccountGroupChange,
    AccountPermissionChange,
    Staff,
    StaffChange,
)

pytestmark = pytest.mark.django_db

HISTORY_TABLES = [
    model._meta.db_table
    for model in (
        CaseChange,
        PartyChange,
        TeamChange,
        TeamMemberChange,
        StaffChange,
        GridWorkerChange,
        AccountChange,
        AccountGroupChange,
        AccountPermissionChange,
    )
]
CLEAR_IDENTITY = ["张三", "李四", "13812345678", "13987654321", "360425199001011230", "王五"]


def reported(report) -> Case:
    response = report()
    assert response.status_code == 201, response.data
    return Case.objects.get(pk=response.data["id"])


def last_change(model, **filters):
    return model.objects.filter(**filters).order_by("-pgh_id").first()


def outside_any_request():
    """Forget the context of a request made earlier in the test's transaction.

    pghistory sets its context per transaction; a real request, command or task
    ends its transactions before it ends, a test's one transaction outlives them.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pghistory.context_id', '', true),"
            " set_config('pghistory.context_metadata', '', true)"
        )


# --- what is recorded ------------------------------------------------------------------------


def test_a_bare_update_of_cases_leaves_a_row_with_what_changed(report):
    case = reported(report)
    before = CaseChange.objects.filter(pgh_obj_id=case.pk).count()
    outside_any_request()
    Case.objects.filter(pk=case.pk).update(status="closed", description="改过的描述")
    change = last_change(CaseChange, pgh_obj_id=case.pk)
    assert CaseChange.objects.filter(pgh_obj_id=case.pk).count() == before + 1
    assert (change.pgh_label, change.status, change.description) == (
        "update",
        "closed",
        "改过的描述",
    )
    assert change.township_id == case.township_id
    assert change.pgh_context is None  # no request, command or task: nobody recorded


def test_a_save_outside_the_services_is_recorded_and_a_save_that_changes_nothing_is_not(report):
    case = reported(report)
    case.urgency = Case.Urgency.URGENT
    case.save(update_fields=["urgency"])
    assert last_change(CaseChange, pgh_obj_id=case.pk).urgency == "urgent"
    count = CaseChange.objects.count()
    case.save()
    assert CaseChange.objects.count() == count


def test_a_change_through_the_api_records_the_user_and_the_path(territory, report):
    case = reported(report)
    worker = territory.users["grid_worker"]
    insert = CaseChange.objects.get(pgh_obj_id=case.pk, pgh_label="insert")
    assert insert.pgh_context == {"user": worker.pk, "url": "/api/cases/"}
    response = api(worker).post(f"/api/cases/{case.pk}/accept/", {"reply": "已受理"}, format="json")
    assert response.status_code == 200, response.data
    change = last_change(CaseChange, pgh_obj_id=case.pk)
    assert change.status == "accepted"
    assert change.pgh_context == {"user": worker.pk, "url": f"/api/cases/{case.pk}/accept/"}


def test_a_staff_role_changed_in_the_admin_records_the_admin(territory, client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    staff = territory.users["other_grid_worker"].staff
    client.force_login(admin)
    response = client.post(
        f"/admin/villages/staff/{staff.pk}/change/",
        {
            "user": staff.user_id,
            "role": Staff.Role.VILLAGE_CADRE,
            "county": territory.county.pk,
            "township": territory.tubu.pk,
            "village": territory.xingyang.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = last_change(StaffChange, pgh_obj_id=staff.pk)
    assert (change.pgh_label, change.role) == ("update", "village_cadre")
    assert change.pgh_context == {
        "user": admin.pk,
        "url": f"/admin/villages/staff/{staff.pk}/change/",
    }


def test_team_changes_are_recorded_but_not_their_load(territory):
    team = tubu_committee(territory, leader=territory.users["mediator"])
    assert TeamChange.objects.filter(pgh_obj_id=team.pk, pgh_label="insert").exists()
    leader = TeamMemberChange.objects.get(team_id=team.pk)
    assert (leader.pgh_label, leader.user_id, leader.is_leader) == (
        "insert",
        territory.users["mediator"].pk,
        True,
    )
    count = TeamChange.objects.count()
    Team.objects.filter(pk=team.pk).update(load=3)
    assert TeamChange.objects.count() == count
    Team.objects.filter(pk=team.pk).update(capacity=9, name="涂埠镇调委会")
    change = last_change(TeamChange, pgh_obj_id=team.pk)
    assert (change.capacity, change.name) == (9, "涂埠镇调委会")
    team.memberships.all().delete()
    assert last_change(TeamMemberChange, team_id=team.pk).pgh_label == "delete"


def test_grid_workers_and_account_powers_are_recorded(territory):
    worker = territory.users["grid_worker"]
    grid = territory.grids["xingyang-02"]
    grid.workers.add(worker)
    assert last_change(GridWorkerChange, grid_id=grid.pk).user_id == worker.pk
    grid.workers.remove(worker)
    assert last_change(GridWorkerChange, grid_id=grid.pk).pgh_label == "delete"
    worker.is_superuser = True
    worker.save()
    assert last_change(AccountChange, pgh_obj_id=worker.pk).is_superuser is True
    count = AccountChange.objects.count()
    worker.last_login = None
    worker.save(update_fields=["last_login"])
    assert AccountChange.objects.count() == count  # logging in is no change of power
    assert AccountPermissionChange.objects.filter(user_id=worker.pk).exists()  # the fixture's
    worker.groups.create(name="审核员")
    assert last_change(AccountGroupChange, user_id=worker.pk).pgh_label == "insert"


def test_a_party_change_is_recorded_without_the_party_in_clear(report):
    case = reported(report)
    party = case.parties.get(role="complainant")
    count = PartyChange.objects.filter(pgh_obj_id=party.pk).count()
    Party.objects.filter(pk=party.pk).update(name="王五", phone="13700000000")
    change = last_change(PartyChange, pgh_obj_id=party.pk)
    assert PartyChange.objects.filter(pgh_obj_id=party.pk).count() == count + 1
    assert change.pgh_label == "update"
    names = {f.name for f in PartyChange._meta.fields}
    assert not names & {"name", "phone", "id_number_encrypted"}
    assert change.id_number_masked == "3604**********1230"


def test_no_name_phone_or_id_number_in_clear_in_any_history_table(report):
    case = reported(report)
    Party.objects.filter(case=case, role="complainant").update(name="王五")
    Party.objects.filter(case=case).delete()
    with connection.cursor() as cursor:
        for table in HISTORY_TABLES:
            cursor.execute(
                f"SELECT coalesce(string_agg(row_to_json(t)::text, ' '), '') FROM {table} t"
            )
            text = cursor.fetchone()[0]
            for clear in CLEAR_IDENTITY:
                assert clear not in text, (table, clear)


def test_a_command_is_recorded_as_the_context(territory):
    staff = territory.users["village_cadre"].staff
    with command_context(["manage.py", "shell"]):
        Staff.objects.filter(pk=staff.pk).update(role=Staff.Role.GRID_WORKER)
    assert last_change(StaffChange, pgh_obj_id=staff.pk).pgh_context == {"command": "shell"}
    outside_any_request()
    with command_context(["manage.py", "migrate"]):
        Staff.objects.filter(pk=staff.pk).update(role=Staff.Role.VILLAGE_CADRE)
    assert last_change(StaffChange, pgh_obj_id=staff.pk).pgh_context is None


@celery_app.task(name="tests.history.staff_role")
def staff_role(staff_id, role):
    Staff.objects.filter(pk=staff_id).update(role=role)


def test_a_task_is_recorded_as_the_context(territory):
    staff = territory.users["village_cadre"].staff
    staff_role.apply(args=[staff.pk, Staff.Role.GRID_WORKER])
    change = last_change(StaffChange, pgh_obj_id=staff.pk)
    assert (change.role, change.pgh_context) == (
        "grid_worker",
        {"task": "tests.history.staff_role"},
    )


# --- append-only -------------------------------------------------------------------------------


def refused(sql, params=()):
    with (
        pytest.raises(InternalError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def purge(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('grid.purge', 'on', true)")
        cursor.execute(sql, params)
        count = cursor.rowcount
        cursor.execute("SELECT set_config('grid.purge', '', true)")
    return count


@pytest.mark.parametrize(
    "table", ["disputes_caseevent", "disputes_partyaccesslog", *HISTORY_TABLES]
)
def test_truncate_is_refused(territory, table):
    refused(f"TRUNCATE {table}")


def test_the_access_log_refuses_updates_and_deletes_but_for_a_purge(territory, report):
    case = reported(report)
    api(territory.users["grid_worker"]).get(f"/api/cases/{case.pk}/")
    log = PartyAccessLog.objects.filter(case=case).first()
    refused("UPDATE disputes_partyaccesslog SET user_id = %s", [territory.users["no_role"].pk])
    refused("DELETE FROM disputes_partyaccesslog WHERE id = %s", [log.pk])
    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        PartyAccessLog.objects.filter(pk=log.pk).update(at=log.at)
    # The retention job's contract: a DELETE in a transaction that set grid.purge.
    logs = PartyAccessLog.objects.filter(case=case).count()
    assert purge("DELETE FROM disputes_partyaccesslog WHERE case_id = %s", [case.pk]) == logs
    assert not PartyAccessLog.objects.filter(case=case).exists()
    api(territory.users["grid_worker"]).get(f"/api/cases/{case.pk}/")
    refused("DELETE FROM disputes_partyaccesslog")  # the purge is over


def test_history_rows_refuse_updates_and_deletes_but_for_a_purge(territory, report):
    case = reported(report)
    tubu_committee(territory, leader=territory.users["mediator"])
    territory.users["grid_worker"].groups.create(name="审核员")
    change = CaseChange.objects.filter(pgh_obj_id=case.pk).first()
    for table in HISTORY_TABLES:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            assert cursor.fetchone()[0], table  # row triggers need rows to refuse
        refused(f"UPDATE {table} SET pgh_label = 'forged'")
        refused(f"DELETE FROM {table}")
    assert purge("DELETE FROM disputes_casechange WHERE pgh_id = %s", [change.pk]) == 1


def test_case_events_still_refuse_deletes_even_under_a_purge(report):
    case = reported(report)
    event = CaseEvent.objects.filter(case=case).first()
    with pytest.raises(InternalError, match="append-only"):
        purge("DELETE FROM disputes_caseevent WHERE id = %s", [event.pk])
