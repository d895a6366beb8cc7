"""Cases resolved before resolved_on_time existed: judge them by the handling limit.

The deadline a case had when it was resolved was not kept, so this takes the
acceptance date plus the 60-day handling limit and any extension, in calendar
days: right for the default settings, an estimate under working days. Their
report days are marked so that the figures' roll-ups are rebuilt.
"""

from django.db import migrations

BACKFILL = """
WITH judged AS (
    UPDATE disputes_case
       SET resolved_on_time = (resolved_at AT TIME ZONE 'Asia/Shanghai')::date
                              <= (accepted_at AT TIME ZONE 'Asia/Shanghai')::date + 60 + extended_days
     WHERE resolved_at IS NOT NULL AND resolved_on_time IS NULL AND accepted_at IS NOT NULL
 RETURNING county_id, (reported_at AT TIME ZONE 'Asia/Shanghai')::date AS day
)
INSERT INTO disputes_figuredirtyday (county_id, day) SELECT DISTINCT county_id, day FROM judged
"""


class Migration(migrations.Migration):
    dependencies = [("disputes", "0008_figure_marks_append_only")]

    operations = [migrations.RunSQL(BACKFILL, migrations.RunSQL.noop)]
