"""Consultations: the answers people give, who may read each, and safety concerns."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.audiences import SAFE_DEFAULT
from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.authorities import StaffUser
    from portal.models.invitations import Invitation


class ConsultationStatus(StrEnum):
    STARTED = "started"
    SUBMITTED = "submitted"


class Consultation(Model):
    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    # One consultation per invitation: a double-pressed button cannot make two.
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), unique=True)
    form_key: Mapped[str] = mapped_column(String(40))
    form_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=ConsultationStatus.STARTED)
    current_step: Mapped[str | None] = mapped_column(String(60))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Whether it was sent by the invitation's due day, as it stood when it was sent.
    submitted_on_time: Mapped[bool | None] = mapped_column(Boolean)
    # The carer who opened a young child's form with them (portal.domain.helping).
    helped_by_invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), index=True
    )

    invitation: Mapped[Invitation] = relationship(
        back_populates="consultation", foreign_keys=[invitation_id]
    )
    helped_by: Mapped[Invitation | None] = relationship(foreign_keys=[helped_by_invitation_id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="consultation", order_by="Answer.id", cascade="all, delete-orphan"
    )
    safety_concerns: Mapped[list[SafetyConcern]] = relationship(
        back_populates="consultation", order_by="SafetyConcern.raised_at"
    )

    __table_args__ = (
        # The figures (portal.data.figures) count consultations sent, and sent on time,
        # by invitation: from the index alone, without reading each consultation's row.
        Index("ix_consultation_figures", "invitation_id", "submitted_at", "submitted_on_time"),
    )


class Answer(Model):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("consultation_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)
    # The language the page was shown in when the answer was written.
    language: Mapped[str] = mapped_column(String(20))
    # The form and version this answer was given to: old answers keep their questions.
    form_key: Mapped[str] = mapped_column(String(40))
    form_version: Mapped[int] = mapped_column(Integer)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who may read it (portal.domain.audiences): the child's choice for their own words.
    audience: Mapped[str] = mapped_column(
        String(20), default=SAFE_DEFAULT, server_default=SAFE_DEFAULT.value
    )

    consultation: Mapped[Consultation] = relationship(back_populates="answers")


class AnswerAudienceChange(Model):
    """Each change a child made to who may read one of their answers."""

    __tablename__ = "answer_audience_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    # Goes with its answer: an answer emptied or deleted takes its changes with it.
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    from_audience: Mapped[str] = mapped_column(String(20))
    to_audience: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SafetyConcern(Model):
    """Raised the moment a child's saved answer says they may not be safe."""

    __tablename__ = "safety_concern"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(60))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    action_taken: Mapped[str | None] = mapped_column(Text)

    consultation: Mapped[Consultation] = relationship(back_populates="safety_concerns")
    cleared_by: Mapped[StaffUser | None] = relationship()


class ParkedAnswers(Model):
    """Answers posted after a session ended, kept until the child signs in again.

    They are shown back to the child to check, never saved on their behalf:
    only a signed-in child's own Continue turns them into answers.
    """

    __tablename__ = "parked_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    consultation_id: Mapped[int] = mapped_column(Integer)
    step_key: Mapped[str] = mapped_column(String(60))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
