"""The links of zero reports and joint meetings to their cases carry the county.

The two many-to-many tables become explicit models on the same tables (no
copy): a county column filled from the report or meeting, and the unique
(report, case) becomes (county, report, case), as Citus requires to co-locate
them with the cases (docs/scale.md).
"""

import django.db.models.deletion
from django.db import migrations, models

LINKS = [
    # (model, table, column of the owner, owner table, old unique constraint)
    (
        "zeroreportcase",
        "disputes_zeroreport_cases",
        "zeroreport_id",
        "disputes_zeroreport",
        "disputes_zeroreport_cases_zeroreport_id_case_id_a7e03469_uniq",
    ),
    (
        "jointmeetingcase",
        "disputes_jointmeeting_cases",
        "jointmeeting_id",
        "disputes_jointmeeting",
        "disputes_jointmeeting_ca_jointmeeting_id_case_id_0866f426_uniq",
    ),
]


def _link_state(name, owner, table):
    return migrations.CreateModel(
        name=name,
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "case",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="disputes.case",
                ),
            ),
            (
                owner,
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to=f"disputes.{owner}",
                ),
            ),
        ],
        options={"db_table": table},
    )


def _county(null):
    return models.ForeignKey(
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="villages.county",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0029_county_in_unique_constraints"),
        ("villages", "0006_departments"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                _link_state("JointMeetingCase", "jointmeeting", "disputes_jointmeeting_cases"),
                migrations.AlterField(
                    model_name="jointmeeting",
                    name="cases",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="joint_meetings",
                        through="disputes.JointMeetingCase",
                        to="disputes.case",
                        verbose_name="cases discussed",
                    ),
                ),
                _link_state("ZeroReportCase", "zeroreport", "disputes_zeroreport_cases"),
                migrations.AlterField(
                    model_name="zeroreport",
                    name="cases",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="zero_reports",
                        through="disputes.ZeroReportCase",
                        to="disputes.case",
                        verbose_name="cases found",
                    ),
                ),
            ]
        ),
        *[migrations.AddField(model, "county", _county(null=True)) for model, *_ in LINKS],
        *[
            migrations.RunSQL(
                f"UPDATE {table} SET county_id = owner.county_id FROM {owner_table} owner "
                f"WHERE owner.id = {table}.{column}; "
                # Run the deferred foreign-key checks now: ALTER TABLE refuses pending ones.
                "SET CONSTRAINTS ALL IMMEDIATE",
                migrations.RunSQL.noop,
            )
            for _model, table, column, owner_table, _old in LINKS
        ],
        *[migrations.AlterField(model, "county", _county(null=False)) for model, *_ in LINKS],
        *[
            migrations.RunSQL(
                f"ALTER TABLE {table} DROP CONSTRAINT {old}",
                f"ALTER TABLE {table} ADD CONSTRAINT {old} UNIQUE ({column}, case_id)",
            )
            for _model, table, column, _owner, old in LINKS
        ],
        migrations.AddConstraint(
            model_name="jointmeetingcase",
            constraint=models.UniqueConstraint(
                fields=("county", "jointmeeting", "case"), name="meeting_case_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="zeroreportcase",
            constraint=models.UniqueConstraint(
                fields=("county", "zeroreport", "case"), name="zero_report_case_once"
            ),
        ),
    ]
