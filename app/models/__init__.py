"""All models, importable from one place (Alembic autogenerate reads them here)."""
from .calendar import CalendarChange, CalendarDay, CalendarYear
from .catalogue import CatalogueCorrection, CatalogueItem
from .cases import Case, CaseEvent, Counter, Document, HumanTask
from .clocks import CaseClock
from .collaboration import Attachment, CaseLeader, Comment, Incident, SavedFilter
from .drafts import ProcessDraft, TaskDraft
from .facts import CaseFact
from .information import InformationBulletin, InformationItem
from .notifications import Notification, OutboxEmail
from .processes import LaneAssignment, ProcessVersion
from .public import PublicAccess, PublicDownload
from .remedies import Remedy
from .reports import AnnualReportFreeze, AnnualReportText
from .users import ROLES, ApiToken, Department, LoginThrottle, User, UserRole

__all__ = ["AnnualReportFreeze", "AnnualReportText", "ApiToken", "CaseFact", "Remedy", "Attachment", "CaseLeader", "Comment", "Incident", "SavedFilter", "CalendarChange", "CatalogueCorrection", "CatalogueItem", "InformationBulletin", "InformationItem", "CalendarDay", "CalendarYear", "Case", "CaseClock", "CaseEvent", "Counter", "Department", "Document", "HumanTask",
           "LaneAssignment", "LoginThrottle", "Notification", "OutboxEmail", "ProcessDraft", "ProcessVersion", "TaskDraft", "PublicAccess", "PublicDownload", "ROLES", "User", "UserRole"]
