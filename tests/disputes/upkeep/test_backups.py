"""Backups: back up real data, wipe, restore into an empty database and find it all again.

The restore goes into a database of its own on the test cluster, created
empty for the test and dropped after it; the files go into new empty folders.
"""

import hashlib
import json
import os
import stat
import time
import uuid

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from disputes.models import Attachment, Case, CaseEvent, Party, PartyAccessLog
from disputes.upkeep.services.backups import (
    BackupError,
    backup_create,
    backups_prune,
    default_database,
    restore,
)
from tests.disputes.cases.test_bad_input import png
from tests.disputes.conftest import XINGYANG_02, api

pytestmark = pytest.mark.django_db

# The rows the test must find again, each table compared whole, row by row.
RECORDS = {
    "disputes_case": Case,
    "disputes_party": Party,
    "disputes_attachment": Attachment,
    "disputes_caseevent": CaseEvent,
    "disputes_partyaccesslog": PartyAccessLog,
}


def connect(dbname):
    database = default_database(dbname)
    connection = psycopg2.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
    )
    connection.autocommit = True
    return connection


def fetch(dbname, sql, params=()):
    connection = connect(dbname)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or None)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def table_counts(dbname):
    tables = [
        name
        for (name,) in fetch(
            dbname,
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
        )
    ]
    return {table: fetch(dbname, f'SELECT count(*) FROM "{table}"')[0][0] for table in tables}


def own_relations(dbname):
    return fetch(
        dbname,
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'S')",
    )[0][0]


@pytest.fixture
def roots(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def empty_database():
    """The name of a new, empty database on the test cluster, dropped after the test."""
    name = f"{django_settings.DATABASES['default']['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = connect("postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield name
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def the_backup(folder):
    (backup,) = folder.iterdir()
    return backup


def make_records(territory, report):
    """Two cases with parties; one accepted and resolved, with a photo, its parties read unmasked."""
    worker = api(territory.users["grid_worker"])
    first = report().data["id"]
    report(user_key="other_grid_worker", point=XINGYANG_02)
    assert (
        worker.post(
            f"/api/cases/{first}/accept/", {"note": "属实，受理", "reply": "已受理"}
        ).status_code
        == 200
    )
    uploaded = worker.post(
        f"/api/cases/{first}/attachments/",
        {"uuid": str(uuid.uuid4()), "kind": "photo", "file": SimpleUploadedFile("现场.png", png())},
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.data
    resolved = worker.post(
        f"/api/cases/{first}/resolve/",
        {"outcome": "settled", "note": "双方和解", "reply": "已调解"},
        format="json",
    )
    assert resolved.status_code == 200, resolved.data
    detail = worker.get(f"/api/cases/{first}/")
    assert detail.data["properties"]["parties"][0]["name"] == "张三"  # unmasked, so logged


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_back_up_wipe_restore_and_find_every_record_and_file_again(
    territory, report, roots, tmp_path, empty_database
):
    make_records(territory, report)
    (attachment,) = Attachment.objects.all()
    photo = attachment.file.read()
    attachment.file.close()
    assert Case.objects.count() == 2 and Party.objects.count() == 4
    assert CaseEvent.objects.count() >= 4 and PartyAccessLog.objects.exists()
    original = django_settings.DATABASES["default"]["NAME"]
    rows = {table: fetch(original, f"SELECT * FROM {table} ORDER BY id") for table in RECORDS}
    counts = table_counts(original)

    call_command("backup", tmp_path / "backups")

    backup = the_backup(tmp_path / "backups")
    assert backup.name.startswith("backup-")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700  # it holds personal data
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["name"] == original
    assert manifest["database"]["pg_dump_version"].startswith("pg_dump (PostgreSQL) 15")
    dump = (backup / "database.dump").read_bytes()
    assert manifest["database"]["dump"]["sha256"] == hashlib.sha256(dump).hexdigest()
    assert dump.startswith(b"PGDMP")  # the custom format
    listed = (backup / "files.sha256").read_text()
    assert f"{hashlib.sha256(photo).hexdigest()}  files/" in listed
    assert attachment.file.name in listed

    # Wipe: a new empty database and new empty file folders.
    roots.PRIVATE_MEDIA_ROOT = tmp_path / "new-private"
    roots.MEDIA_ROOT = tmp_path / "new-media"
    assert own_relations(empty_database) == 0

    call_command("restore", backup, dbname=empty_database)

    for table, model in RECORDS.items():
        restored = fetch(empty_database, f"SELECT * FROM {table} ORDER BY id")
        assert restored == rows[table], table
        key = "uuid" if table in ("disputes_case", "disputes_attachment") else "id"
        assert {str(row[0]) for row in fetch(empty_database, f"SELECT {key} FROM {table}")} == {
            str(getattr(record, key)) for record in model.objects.all()
        }
    assert table_counts(empty_database) == counts
    ((name,),) = fetch(empty_database, "SELECT file FROM disputes_attachment")
    restored_file = attachment.file.storage.path(name)
    assert restored_file.startswith(str(tmp_path / "new-"))
    with open(restored_file, "rb") as restored_photo:
        assert restored_photo.read() == photo

    # Again over the restored database: only with --force, which replaces what the backup holds.
    with pytest.raises(CommandError, match="already has"):
        call_command("restore", backup, dbname=empty_database)
    call_command("restore", backup, dbname=empty_database, force=True)
    assert table_counts(empty_database) == counts


def test_restore_refuses_a_database_that_has_tables_and_changes_nothing(
    territory, report, roots, tmp_path
):
    call_command("backup", tmp_path / "backups")
    backup = the_backup(tmp_path / "backups")
    case_id = report().data["id"]
    roots.PRIVATE_MEDIA_ROOT = tmp_path / "new-private"
    roots.MEDIA_ROOT = tmp_path / "new-media"

    with pytest.raises(CommandError, match=r"already has .* tables.*--force"):
        call_command("restore", backup)

    assert Case.objects.filter(pk=case_id).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups"]


def test_restore_refuses_a_damaged_dump_or_file_and_changes_nothing(
    roots, tmp_path, empty_database
):
    (tmp_path / "private" / "cases").mkdir(parents=True)
    (tmp_path / "private" / "cases" / "agreement.pdf").write_bytes(b"%PDF-1.4 signed")
    call_command("backup", tmp_path / "backups")
    backup = the_backup(tmp_path / "backups")
    roots.PRIVATE_MEDIA_ROOT = tmp_path / "new-private"
    roots.MEDIA_ROOT = tmp_path / "new-media"

    copied = backup / "files" / "private" / "cases" / "agreement.pdf"
    copied.write_bytes(b"%PDF-1.4 forged")
    with pytest.raises(CommandError, match=r"agreement\.pdf does not match its checksum"):
        call_command("restore", backup, dbname=empty_database)
    copied.write_bytes(b"%PDF-1.4 signed")

    dump = backup / "database.dump"
    damaged = bytearray(dump.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    dump.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match=r"database\.dump does not match its checksum"):
        call_command("restore", backup, dbname=empty_database)

    assert own_relations(empty_database) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "private"]


def test_an_owner_without_superuser_rights_restores_into_a_database_made_for_it(
    roots, tmp_path, empty_database
):
    call_command("backup", tmp_path / "backups")
    role = f"restorer_{uuid.uuid4().hex[:8]}"
    admin = connect("postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE ROLE "{role}" LOGIN')
            cursor.execute(f'ALTER DATABASE "{empty_database}" OWNER TO "{role}"')
        fetch(empty_database, "CREATE EXTENSION postgis")  # by a superuser, beforehand

        restore(
            the_backup(tmp_path / "backups"),
            database={**default_database(empty_database), "USER": role},
        )

        owners = fetch(
            empty_database,
            "SELECT DISTINCT tableowner FROM pg_tables WHERE tablename LIKE 'disputes_%'",
        )
        assert owners == [(role,)]
        assert table_counts(empty_database) == table_counts(
            django_settings.DATABASES["default"]["NAME"]
        )
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{empty_database}" WITH (FORCE)')
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        admin.close()


def test_a_failed_backup_leaves_no_folder_behind(roots, tmp_path):
    with pytest.raises(BackupError, match='database "no_such_database" does not exist'):
        backup_create(tmp_path, database=default_database("no_such_database"))
    assert list(tmp_path.iterdir()) == []

    (tmp_path / "taken").mkdir()
    with pytest.raises(BackupError, match="already exists"):
        backup_create(tmp_path / "taken", exact=True)
    assert list(tmp_path.iterdir()) == [tmp_path / "taken"]


def test_pruning_keeps_the_newest_backups_and_nothing_else_is_touched(tmp_path):
    for stamp in ["20260301T020000Z", "20260302T020000Z", "20260303T020000Z"]:
        (tmp_path / f"backup-{stamp}").mkdir()
        (tmp_path / f"backup-{stamp}" / "manifest.json").write_text("{}")
    (tmp_path / "backup-by-hand").mkdir()
    (tmp_path / "notes.txt").write_text("keep me")
    killed = tmp_path / ".backup-20260228T020000Z.x1.partial"
    running = tmp_path / ".backup-20260303T030000Z.x2.partial"
    killed.mkdir()
    running.mkdir()
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(killed, (two_days_ago, two_days_ago))

    removed = backups_prune(tmp_path, keep=2)

    assert removed == [tmp_path / "backup-20260301T020000Z"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".backup-20260303T030000Z.x2.partial",
        "backup-20260302T020000Z",
        "backup-20260303T020000Z",
        "backup-by-hand",
        "notes.txt",
    ]
