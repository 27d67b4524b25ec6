"""Children in care and their reviews."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.reviews import Status as ReviewStatus
from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.authorities import StaffUser
    from portal.models.invitations import Invitation


class CommunicationNeed(StrEnum):
    INTERPRETER = "interpreter"
    READ_ALOUD = "read_aloud"
    EASY_READ = "easy_read"
    SYMBOLS = "symbols"


class Child(Model):
    __tablename__ = "child"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    preferred_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    came_into_care_on: Mapped[date] = mapped_column(Date)
    uasc: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_language: Mapped[str] = mapped_column(String(20), default="en_GB")
    # Space-separated CommunicationNeed values.
    communication_needs: Mapped[str] = mapped_column(String(200), default="")
    iro_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # The case management system's id for the child, which makes imports idempotent.
    external_ref: Mapped[str | None] = mapped_column(String(60))

    iro: Mapped[StaffUser] = relationship()
    reviews: Mapped[list[Review]] = relationship(
        back_populates="child", order_by="Review.planned_on"
    )

    __table_args__ = (
        UniqueConstraint("local_authority_id", "external_ref", name="uq_child_external_ref"),
    )

    @property
    def needs(self) -> list[str]:
        return self.communication_needs.split()


class Review(Model):
    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The day of the meeting: planned, and once held, the day it was held.
    planned_on: Mapped[date] = mapped_column(Date)
    planned_time: Mapped[time | None] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.PLANNED)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    external_ref: Mapped[str | None] = mapped_column(String(60))

    # What happened at the meeting, as the IRO recorded it (portal.staff.recording).
    # Everything is None until recorded: the figures say "not recorded", never "no".
    # Recording also moves planned_on to the day held, as it says above.
    held_on: Mapped[date | None] = mapped_column(Date)
    # Space-separated Attendee values: who came besides the IRO.
    attendees: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Extent values (all, part, none) for the child coming and chairing.
    child_attended: Mapped[str | None] = mapped_column(String(10))
    child_chaired: Mapped[str | None] = mapped_column(String(10))
    child_spoke: Mapped[bool | None] = mapped_column(Boolean)
    views_without_words: Mapped[bool | None] = mapped_column(Boolean)
    # AdvocateRole values: none, present, spoke (an advocate spoke for the child).
    advocate: Mapped[str | None] = mapped_column(String(10))
    interpreter: Mapped[bool | None] = mapped_column(Boolean)
    # The child's views reached the IRO some way besides the portal and the meeting.
    views_another_way: Mapped[bool | None] = mapped_column(Boolean)
    # The PN code the portal suggested when the facts were recorded, and the one the IRO
    # confirmed (portal.domain.participation): the code describes what happened.
    suggested_code: Mapped[str | None] = mapped_column(String(3))
    participation_code: Mapped[str | None] = mapped_column(String(3))
    # Whether it was held by its statutory date, worked out once when recorded, so the
    # figures count it without replaying every child's schedule.
    held_in_timescale: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    child: Mapped[Child] = relationship(back_populates="reviews")
    invitations: Mapped[list[Invitation]] = relationship(back_populates="review")
    status_changes: Mapped[list[ReviewStatusChange]] = relationship(
        back_populates="review", order_by="ReviewStatusChange.changed_at"
    )

    __table_args__ = (
        UniqueConstraint("local_authority_id", "external_ref", name="uq_review_external_ref"),
        # The figures count reviews held by authority and day (portal.data.figures).
        Index("ix_review_figures", "local_authority_id", "status", "planned_on"),
    )

    @property
    def attendee_list(self) -> list[str]:
        return self.attendees.split()


class ReviewStatusChange(Model):
    """Each move of a review's status, with the reason given."""

    __tablename__ = "review_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    review: Mapped[Review] = relationship(back_populates="status_changes")
    changed_by: Mapped[StaffUser | None] = relationship()
