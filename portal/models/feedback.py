"""What the child, parents and carers said about a review after it was held."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Model, UTCDateTime, utcnow


class ReviewFeedback(Model):
    """One person's feedback on one review: at most one per invitation.

    The answers are option values (portal.domain.feedback); None where a question was
    skipped, so each figure counts only those who answered it. ``anonymous`` hides
    who sent it from everyone but managers.
    """

    __tablename__ = "review_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    # Unique: a second press, a second tab or a second sign-in cannot send it twice.
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), unique=True
    )
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    # The invitation's role, copied so the figures group without joining it.
    role: Mapped[str] = mapped_column(String(20))
    how_was_it: Mapped[str | None] = mapped_column(String(10))
    right_place: Mapped[str | None] = mapped_column(String(10))
    right_day: Mapped[str | None] = mapped_column(String(10))
    right_time: Mapped[str | None] = mapped_column(String(10))
    asked_who_should_come: Mapped[str | None] = mapped_column(String(10))
    listened_to: Mapped[str | None] = mapped_column(String(10))
    understand_decisions: Mapped[str | None] = mapped_column(String(10))
    make_it_better: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(20), default="en_GB")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
