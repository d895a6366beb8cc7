"""The change history of cases, parties, teams and team members, written by database triggers.

See config/history.py. Rows are snapshots of the tracked row after an insert or
update and before a delete; a change is the difference from the object's
previous row. Parties are recorded without their names, phones and encrypted ID
numbers: a row shows that a party changed, not what it became.
"""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from config.history import change_model
from disputes.cases.models import Case, Party
from disputes.teams.models import Team, TeamMember

PARTY_IDENTITY_FIELDS = ["name", "phone", "id_number_encrypted"]
# The agent who filed a case for a resident (代办) is personal data like a party; the
# query code's hash is a credential of the complainant's.
CASE_PRIVATE_FIELDS = ["agent_name", "agent_phone", "query_code_hash"]


class CaseChange(
    change_model(
        Case,
        exclude=CASE_PRIVATE_FIELDS,
        watch=[field.name for field in Case._meta.local_fields],
    )
):
    class Meta:
        verbose_name = _("case change")
        verbose_name_plural = _("case changes")
        indexes = [models.Index(fields=["pgh_obj", "pgh_id"], name="disputes_casechange_obj")]


class PartyChange(
    change_model(
        Party,
        exclude=PARTY_IDENTITY_FIELDS,
        watch=[field.name for field in Party._meta.local_fields],
    )
):
    class Meta:
        verbose_name = _("party change")
        verbose_name_plural = _("party changes")
        indexes = [models.Index(fields=["pgh_obj", "pgh_id"], name="disputes_partychange_obj")]


class TeamChange(
    # The load follows every assignment and the coverage follows the service
    # area: neither is a change someone made to the team.
    change_model(Team, exclude=["load", "coverage"])
):
    class Meta:
        verbose_name = _("team change")
        verbose_name_plural = _("team changes")
        indexes = [models.Index(fields=["pgh_obj", "pgh_id"], name="disputes_teamchange_obj")]


class TeamMemberChange(change_model(TeamMember)):
    class Meta:
        verbose_name = _("team membership change")
        verbose_name_plural = _("team membership changes")
        indexes = [models.Index(fields=["pgh_obj", "pgh_id"], name="disputes_teammemberchange_obj")]
