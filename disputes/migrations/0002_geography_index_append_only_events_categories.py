from django.db import migrations

from disputes.cases.services.categories import categories_seed

def seed_categories(apps, schema_editor):
    categories_seed(apps.get_model("disputes", "Category"))


APPEND_ONLY = """
CREATE FUNCTION disputes_caseevent_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'case events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER disputes_caseevent_append_only
  BEFORE UPDATE OR DELETE ON disputes_caseevent
  FOR EACH ROW EXECUTE FUNCTION disputes_caseevent_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER disputes_caseevent_append_only ON disputes_caseevent;
DROP FUNCTION disputes_caseevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial")]

    operations = [
        # Distances in metres (ST_DWithin on geography) use this index.
        migrations.RunSQL(
            "CREATE INDEX disputes_case_location_geog ON disputes_case USING gist ((location::geography))",
            "DROP INDEX disputes_case_location_geog",
        ),
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
        migrations.RunPython(seed_categories, migrations.RunPython.noop),
    ]
