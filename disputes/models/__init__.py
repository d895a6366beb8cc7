from disputes.models.cases import (
    LEVEL_ORDER,
    Attachment,
    Case,
    CaseEvent,
    Category,
    Holiday,
    Level,
    Party,
    PartyAccessLog,
)
from disputes.models.supervision import Notification, SupervisionNotice
from disputes.models.teams import (
    THREE_PILLARS,
    Assignment,
    MediationSession,
    Pillar,
    Team,
    TeamMember,
)

__all__ = [
    "LEVEL_ORDER",
    "THREE_PILLARS",
    "Assignment",
    "Attachment",
    "Case",
    "CaseEvent",
    "Category",
    "Holiday",
    "Level",
    "MediationSession",
    "Notification",
    "Party",
    "PartyAccessLog",
    "Pillar",
    "SupervisionNotice",
    "Team",
    "TeamMember",
]
