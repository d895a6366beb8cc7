from disputes.alerts.models import HotspotAlert
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
from disputes.departments.models import CategoryRoute, Routing
from disputes.meetings.models import JointMeeting, JointMeetingCase, MeetingDecision
from disputes.open311.models import Open311Client
from disputes.oversight.models import (
    Notification,
    SupervisionNotice,
    ZeroReport,
    ZeroReportCase,
)
from disputes.ownership.models import CaseLeader
from disputes.reception.models import (
    Appointment,
    ReceptionSchedule,
    ReceptionSession,
    ReceptionVisit,
)
from disputes.referrals.models import Referral
from disputes.reporting.models import (
    AssessmentTarget,
    Bulletin,
    CaseDayCountyFigure,
    CaseDayFigure,
    CaseDayTownshipFigure,
    Export,
    JobStatus,
)
from disputes.residents.models import MailboxLeader
from disputes.risks.models import MajorProject, ProjectCase, ProjectFollowUp
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
    "Appointment",
    "AssessmentTarget",
    "Assignment",
    "Attachment",
    "Bulletin",
    "Case",
    "CaseChange",
    "CaseDayCountyFigure",
    "CaseDayFigure",
    "CaseDayTownshipFigure",
    "CaseEvent",
    "CaseLeader",
    "Category",
    "CategoryRoute",
    "Export",
    "FigureDirtyDay",
    "Holiday",
    "HotspotAlert",
    "JobStatus",
    "JointMeeting",
    "JointMeetingCase",
    "Level",
    "MailboxLeader",
    "MajorProject",
    "MediationSession",
    "MeetingDecision",
    "Notification",
    "Open311Client",
    "OutboxTask",
    "Party",
    "PartyAccessLog",
    "PartyChange",
    "Pillar",
    "ProjectCase",
    "ProjectFollowUp",
    "ReceptionSchedule",
    "ReceptionSession",
    "ReceptionVisit",
    "Referral",
    "Routing",
    "SupervisionNotice",
    "Team",
    "TeamChange",
    "TeamMember",
    "TeamMemberChange",
    "ZeroReport",
    "ZeroReportCase",
]
