"""A background CSV export of a whole county beside PostgreSQL's own COPY of the same columns.

    bash scripts/bench.sh exports --cases 1000000 --runs 3

In the bench database (see common.py): fills cases up to --cases and gives
every case without parties a complainant and a respondent (by SQL). Then,
--runs times each, in this one process:
- the export task of the county office (disputes.reporting.services.exports.
  export_run, CSV, no filters: every case of the county) writes its file to
  storage; its rows/s, and how much the process's peak resident memory grew
  while it ran (VmHWM, reset through /proc/self/clear_refs before each run);
- `COPY (…) TO STDOUT WITH CSV` through psycopg2 of the same rows and columns:
  the export's own query (scope, joins, the columns it reads) with the
  parties' names of each case aggregated beside it, read to the end and
  thrown away.
One line (best run of each, and the spread):

    bench=exports cases=... rows=... runs=... export_s=... export_rows_s=... export_spread_s=... \\
copy_s=... copy_rows_s=... copy_spread_s=... export_over_copy=... mb=... rss_growth_mb=...
"""

import argparse
import re
import time
from pathlib import Path

from common import demo_county, fill_cases

PARTIES_SQL = """
INSERT INTO disputes_party (role, name, phone, id_number_masked, id_number_hash,
                            id_number_encrypted, name_phone_hash, case_id, county_id)
SELECT r.role, r.name, '13812345678', '', '', '', '', c.id, c.county_id
  FROM disputes_case c
 CROSS JOIN (VALUES ('complainant', '张三'), ('respondent', '李四')) r(role, name)
 WHERE NOT EXISTS (SELECT 1 FROM disputes_party p WHERE p.case_id = c.id)
"""


def _status_kb(field: str) -> int:
    return int(re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))


class Counter:
    """A file that only counts what is written to it."""

    def __init__(self):
        self.bytes = 0

    def write(self, data):
        self.bytes += len(data)
        return len(data)


def copy_sql(cases) -> str:
    """The export's own query of the cases, with each case's parties' names beside it."""
    from django.db import connection
    from django.db.models import FloatField, Func

    from disputes.reporting.services.export_files import _FIELDS

    query = cases.annotate(
        lon=Func("location", function="ST_X", output_field=FloatField()),
        lat=Func("location", function="ST_Y", output_field=FloatField()),
    ).values_list(*_FIELDS)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        inner = cursor.mogrify(sql, params).decode()
    return f"""COPY (
      SELECT e.*,
             (SELECT string_agg(p.name, '、' ORDER BY p.id) FROM disputes_party p
               WHERE p.case_id = e.id AND p.role = 'complainant'),
             (SELECT string_agg(p.name, '、' ORDER BY p.id) FROM disputes_party p
               WHERE p.case_id = e.id AND p.role = 'respondent')
        FROM ({inner}) e(id)
    ) TO STDOUT WITH CSV HEADER"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    worker = demo_county()
    cases = fill_cases(args.cases, worker.pk)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import QueryDict

    from disputes.models import Export, JobStatus
    from disputes.reporting.services import exports
    from disputes.reporting.services.export_files import case_export_queryset

    with connection.cursor() as cursor:
        cursor.execute(PARTIES_SQL)
        if cursor.rowcount:
            cursor.execute("ANALYZE disputes_party")
    office = get_user_model().objects.get(username="county_office")

    export_runs, copy_runs, growth, size, rows = [], [], [], 0, 0
    for _run in range(args.runs):
        export = Export.objects.create(
            user=office,
            county_id=office.staff.county_id,
            format="csv",
            filters={"params": {}, "language": "zh-hans"},
        )
        Path("/proc/self/clear_refs").write_text("5")
        before = _status_kb("VmRSS")
        started = time.perf_counter()
        exports.export_run(export_id=export.pk)
        export_runs.append(time.perf_counter() - started)
        growth.append((_status_kb("VmHWM") - before) / 1024)
        export.refresh_from_db()
        if export.status != JobStatus.DONE:
            raise SystemExit(f"export failed: {export.error}")
        rows, size = export.written, export.file.size
        export.file.delete(save=False)
        export.delete()

        sql = copy_sql(case_export_queryset(user=office, params=QueryDict("")))
        raw = connection.connection  # the same connection, outside Django's cursor
        started = time.perf_counter()
        with raw.cursor() as cursor:
            cursor.copy_expert(sql, Counter(), size=2**20)
        copy_runs.append(time.perf_counter() - started)

    export_s, copy_s = min(export_runs), min(copy_runs)
    print(
        f"bench=exports cases={cases} rows={rows} runs={args.runs} "
        f"export_s={export_s:.1f} export_rows_s={rows / export_s:.0f} "
        f"export_spread_s={export_s:.1f}-{max(export_runs):.1f} "
        f"copy_s={copy_s:.1f} copy_rows_s={rows / copy_s:.0f} "
        f"copy_spread_s={copy_s:.1f}-{max(copy_runs):.1f} "
        f"export_over_copy={copy_s / export_s:.2f} mb={size / 2**20:.0f} "
        f"rss_growth_mb={max(growth):.1f}"
    )


if __name__ == "__main__":
    main()
