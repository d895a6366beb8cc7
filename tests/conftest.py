import functools
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import translation

from villages.services.demo_county import demo_county_build, demo_users_create

DATA = Path(__file__).resolve().parents[1] / "villages" / "data" / "yongxiu"
CHROMIUM = "/usr/bin/chromium"  # Debian's (scripts/test.sh installs it)


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


@pytest.fixture(scope="session")
def chromium():
    """One Debian Chromium, driven by Playwright, for every browser test of the run:
    launching it costs a second or two. Each test opens its own contexts."""
    from playwright import sync_api as playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the tests make between browser steps are still synchronous.
    with pytest.MonkeyPatch.context() as patch, playwright.sync_playwright() as p:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    """The shared Chromium; a test's contexts (cookies, storage, cache: each its own)
    are closed after it, whatever it left open."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's set-up, with the data the migrations wrote kept for every connection.

    A serialized rollback (transaction=True, serialized_rollback=True) loads back,
    before the test, the rows the migrations wrote, which Django serialized onto
    the connection object at set-up. Once Playwright's sync API has started,
    Django hands the main thread another connection object, which lacks them:
    the browser tests then ran without the seeded rows restored (only the content
    types and permissions, written again after each flush). On the class, every
    connection object finds them.
    """
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is not None:
        type(connection._connections[connection._alias])._test_serialized_contents = contents
    yield


@pytest.fixture(scope="session", autouse=True)
def flush_by_delete():
    """Empty the tables after a transactional test with DELETE rather than TRUNCATE.

    Django empties every table after a transactional test with one TRUNCATE of
    all of them: PostgreSQL gives each table, index and TOAST table new files
    and syncs the WAL at commit, 0.3 s on a quiet machine and 1-3 s on a busy
    one, after each of some 70 tests. Deleting the few rows a test left takes
    milliseconds. It runs with session_replication_role = replica (the test
    cluster's user is a superuser), so that no trigger fires: not the guards of
    the append-only tables (the case events, the party-access log, the history
    tables refuse DELETE outside a purge), nor django-pghistory's, which would
    record each deleted row. A flush that resets sequences keeps Django's
    TRUNCATE, prefixed with grid.flush, the setting that lets it past the
    guards (villages migration 0002_audit_history) for that transaction only;
    so does every flush where the user is not a superuser. Nothing outside the
    tests sets either.
    """
    operations = type(connection.ops)
    sql_flush = operations.sql_flush

    def flush_sql(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not _superuser(self.connection) or reset_sequences or allow_cascade or not tables:
            return [
                "SELECT set_config('grid.flush', 'on', true)",
                *sql_flush(
                    self,
                    style,
                    tables,
                    reset_sequences=reset_sequences,
                    allow_cascade=allow_cascade,
                ),
            ]
        return [
            "SET LOCAL session_replication_role = replica",
            *(f"DELETE FROM {self.quote_name(table)}" for table in tables),
        ]

    operations.sql_flush = flush_sql  # Django runs the list in one transaction: SET LOCAL ends
    yield
    operations.sql_flush = sql_flush


@functools.cache
def _superuser(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return cursor.fetchone()[0]
