from disputes.audit.models import CaseChange, PartyChange, TeamChange, TeamMemberChange
from disputes.cases.models import (
    LEVEL_ORDER,
    Attachment,
    Case,
    CaseEvent,
    Category,
    FigureDirtyDay,
    Holiday,
    Level,
    MediationSession,
    Party,
    PartyAccessLog,
)
from disputes.core.models import OutboxTask
from disputes.open311.models import Open311Client
from disputes.oversight.models import Notification, SupervisionNotice, ZeroReport
from disputes.reporting.models import (
    Bulletin,
    CaseDayFigure,
    CaseDayTownshipFigure,
    Export,
    JobStatus,
)
from disputes.residents.models import MailboxLeader
from disputes.teams.models import (
    THREE_PILLARS,
    Assignment,
    Pillar,
    Team,
    TeamMember,
)

__all__ = [
    "LEVEL_ORDER",
    "THREE_PILLARS",
    "Assignment",
    "Attachment",
    "Bulletin",
    "Case",
    "CaseChange",
    "CaseDayFigure",
    "CaseDayTownshipFigure",
    "CaseEvent",
    "Category",
    "Export",
    "FigureDirtyDay",
    "Holiday",
    "JobStatus",
    "Level",
    "MailboxLeader",
    "MediationSession",
    "Notification",
    "Open311Client",
    "OutboxTask",
    "Party",
    "PartyAccessLog",
    "PartyChange",
    "Pillar",
    "SupervisionNotice",
    "Team",
    "TeamChange",
    "TeamMember",
    "TeamMemberChange",
    "ZeroReport",
]
