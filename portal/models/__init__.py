"""The records the portal keeps. The schema is only ever created by migrations.

One module per part of the service; all are imported here, so that
``from portal.models import Review`` works and every table is in the metadata.
"""

from portal.domain.reviews import Status as ReviewStatus
from portal.domain.roles import InviteeRole, StaffRole
from portal.models.audit import AuditAction, AuditEvent, ImportBatch
from portal.models.authorities import LocalAuthority, RecoveryCode, StaffUser
from portal.models.base import Model, Sealed, UTCDateTime, utcnow
from portal.models.children import Child, CommunicationNeed, Review, ReviewStatusChange
from portal.models.consultations import (
    Answer,
    AnswerAudienceChange,
    Consultation,
    ConsultationStatus,
    ParkedAnswers,
    SafetyConcern,
)
from portal.models.documents import (
    Document,
    DocumentKind,
    DocumentReading,
    DocumentResponse,
    DocumentTie,
    DocumentTranslation,
    DocumentVersion,
    ResponseKind,
)
from portal.models.feedback import ReviewFeedback
from portal.models.invitations import (
    ContactSignInLink,
    Delivery,
    DeliveryStatus,
    Invitation,
    SignInSession,
)

__all__ = [
    "Answer",
    "AnswerAudienceChange",
    "AuditAction",
    "AuditEvent",
    "Child",
    "CommunicationNeed",
    "Consultation",
    "ConsultationStatus",
    "ContactSignInLink",
    "Delivery",
    "DeliveryStatus",
    "Document",
    "DocumentKind",
    "DocumentReading",
    "DocumentResponse",
    "DocumentTie",
    "DocumentTranslation",
    "DocumentVersion",
    "ImportBatch",
    "Invitation",
    "InviteeRole",
    "LocalAuthority",
    "Model",
    "ParkedAnswers",
    "RecoveryCode",
    "ResponseKind",
    "Review",
    "ReviewFeedback",
    "ReviewStatus",
    "ReviewStatusChange",
    "SafetyConcern",
    "Sealed",
    "SignInSession",
    "StaffRole",
    "StaffUser",
    "UTCDateTime",
    "utcnow",
]
