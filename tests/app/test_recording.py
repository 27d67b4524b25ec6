"""Recording a review held: the facts, PN0 set for a child under 4 and refused otherwise,
the portal's suggestion (views sent through the portal and not attending -> PN6) shown
for the IRO to confirm, every step audited, and nobody else's review reachable."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.data.consultations import submit
from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    Consultation,
    Review,
    ReviewStatusChange,
    StaffRole,
)
from tests import factories
from tests.journeys import staff_signs_in

TODAY = date.today()  # noqa: DTZ011


def _boxes(name: str, day: date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _facts(**overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        **_boxes("held_on", TODAY - timedelta(days=1)),
        "child_attended": "none",
        "child_chaired": "none",
        "child_spoke": "no",
        "views_without_words": "no",
        "advocate": "none",
        "interpreter": "yes",
        "views_another_way": "no",
        "attendees": ["carer", "social_worker"],
    }
    form.update(overrides)
    return form


def _held_review(client, *, age: int = 14, role: StaffRole = StaffRole.IRO):  # type: ignore[no-untyped-def]
    la = factories.authority()
    iro = factories.staff(la, role=role)
    kid, review = factories.child(la, iro, age=age, review_in_days=-1)
    db.session.commit()
    staff_signs_in(client, iro.email)
    return la, iro, kid, review


def _actions(review_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.subject_type == "review", AuditEvent.subject_id == review_id)
            .order_by(AuditEvent.id)
        )
    )


def test_the_review_page_leads_to_recording_it(client) -> None:
    _la, _iro, _kid, review = _held_review(client)
    page = client.get(f"/staff/reviews/{review.id}").text
    assert f"/staff/reviews/{review.id}/record" in page
    assert "Record what happened" in page


def test_views_sent_through_the_portal_and_not_attending_suggests_pn6(client) -> None:
    _la, _iro, _kid, review = _held_review(client)
    issued = factories.invitation(review)
    consultation = Consultation(
        local_authority_id=review.local_authority_id,
        invitation=issued.invitation,
        form_key="age_13_to_17",
        form_version=1,
    )
    db.session.add(consultation)
    db.session.flush()
    submit(consultation)
    db.session.commit()

    url = f"/staff/reviews/{review.id}/record"
    saved = client.submit(url, _facts())
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/staff/reviews/{review.id}/record/code")
    db.session.expire_all()
    stored = db.session.get(Review, review.id)
    assert stored.status == "held"
    assert stored.held_on == TODAY - timedelta(days=1)
    assert stored.suggested_code == "PN6"
    assert stored.participation_code is None  # suggested, not confirmed
    assert stored.interpreter is True
    assert stored.attendee_list == ["carer", "social_worker"]
    assert db.session.scalars(select(ReviewStatusChange)).one().to_status == "held"

    page = client.get(f"{url}/code").text
    assert "the portal suggests" in page
    assert "PN6: Child did not come but gave their views another way" in page
    assert 'value="PN6" checked' in page
    assert 'value="PN0"' not in page  # rule 440: never offered at 14

    confirmed = client.submit(f"{url}/code", {"code": "PN5"})  # the IRO knows better
    assert confirmed.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Review, review.id)
    assert (stored.suggested_code, stored.participation_code) == ("PN6", "PN5")
    assert _actions(review.id)[-3:] == [
        AuditAction.RECORDED_REVIEW,
        AuditAction.CHANGED_REVIEW_STATUS,
        AuditAction.CONFIRMED_PARTICIPATION,
    ]
    confirmation = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.CONFIRMED_PARTICIPATION)
    ).one()
    assert confirmation.detail == "PN5"
    summary = client.get(f"{url}/summary").text
    assert "PN5: Child did not come but asked an advocate" in summary


def test_pn0_is_refused_for_a_child_of_4_or_over(client) -> None:
    _la, _iro, _kid, review = _held_review(client, age=4)
    url = f"/staff/reviews/{review.id}/record"
    client.submit(url, _facts(child_attended="all", child_spoke="yes"))
    refused = client.submit(f"{url}/code", {"code": "PN0"})
    assert refused.status_code == 200
    assert "DfE rule 440" in refused.text
    assert db.session.get(Review, review.id).participation_code is None
    invented = client.submit(f"{url}/code", {"code": "PN9"})
    assert "Choose the participation code" in invented.text


def test_a_child_under_4_on_the_day_gets_pn0_and_nothing_else(client) -> None:
    _la, _iro, kid, review = _held_review(client, age=3)
    url = f"/staff/reviews/{review.id}/record"
    saved = client.submit(url, _facts(attendees=[]))
    assert saved.headers["Location"].endswith("/record/summary")
    db.session.expire_all()
    assert db.session.get(Review, review.id).participation_code == "PN0"
    refused = client.submit(f"{url}/code", {"code": "PN1"})
    assert "DfE rule 441" in refused.text
    assert db.session.get(Review, review.id).participation_code == "PN0"
    assert AuditAction.CONFIRMED_PARTICIPATION in _actions(review.id)


def test_the_fourth_birthday_on_the_day_held_means_pn1_to_pn7(client) -> None:
    _la, _iro, kid, review = _held_review(client, age=3)
    held = TODAY - timedelta(days=2)
    kid.date_of_birth = held.replace(year=held.year - 4)
    db.session.commit()
    client.submit(f"/staff/reviews/{review.id}/record", _facts(**_boxes("held_on", held)))
    db.session.expire_all()
    assert db.session.get(Review, review.id).participation_code is None
    page = client.get(f"/staff/reviews/{review.id}/record/code").text
    assert 'value="PN0"' not in page and 'value="PN7"' in page


def test_facts_that_contradict_each_other_are_refused(client) -> None:
    _la, _iro, _kid, review = _held_review(client)
    url = f"/staff/reviews/{review.id}/record"
    future = client.submit(
        url, _facts(child_chaired="all", **_boxes("held_on", TODAY + timedelta(days=3)))
    )
    assert future.status_code == 200
    assert "A child who did not come to the meeting cannot have chaired it" in future.text
    assert "The day held must be today or in the past" in future.text
    blank = client.submit(url, {})
    assert "Say whether the child came to the meeting" in blank.text
    assert db.session.get(Review, review.id).recorded_at is None


def test_a_cancelled_review_cannot_be_recorded_as_held(client) -> None:
    _la, _iro, _kid, review = _held_review(client)
    review.status = "cancelled"
    db.session.commit()
    assert client.get(f"/staff/reviews/{review.id}/record").status_code == 409


def test_another_iros_review_is_not_found_and_the_attempt_recorded(client) -> None:
    la, _iro, _kid, _review = _held_review(client)
    colleague = factories.staff(la)
    _other_kid, theirs = factories.child(la, colleague)
    db.session.commit()
    for path in ("", "/code", "/summary"):
        assert client.get(f"/staff/reviews/{theirs.id}/record{path}").status_code == 404
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.DENIED)
    ).all()
    assert {(e.subject_type, e.subject_id) for e in denied} == {("review", theirs.id)}
