"""PostgreSQL's own log keeps no text of failed statements: they carry case descriptions."""

import uuid

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from config.settings.local_services import DATA_DIR

pytestmark = pytest.mark.django_db

SERVER_LOG = DATA_DIR / "pg" / "server.log"


def show(name):
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_the_cluster_logs_neither_failed_statements_nor_their_rows():
    assert show("log_min_error_statement") == "panic"
    assert show("log_error_verbosity") == "terse"
    assert show("log_statement") == "none"
    assert show("log_min_duration_statement") == "-1"


def test_a_failed_statement_leaves_no_case_text_in_the_server_log():
    if not SERVER_LOG.is_file():
        pytest.skip(f"no server log at {SERVER_LOG}")
    marker = f"邻居占用宅基地-{uuid.uuid4()}"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE leak_probe (description text, people int CHECK (people > 0))"
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("INSERT INTO leak_probe VALUES (%s, -1)", [marker])
        with pytest.raises(DataError), transaction.atomic():
            cursor.execute("SELECT %s::text, 1 / 0", [marker])
    assert marker not in SERVER_LOG.read_text(encoding="utf-8", errors="replace")
