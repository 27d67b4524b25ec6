"""What staff write for a child: the plan in words they understand and the IRO's letter
after each review; each version published, translations, "you said, we did" ties, who
opened it and what they said back."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.authorities import StaffUser
    from portal.models.children import Child, Review
    from portal.models.consultations import Answer
    from portal.models.invitations import Invitation


class DocumentKind(StrEnum):
    PLAN = "plan"  # the care plan, or for a care leaver the pathway plan, in plain words
    LETTER = "letter"  # the IRO's letter to the child after a review


class ResponseKind(StrEnum):
    READ = "read"  # "I've read it"
    QUESTION = "question"  # "I have a question / I don't agree"


class Document(Model):
    """A plan (one per child, new versions over time) or a letter (one per review).

    ``draft_text`` is what staff are writing; ``draft_html`` the same, cleaned
    (portal.domain.rich_text) before it is stored; ``revision`` counts saves, so a
    second person saving over a first is told.
    What people read is the latest published ``DocumentVersion``.
    """

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # What staff typed (portal.domain.plain_markup), and the same cleaned to HTML.
    draft_text: Mapped[str] = mapped_column(Text, default="")
    draft_html: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who may read it once published (the child always may).
    for_parents: Mapped[bool] = mapped_column(Boolean, default=False)
    for_carers: Mapped[bool] = mapped_column(Boolean, default=False)

    child: Mapped[Child] = relationship()
    review: Mapped[Review | None] = relationship()
    saved_by: Mapped[StaffUser | None] = relationship(foreign_keys=[saved_by_id])
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.number"
    )
    translations: Mapped[list[DocumentTranslation]] = relationship(
        back_populates="document", order_by="DocumentTranslation.language"
    )
    ties: Mapped[list[DocumentTie]] = relationship(
        back_populates="document", order_by="DocumentTie.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        # One letter per review; plans have no review, so this does not limit them.
        UniqueConstraint("review_id", "kind", name="uq_document_review_kind"),
    )

    @property
    def published(self) -> DocumentVersion | None:
        return self.versions[-1] if self.versions else None


class DocumentVersion(Model):
    """A published version, exactly as it was shown: never changed afterwards."""

    __tablename__ = "document_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The reading age the assistant gave it, and whether staff confirmed publishing above
    # the authority's goal (a second confirmation, never a block).
    reading_age: Mapped[int | None] = mapped_column(Integer)
    above_goal_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # A letter's first versions may give only the outcomes, soon after the review; the
    # full record follows (portal.domain.documents: two timescales).
    full_record: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    document: Mapped[Document] = relationship(back_populates="versions")
    published_by: Mapped[StaffUser | None] = relationship()

    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_document_version"),)


class DocumentTranslation(Model):
    """A translator's version for one language; it says which published version it
    translates, so a child is never shown an out-of-date translation as current."""

    __tablename__ = "document_translation"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    language: Mapped[str] = mapped_column(String(20))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    of_version: Mapped[int] = mapped_column(Integer)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="translations")

    __table_args__ = (UniqueConstraint("document_id", "language", name="uq_document_translation"),)


class DocumentTie(Model):
    """ "You said, we did": one of the child's answers, and what was decided because of it."""

    __tablename__ = "document_tie"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="ties")
    answer: Mapped[Answer] = relationship()


class DocumentReading(Model):
    """Someone invited opened a published document: first and last time."""

    __tablename__ = "document_reading"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    first_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship()

    __table_args__ = (UniqueConstraint("document_id", "invitation_id", name="uq_document_reading"),)


class DocumentResponse(Model):
    """ "I've read it", or a question or disagreement, for the IRO's inbox."""

    __tablename__ = "document_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(20), default="en_GB")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation: Mapped[Invitation] = relationship()
    document: Mapped[Document] = relationship()
