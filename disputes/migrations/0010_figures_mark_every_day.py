"""Databases that had cases before the roll-ups: mark every report day, so the figures'
refresh task builds them (run `manage.py rebuild_figures` to build them at once)."""

from django.db import migrations

MARK = """
INSERT INTO disputes_figuredirtyday (county_id, day)
SELECT DISTINCT county_id, (reported_at AT TIME ZONE 'Asia/Shanghai')::date FROM disputes_case
"""


class Migration(migrations.Migration):
    dependencies = [("disputes", "0009_resolved_on_time_backfill")]

    operations = [migrations.RunSQL(MARK, migrations.RunSQL.noop)]
