"""SQLModel tables, one module per aggregate. Importing this package registers every table."""

from portal.models.account import (
    AuthSession,
    EidLink,
    EmailConfirmation,
    Invitation,
    LoginThrottle,
    RateWindow,
    RecoveryCode,
    RoleGrant,
    UserAccount,
    VerificationCode,
)
from portal.models.api import ApiIdempotency, ApiKey
from portal.models.audit import AuditEvent
from portal.models.bulk import Batch, BatchLine, ExportFile
from portal.models.calculator import CalculatorTaxBracket, CalculatorYear
from portal.models.coupling import CouplingSetting, OutboxAttempt, OutboxMessage
from portal.models.document import Document, DocumentOpened, DocumentRead
from portal.models.form import Form
from portal.models.job import JobRun, SentMail
from portal.models.listing import ParticipantDue, ParticipantListRow
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
from portal.models.reconciliation import ReconciliationDifference, ReconciliationReport
from portal.models.task import Task, TaskComment

__all__ = [
    "ApiIdempotency",
    "ApiKey",
    "AuditEvent",
    "AuthSession",
    "Batch",
    "BatchLine",
    "CalculatorTaxBracket",
    "CalculatorYear",
    "CompanyGroup",
    "Contract",
    "CouplingSetting",
    "Document",
    "DocumentOpened",
    "DocumentRead",
    "EidLink",
    "EmailConfirmation",
    "Employer",
    "Employment",
    "EmploymentVersion",
    "ExportFile",
    "Form",
    "Insurer",
    "IntermediaryOffice",
    "Invitation",
    "JobRun",
    "LoginThrottle",
    "Mutation",
    "OutboxAttempt",
    "OutboxMessage",
    "ParticipantDue",
    "ParticipantListRow",
    "Participation",
    "Person",
    "PremiumBand",
    "RateWindow",
    "ReconciliationDifference",
    "ReconciliationReport",
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
