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
    "Party",
    "PartyAccessLog",
    "Pillar",
    "Team",
    "TeamMember",
]
