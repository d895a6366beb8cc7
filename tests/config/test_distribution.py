"""The schema is ready to be spread over many machines by county (docs/scale.md).

A province or the country runs on Citus: the large tables are distributed by
`county_id` and co-located (a county's case, parties, events ... on one node),
the small ones that every county reads are reference tables (a copy on every
node). Citus then requires that

- every distributed table carries the distribution column, never NULL;
- every unique constraint or index of a distributed table includes it (a
  node can only check uniqueness among its own rows);
- a foreign key between two distributed tables includes it on both sides,
  (county_id, x_id) -> (county_id, id); a reference table never points at a
  distributed one.

The primary key `id` alone is the exception allowed here: one sequence makes
it unique across counties on one machine, and a deployment replaces it with
(county_id, id) when it distributes the table (the statements below, listed in
docs/scale.md), which also gives the composite foreign keys their target. We
do not add a unique (county_id, id) on this machine: an index more on every
case would be written on every report for no use until then.

Every table of our apps is classified below; a new table fails the test until
someone decides where it goes.
"""

from pathlib import Path

from django.apps import apps
from django.db import models

OUR_APPS = ("villages", "grid", "maps", "disputes")

# Distributed by county_id, co-located with the cases: what grows with the reports.
DISTRIBUTED = {
    "disputes.Case",
    "disputes.Party",
    "disputes.Attachment",
    "disputes.CaseEvent",
    "disputes.PartyAccessLog",
    "disputes.MediationSession",
    "disputes.Assignment",
    "disputes.SupervisionNotice",
    "disputes.ZeroReport",
    "disputes.ZeroReportCase",
    "disputes.CaseDayFigure",
    "disputes.CaseDayTownshipFigure",
    "disputes.CaseDayCountyFigure",
    "disputes.FigureDirtyDay",
    "disputes.Routing",
    "disputes.Referral",
    "disputes.CaseLeader",
    "disputes.JointMeeting",
    "disputes.JointMeetingCase",
    "disputes.MeetingDecision",
    "disputes.MajorProject",
    "disputes.ProjectFollowUp",
    "disputes.ProjectCase",
    "disputes.HotspotAlert",
    "disputes.ReceptionSchedule",
    "disputes.ReceptionSession",
    "disputes.Appointment",
    "disputes.ReceptionVisit",
    "disputes.CaseChange",
    "disputes.PartyChange",
    "disputes.Export",
    "disputes.Bulletin",
    "disputes.AssessmentTarget",
}

# A copy on every node: the divisions, the people who work in them and the
# catalogues, read by every county's queries and written rarely.
REFERENCE = {
    "villages.County",
    "villages.Township",
    "villages.Village",
    "villages.Department",
    "villages.Staff",
    "villages.StaffChange",
    "villages.Account",
    "villages.AccountChange",
    "villages.AccountGroup",
    "villages.AccountGroupChange",
    "villages.AccountPermission",
    "villages.AccountPermissionChange",
    "grid.Grid",
    "grid.Grid_workers",
    "grid.GridWorker",
    "grid.GridWorkerChange",
    "disputes.Category",
    "disputes.Holiday",
    "disputes.Team",
    "disputes.Team_categories",
    "disputes.TeamMember",
    "disputes.TeamChange",
    "disputes.TeamMemberChange",
    "disputes.CategoryRoute",
    "disputes.Open311Client",
    "disputes.MailboxLeader",
}

# Distributed by user_id: a user's bell is read by user and by nothing else;
# a notification can come from any unit the user answers to.
BY_USER = {"disputes.Notification": "user"}

# On the coordinator only: the outbox is written in the change's transaction and
# emptied by one process, like a queue.
LOCAL = {"disputes.OutboxTask"}

# Foreign keys a deployment drops because Citus cannot hold them: a table
# distributed by user pointing into the county's tables.
UNENFORCED_FOREIGN_KEYS = {("disputes.Notification", "notice")}


def our_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in OUR_APPS
    ]


def county_field(model):
    for field in model._meta.concrete_fields:
        if field.column == "county_id":
            return field
    return None


def unique_column_sets(model):
    """Every set of columns of `model` that must be unique, but its primary key."""
    meta = model._meta
    column = {field.name: field.column for field in meta.concrete_fields}
    for field in meta.concrete_fields:
        if field.unique and not field.primary_key:
            yield f"field {field.name}", {field.column}
    for names in meta.unique_together:
        yield f"unique_together {names}", {column[name] for name in names}
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            yield f"constraint {constraint.name}", {column[name] for name in constraint.fields}
        elif isinstance(constraint, models.UniqueConstraint):
            yield f"constraint {constraint.name} (expressions)", set()
    for index in meta.indexes:
        if getattr(index, "unique", False):  # pragma: no cover - none today
            yield f"index {index.name}", set(index.fields)


def foreign_keys(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, models.ForeignKey)]


def test_every_table_of_ours_is_classified_once():
    labels = {model._meta.label for model in our_models()}
    kinds = [DISTRIBUTED, REFERENCE, set(BY_USER), LOCAL]
    unclassified = labels - set().union(*kinds)
    assert not unclassified, f"decide whether these are distributed or reference: {unclassified}"
    assert set().union(*kinds) <= labels, "a classified table no longer exists"
    assert sum(len(kind) for kind in kinds) == len(set().union(*kinds)), "classified twice"


def test_every_distributed_table_carries_its_county():
    missing = []
    for model in our_models():
        if model._meta.label not in DISTRIBUTED:
            continue
        field = county_field(model)
        if field is None or field.null or field.related_model._meta.label != "villages.County":
            missing.append(model._meta.label)
    assert not missing, f"no non-null county_id to distribute by: {missing}"


def test_every_unique_constraint_of_a_distributed_table_includes_the_county():
    wrong = []
    for model in our_models():
        if model._meta.label in DISTRIBUTED:
            wrong += [
                f"{model._meta.label}: {what}"
                for what, columns in unique_column_sets(model)
                if "county_id" not in columns
            ]
        elif model._meta.label in BY_USER:
            column = f"{BY_USER[model._meta.label]}_id"
            wrong += [
                f"{model._meta.label}: {what}"
                for what, columns in unique_column_sets(model)
                if column not in columns
            ]
    assert not wrong, f"unique without the distribution column: {wrong}"


def test_foreign_keys_can_include_the_county():
    wrong = []
    for model in our_models():
        label = model._meta.label
        for field in foreign_keys(model):
            target = field.related_model._meta.label
            if (label, field.name) in UNENFORCED_FOREIGN_KEYS:
                assert target in DISTRIBUTED
                continue
            if target in DISTRIBUTED and label not in DISTRIBUTED:
                wrong.append(f"{label}.{field.name} -> {target}: only a distributed table may")
            if target in DISTRIBUTED and label in DISTRIBUTED and county_field(model) is None:
                wrong.append(f"{label}.{field.name} -> {target}: no county to join on")
            if target in BY_USER or target in LOCAL:
                wrong.append(f"{label}.{field.name} -> {target}: not co-located")
    assert not wrong, wrong


def citus_statements() -> list[str]:
    """The statements a Citus deployment runs on a migrated database, in order."""
    by_label = {model._meta.label: model for model in our_models()}

    def table(label):
        return by_label[label]._meta.db_table

    distributed = sorted(DISTRIBUTED, key=table)
    composite = sorted(
        (table(label), field.column, field.related_model._meta.db_table)
        for label in distributed
        for field in foreign_keys(by_label[label])
        if field.related_model._meta.label in DISTRIBUTED
    )
    statements = []
    # 1. The foreign keys between distributed tables, and the one into them from the
    # user-distributed notifications, go: they come back as composite keys in step 4.
    for label, field_name in sorted(UNENFORCED_FOREIGN_KEYS):
        field = by_label[label]._meta.get_field(field_name)
        statements.append(_drop_foreign_key(table(label), field.column))
    statements += [_drop_foreign_key(source, column) for source, column, _ in composite]
    # 2. The primary key of a distributed table includes the county.
    statements += [
        f"ALTER TABLE {table(label)} DROP CONSTRAINT {table(label)}_pkey, "
        f"ADD PRIMARY KEY (county_id, id);"
        for label in distributed
    ]
    # 3. Reference tables first (the distributed ones point at them), then the cases,
    # then everything co-located with the cases.
    statements += [
        f"SELECT create_reference_table('{table(label)}');"
        for label in sorted(REFERENCE, key=table)
    ]
    statements.append("SELECT create_distributed_table('disputes_case', 'county_id');")
    statements += [
        f"SELECT create_distributed_table('{table(label)}', 'county_id', "
        f"colocate_with => 'disputes_case');"
        for label in distributed
        if table(label) != "disputes_case"
    ]
    for label, column in BY_USER.items():
        statements.append(
            f"SELECT create_distributed_table('{table(label)}', '{column}_id', "
            f"colocate_with => 'none');"
        )
    statements += [
        f"SELECT citus_add_local_table_to_metadata('{table(label)}');" for label in sorted(LOCAL)
    ]
    # 4. The foreign keys between distributed tables again, with the county.
    statements += [
        f"ALTER TABLE {source} ADD FOREIGN KEY (county_id, {column}) "
        f"REFERENCES {target} (county_id, id);"
        for source, column, target in composite
    ]
    return statements


def _drop_foreign_key(table: str, column: str) -> str:
    return (
        f"SELECT format('ALTER TABLE {table} DROP CONSTRAINT %I;', conname) FROM pg_constraint "
        f"WHERE conrelid = '{table}'::regclass AND contype = 'f' "
        f"AND conkey = ARRAY[(SELECT attnum FROM pg_attribute "
        f"WHERE attrelid = '{table}'::regclass AND attname = '{column}')] \\gexec"
    )


def test_docs_list_the_statements_a_deployment_runs():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "scale.md").read_text()
    missing = [statement for statement in citus_statements() if statement not in docs]
    assert not missing, f"docs/scale.md lacks {len(missing)} statements, first: {missing[0]}"
