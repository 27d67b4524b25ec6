"""Feedback after the review: asked by message when the IRO records it held and on the
next sign-in, kept once per invitation, optionally anonymous, counted in the figures."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Delivery, InviteeRole, ReviewFeedback
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in

TODAY = date.today()  # noqa: DTZ011


def _record_held(client, review) -> None:  # type: ignore[no-untyped-def]
    day = TODAY - timedelta(days=1)
    client.submit(
        f"/staff/reviews/{review.id}/record",
        {
            "held_on-day": day.day,
            "held_on-month": day.month,
            "held_on-year": day.year,
            "child_attended": "all",
            "child_chaired": "part",
            "child_spoke": "yes",
            "views_without_words": "no",
            "advocate": "none",
            "interpreter": "no",
            "views_another_way": "no",
        },
    )


def test_recording_a_review_held_asks_the_family_by_their_channel_once(make_client) -> None:
    la, iro, _kid, review, issued = factories.world()
    parent = factories.invitation(
        review, role=InviteeRole.PARENT, name="Pat", email="p@example.org"
    )
    parent.invitation.channel = "email"
    professional = factories.invitation(
        review,
        role=InviteeRole.PROFESSIONAL,
        name="Nurse",
        professional_kind="health",
        email="n@example.org",
    )
    professional.invitation.channel = "email"
    db.session.commit()
    staff = make_client()
    staff_signs_in(staff, iro.email)
    _record_held(staff, review)
    asked = db.session.scalars(select(Delivery).where(Delivery.purpose == "feedback_request")).all()
    # The parent by email; the child's letter invitation is asked at sign-in; never
    # the professional.
    assert [d.invitation_id for d in asked] == [parent.invitation.id]
    _record_held(staff, review)  # recorded again: nobody is asked twice
    assert (
        db.session.scalars(select(Delivery).where(Delivery.purpose == "feedback_request")).all()
        == asked
    )


def test_the_child_is_asked_at_sign_in_and_their_feedback_is_kept_once(make_client) -> None:
    la, iro, _kid, review, issued = factories.world()
    child = make_client()
    child_signs_in(child, issued)
    review.status = "held"
    db.session.commit()
    landing = child.get("/consultation")
    assert landing.status_code == 302 and landing.headers["Location"].endswith("/feedback")
    assert child.get("/consultation").headers.get("Location", "") != "/feedback"  # once
    page = child.get("/feedback")
    assert "How was the review meeting?" in page.text
    missing = child.submit("/feedback", {})
    assert "Choose a face for how the meeting was" in missing.text
    answers = {
        "how_was_it": "great",
        "right_place": "yes",
        "right_time": "no",
        "make_it_better": "=cmd after school please",
        "anonymous": "y",
    }
    sent = child.submit("/feedback", answers)
    assert sent.headers["Location"].endswith("/feedback/thanks")
    again = child.post(
        "/feedback",
        data={
            **answers,
            "how_was_it": "not_good",
            "csrf_token": child.csrf_token("/feedback/thanks"),
        },
    )
    assert again.status_code == 302
    [kept] = db.session.scalars(select(ReviewFeedback)).all()
    assert (kept.how_was_it, kept.right_place, kept.right_day, kept.right_time) == (
        "great",
        "yes",
        None,
        "no",
    )
    assert kept.anonymous is True and kept.role == "child"
    assert kept.make_it_better == "=cmd after school please"


def test_nobody_is_asked_before_the_review_is_held(make_client) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    child = make_client()
    child_signs_in(child, issued)
    assert child.get("/feedback").headers["Location"].endswith("/consultation")
    assert db.session.scalars(select(ReviewFeedback)).all() == []


def test_feedback_not_to_be_named_is_shown_without_a_name_except_to_managers(make_client) -> None:
    from portal.models import StaffRole

    la, iro, _kid, review, issued = factories.world()
    review.status = "held"
    review.held_on = review.planned_on
    db.session.add(
        ReviewFeedback(
            local_authority_id=la.id,
            invitation_id=issued.invitation.id,
            review_id=review.id,
            role="child",
            how_was_it="not_good",
            make_it_better="Shorter please",
            anonymous=True,
        )
    )
    manager = factories.staff(la, role=StaffRole.MANAGER)
    db.session.commit()
    as_iro = make_client()
    staff_signs_in(as_iro, iro.email)
    page = as_iro.get(f"/staff/reviews/{review.id}/record/summary").text
    assert "Shorter please" in page and "Someone who asked not to be named" in page
    assert "Robin" not in page.split("Feedback after the review")[1]
    as_manager = make_client()
    staff_signs_in(as_manager, manager.email)
    page = as_manager.get(f"/staff/reviews/{review.id}/record/summary").text
    assert "asked not to be named" in page
    assert "Robin" in page.split("Feedback after the review")[1]


def test_marking_a_review_held_from_its_status_form_asks_the_family_too(make_client) -> None:
    la, iro, _kid, review, _issued = factories.world()
    parent = factories.invitation(
        review, role=InviteeRole.PARENT, name="Pat", email="p@example.org"
    )
    parent.invitation.channel = "email"
    review.planned_on = TODAY - timedelta(days=1)
    db.session.commit()
    staff = make_client()
    staff_signs_in(staff, iro.email)
    url = f"/staff/reviews/{review.id}/status"
    changed = staff.submit(
        url, {"status": "held", "reason": ""}, from_url=f"/staff/reviews/{review.id}"
    )
    assert changed.status_code == 302, changed.text
    asked = db.session.scalars(select(Delivery).where(Delivery.purpose == "feedback_request")).all()
    assert [d.invitation_id for d in asked] == [parent.invitation.id]
