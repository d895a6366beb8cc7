"""What the benchmarks share: their own database on the project-local PostgreSQL,
the demo county in it, and cases filled in by SQL."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from config.settings.local_services import SOCKET_DIR  # noqa: E402

# One database for the benchmarks; GRID_BENCH_DB gives another, for a bench whose
# figures depend on how many cases there are (fill_cases only ever adds).
BENCH_DB = os.environ.get("GRID_BENCH_DB", "grid_bench")
os.environ["DATABASE_URL"] = f"postgis://postgres@/{SOCKET_DIR}/{BENCH_DB}"


def ensure_database():
    import psycopg2

    connection = psycopg2.connect(host=str(SOCKET_DIR), user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {BENCH_DB}")
    connection.close()


def demo_county():
    """Migrate the bench database and build the demo county once; the demo grid worker."""
    import django

    django.setup()
    from django.core.management import call_command

    from grid.models import Grid
    from villages.models import County
    from villages.services.demo_county import demo_county_build, demo_users_create

    ensure_database()
    call_command("migrate", verbosity=0)
    if not County.objects.exists():
        demo = demo_county_build(seed=1)
        demo_users_create(county=demo.county)
    return Grid.objects.filter(workers__username="grid_worker").first().workers.get()


def fill_cases(cases: int, reporter_id: int) -> int:
    """Add cases by SQL until there are `cases`; returns how many there are."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM disputes_case")
        missing = cases - cursor.fetchone()[0]
        if missing > 0:
            cursor.execute(FILL_SQL, {"n": missing, "reporter": reporter_id})
            cursor.execute("ANALYZE disputes_case")
        cursor.execute("SELECT count(*) FROM disputes_case")
        return cursor.fetchone()[0]


# Cases spread over the county's grids, over the last year, in every state:
# clustered around a point of each grid (up to ~300 m off), not uniform.
FILL_SQL = """
WITH g AS (SELECT id, village_id, township_id, county_id, boundary,
                  row_number() OVER (ORDER BY random()) AS k, count(*) OVER () AS total
             FROM grid_grid),
s AS (SELECT i, 1 + (i %% (SELECT count(*) FROM grid_grid)) AS k FROM generate_series(1, %(n)s) i)
INSERT INTO disputes_case (uuid, request_hash, channel, reporter_id, occurred_at, reported_at,
    location, accuracy_m, address, grid_id, village_id, township_id, county_id, category_id,
    people_involved, description, urgency, status, level, outcome, satisfaction, due_date,
    deadline_kind, deadline_basis, extended_days, reviews)
SELECT gen_random_uuid(), '', 'patrol', %(reporter)s, now() - (s.i %% 365) * interval '1 day',
       now() - (s.i %% 365) * interval '1 day',
       ST_Translate(ST_PointOnSurface(g.boundary),
                    (random() - 0.5) * random() * 0.006, (random() - 0.5) * random() * 0.006),
       10, '', g.id, g.village_id, g.township_id, g.county_id,
       (SELECT id FROM disputes_category ORDER BY id OFFSET s.i %% 11 LIMIT 1),
       2, 'bench', 'normal',
       (ARRAY['reported','accepted','in_handling','resolved','closed'])[1 + s.i %% 5],
       'grid', '', '', current_date + (s.i %% 60), 'handling', '{}', 0, 0
  FROM s JOIN g ON g.k = s.k
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int):
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--env",
            "DJANGO_SETTINGS_MODULE=config.settings.local",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")
