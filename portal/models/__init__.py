"""SQLModel tables, one module per aggregate. Importing this package registers every table."""

from portal.models.account import (
    AuthSession,
    Invitation,
    LoginThrottle,
    RecoveryCode,
    RoleGrant,
    UserAccount,
    VerificationCode,
)
from portal.models.audit import AuditEvent
from portal.models.bulk import Batch, BatchLine, ExportFile
from portal.models.document import Document, DocumentRead
from portal.models.job import JobRun, SentMail
from portal.models.listing import ParticipantListRow
from portal.models.mutation import Mutation
from portal.models.organisation import (
    CompanyGroup,
    Contract,
    Employer,
    Insurer,
    IntermediaryOffice,
    PremiumBand,
    Scheme,
    SchemeYear,
)
from portal.models.participant import Employment, EmploymentVersion, Participation, Person, Relation
from portal.models.task import Task, TaskComment

__all__ = [
    "AuditEvent",
    "AuthSession",
    "Batch",
    "BatchLine",
    "CompanyGroup",
    "Contract",
    "Document",
    "DocumentRead",
    "Employer",
    "Employment",
    "EmploymentVersion",
    "ExportFile",
    "Insurer",
    "IntermediaryOffice",
    "Invitation",
    "JobRun",
    "LoginThrottle",
    "Mutation",
    "ParticipantListRow",
    "Participation",
    "Person",
    "PremiumBand",
    "RecoveryCode",
    "Relation",
    "RoleGrant",
    "Scheme",
    "SchemeYear",
    "SentMail",
    "Task",
    "TaskComment",
    "UserAccount",
    "VerificationCode",
]
