"""Drop the single-column indexes of disputes_case that a composite index starts with.

Each was the prefix of another index (reporter: one_case_per_reporter_key (reporter_id,
uuid); county: (county_id, status, due_date) and (county_id, reported_at); township,
village, grid: (…, status); category: (category_id, reported_at)), so every lookup
they served is served as well; each cost an index update at every report. Only the
indexes are dropped: the foreign keys stay as they are (Django's AlterField would drop
and re-validate them over the whole table).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DROPPED = [
    ("disputes_case_category_id_24cf088c", "category_id"),
    ("disputes_case_county_id_29bb838d", "county_id"),
    ("disputes_case_grid_id_6110c1a7", "grid_id"),
    ("disputes_case_reporter_id_f0b7ecaf", "reporter_id"),
    ("disputes_case_township_id_cca71819", "township_id"),
    ("disputes_case_village_id_f397afac", "village_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0027_reception_status_label"),
        ("grid", "0003_generated_boundaries"),
        ("villages", "0006_departments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="category",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="disputes.category",
                        verbose_name="category",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="county",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="villages.county",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="grid",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="grid.grid",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="reporter",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reported_cases",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reporter",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="township",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="villages.township",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="village",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="villages.village",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name}",
                    reverse_sql=f"CREATE INDEX IF NOT EXISTS {name} ON disputes_case ({column})",
                )
                for name, column in DROPPED
            ],
        ),
    ]
