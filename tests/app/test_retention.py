"""Retention: the administrator sets how long records are kept, and
`flask --app portal delete-expired` deletes exactly what is older, authority by authority."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import event, func, select, text

from portal.domain.retention import RetentionPeriods, cut_offs
from portal.extensions import db
from portal.models import (
    Answer,
    AuditAction,
    AuditEvent,
    Consultation,
    Delivery,
    Invitation,
    LocalAuthority,
    ParkedAnswers,
    SafetyConcern,
    SignInSession,
    StaffRole,
    StaffUser,
    utcnow,
)
from tests import factories
from tests.journeys import staff_signs_in

SETTINGS = "/staff/admin/settings"
MINUTE = timedelta(minutes=1)
_digests = itertools.count(1)

# Shorter than the defaults, so the other authority's records between the two stay.
SHORT = RetentionPeriods(
    consultations_months=6,
    parked_answers_hours=2,
    sessions_days=7,
    deliveries_months=12,
    audit_months=24,
)


def _digest() -> str:
    return f"{next(_digests):064d}"


def _set_periods(la: LocalAuthority, periods: RetentionPeriods) -> None:
    la.keep_consultations_months = periods.consultations_months
    la.keep_parked_answers_hours = periods.parked_answers_hours
    la.keep_sessions_days = periods.sessions_days
    la.keep_deliveries_months = periods.deliveries_months
    la.keep_audit_months = periods.audit_months


@dataclass
class Heard:
    """One person asked for their views for one review, and everything that came of it."""

    invitation_id: int
    consultation_id: int
    answer_ids: list[int]
    concern_id: int
    parked_id: int
    session_id: int
    delivery_id: int


def _heard(la: LocalAuthority, iro: StaffUser, review_on: date, *, now: datetime) -> Heard:
    _kid, review = factories.child(la, iro)
    review.planned_on = review_on
    invitation = factories.invitation(review).invitation
    consultation = Consultation(
        local_authority_id=la.id,
        invitation_id=invitation.id,
        form_key="young_person",
        form_version=1,
    )
    db.session.add(consultation)
    db.session.flush()
    answers = [
        Answer(
            consultation_id=consultation.id,
            question_key=key,
            value="I want to see my brother more",
            language="en_GB",
            form_key="young_person",
            form_version=1,
        )
        for key in ("family", "home")
    ]
    concern = SafetyConcern(consultation_id=consultation.id, question_key="home")
    # All three made just now: they go with the consultation, however new.
    parked = ParkedAnswers(
        key_digest=_digest(),
        consultation_id=consultation.id,
        step_key="home",
        payload="{}",
        created_at=now,
    )
    session = SignInSession(token_digest=_digest(), invitation_id=invitation.id)
    delivery = Delivery(
        local_authority_id=la.id,
        invitation_id=invitation.id,
        purpose="reminder",
        channel="email",
        status="sent",
        created_at=now,
    )
    db.session.add_all([*answers, concern, parked, session, delivery])
    db.session.flush()
    return Heard(
        invitation.id,
        consultation.id,
        [a.id for a in answers],
        concern.id,
        parked.id,
        session.id,
        delivery.id,
    )


def _parked(consultation_id: int, created_at: datetime) -> int:
    parked = ParkedAnswers(
        key_digest=_digest(),
        consultation_id=consultation_id,
        step_key="school",
        payload='{"school": "ok"}',
        created_at=created_at,
    )
    db.session.add(parked)
    db.session.flush()
    return parked.id


def _session(owner: StaffUser | int, *, last_seen: datetime, ended: datetime | None = None) -> int:
    found = SignInSession(
        token_digest=_digest(),
        staff_user_id=owner.id if isinstance(owner, StaffUser) else None,
        invitation_id=owner if isinstance(owner, int) else None,
        created_at=last_seen - timedelta(minutes=10),
        last_seen_at=last_seen,
        ended_at=ended,
    )
    db.session.add(found)
    db.session.flush()
    return found.id


def _delivery(
    la: LocalAuthority,
    created_at: datetime,
    *,
    to: StaffUser | None = None,
    invitation: int | None = None,
) -> int:
    made = Delivery(
        local_authority_id=la.id,
        invitation_id=invitation,
        staff_user_id=to.id if to else None,
        purpose="safety_alert" if to else "invitation",
        channel="email",
        status="sent",
        created_at=created_at,
    )
    db.session.add(made)
    db.session.flush()
    return made.id


def _audit_event(la: LocalAuthority, at: datetime) -> int:
    made = AuditEvent(local_authority_id=la.id, action=AuditAction.VIEWED_CASELOAD, at=at)
    db.session.add(made)
    db.session.flush()
    return made.id


def _exists(model: type, ids: list[int]) -> set[int]:
    return set(db.session.scalars(select(model.id).where(model.id.in_(ids))))  # type: ignore[attr-defined]


def _events_kept(ids: list[int]) -> set[int]:
    # The command's own events are left out: SQLite may give one a deleted event's id.
    return set(
        db.session.scalars(
            select(AuditEvent.id).where(
                AuditEvent.id.in_(ids), AuditEvent.action == AuditAction.VIEWED_CASELOAD
            )
        )
    )


def _deleted_events() -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == AuditAction.DELETED_EXPIRED)
            .order_by(AuditEvent.local_authority_id)
        )
    )


def test_delete_expired_deletes_exactly_what_is_past_each_authoritys_periods(
    app: Flask, database: None
) -> None:
    now = utcnow()
    cut = cut_offs(SHORT, now)
    la = factories.authority("shortshire")
    _set_periods(la, SHORT)
    iro = factories.staff(la)
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)

    # Consultations: the review's day decides, not when the answers were written.
    expired = _heard(la, iro, cut.reviews_before - timedelta(days=1), now=now)
    kept = _heard(la, iro, cut.reviews_before, now=now)

    old_parked = _parked(kept.consultation_id, cut.parked_answers_before - MINUTE)
    new_parked = _parked(kept.consultation_id, cut.parked_answers_before + MINUTE)

    old_ended = _session(
        admin, last_seen=cut.sessions_before - 2 * MINUTE, ended=cut.sessions_before - MINUTE
    )
    new_ended = _session(
        admin, last_seen=cut.sessions_before - 2 * MINUTE, ended=cut.sessions_before + MINUTE
    )
    old_idle = _session(iro, last_seen=cut.sessions_before - MINUTE)  # timed out, never ended
    new_idle = _session(iro, last_seen=cut.sessions_before + MINUTE)
    old_child_session = _session(
        kept.invitation_id,
        last_seen=cut.sessions_before - MINUTE,
        ended=cut.sessions_before - MINUTE,
    )

    old_delivery = _delivery(la, cut.deliveries_before - MINUTE, invitation=kept.invitation_id)
    old_alert = _delivery(la, cut.deliveries_before - MINUTE, to=iro)
    new_delivery = _delivery(la, cut.deliveries_before + MINUTE, invitation=kept.invitation_id)

    old_event = _audit_event(la, cut.audit_events_before - MINUTE)
    new_event = _audit_event(la, cut.audit_events_before + MINUTE)

    # Another authority, on the default (longer) periods: its records are older than
    # this authority's periods but within its own, so all of them stay.
    other = factories.authority("longshire")
    other_iro = factories.staff(other)
    theirs = _heard(other, other_iro, cut.reviews_before - timedelta(days=1), now=now)
    their_parked = _parked(theirs.consultation_id, cut.parked_answers_before - MINUTE)
    their_session = _session(
        other_iro, last_seen=cut.sessions_before - MINUTE, ended=cut.sessions_before - MINUTE
    )
    their_delivery = _delivery(other, cut.deliveries_before - MINUTE, to=other_iro)
    their_event = _audit_event(other, cut.audit_events_before - MINUTE)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["delete-expired"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "shortshire: invitations=1 consultations=1 answers=2 safety_concerns=1 "
        "parked_answers=2 sign_in_sessions=4 deliveries=3 audit_events=1",
        "longshire: invitations=0 consultations=0 answers=0 safety_concerns=0 "
        "parked_answers=0 sign_in_sessions=0 deliveries=0 audit_events=0",
    ]
    db.session.expire_all()

    # Everything made to hear the person whose review is past the period has gone ...
    assert _exists(Invitation, [expired.invitation_id]) == set()
    assert _exists(Consultation, [expired.consultation_id]) == set()
    assert _exists(Answer, expired.answer_ids) == set()
    assert _exists(SafetyConcern, [expired.concern_id]) == set()
    assert _exists(ParkedAnswers, [expired.parked_id]) == set()
    assert _exists(SignInSession, [expired.session_id]) == set()
    assert _exists(Delivery, [expired.delivery_id]) == set()
    # ... and for the review on the cut-off day, all of it stays.
    assert _exists(Invitation, [kept.invitation_id]) == {kept.invitation_id}
    assert _exists(Consultation, [kept.consultation_id]) == {kept.consultation_id}
    assert _exists(Answer, kept.answer_ids) == set(kept.answer_ids)
    assert _exists(SafetyConcern, [kept.concern_id]) == {kept.concern_id}
    assert _exists(ParkedAnswers, [kept.parked_id, old_parked, new_parked]) == {
        kept.parked_id,
        new_parked,
    }
    assert _exists(
        SignInSession,
        [kept.session_id, old_ended, new_ended, old_idle, new_idle, old_child_session],
    ) == {kept.session_id, new_ended, new_idle}
    assert _exists(Delivery, [kept.delivery_id, old_delivery, old_alert, new_delivery]) == {
        kept.delivery_id,
        new_delivery,
    }
    assert _events_kept([old_event, new_event]) == {new_event}

    # The other authority's records are untouched.
    assert _exists(Invitation, [theirs.invitation_id]) == {theirs.invitation_id}
    assert _exists(Answer, theirs.answer_ids) == set(theirs.answer_ids)
    assert _exists(SafetyConcern, [theirs.concern_id]) == {theirs.concern_id}
    assert _exists(ParkedAnswers, [theirs.parked_id, their_parked]) == {
        theirs.parked_id,
        their_parked,
    }
    assert _exists(SignInSession, [theirs.session_id, their_session]) == {
        theirs.session_id,
        their_session,
    }
    assert _exists(Delivery, [theirs.delivery_id, their_delivery]) == {
        theirs.delivery_id,
        their_delivery,
    }
    assert _events_kept([their_event]) == {their_event}

    # Each authority's audit trail says what went, in counts only, done from the server.
    short_event, long_event = _deleted_events()
    assert (short_event.local_authority_id, long_event.local_authority_id) == (la.id, other.id)
    assert short_event.detail == (
        "invitations=1 consultations=1 answers=2 safety_concerns=1 parked_answers=2 "
        "sign_in_sessions=4 deliveries=3 audit_events=1"
    )
    assert short_event.staff_user_id is None and short_event.from_address == "command line"
    assert (short_event.subject_type, short_event.subject_id) == ("local_authority", la.id)
    assert "brother" not in short_event.detail
    assert long_event.detail.endswith("audit_events=0")

    # Run again, nothing more is past its period.
    again = app.test_cli_runner().invoke(args=["delete-expired"])
    assert "shortshire: invitations=0 consultations=0 answers=0" in again.output
    assert len(_deleted_events()) == 4


def test_an_authority_that_fails_keeps_everything_and_the_others_still_run(
    app: Flask, database: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.data import retention

    now = utcnow()
    cut = cut_offs(SHORT, now)
    broken, working = factories.authority("brokenshire"), factories.authority("workingshire")
    for la in (broken, working):
        _set_periods(la, SHORT)
    broken_event = _audit_event(broken, cut.audit_events_before - MINUTE)
    working_event = _audit_event(working, cut.audit_events_before - MINUTE)
    db.session.commit()
    real = retention.delete_expired

    def fails_after_deleting(authority: LocalAuthority, at: datetime) -> retention.Deleted:
        deleted = real(authority, at)
        if authority.slug == "brokenshire":
            raise RuntimeError("the database went away")
        return deleted

    monkeypatch.setattr(retention, "delete_expired", fails_after_deleting)

    result = app.test_cli_runner().invoke(args=["delete-expired"])

    assert result.exit_code == 1, result.output
    assert "brokenshire: nothing deleted (RuntimeError)" in result.output
    assert "workingshire: invitations=0" in result.output, result.output
    assert "Nothing was deleted for brokenshire." in result.output
    db.session.expire_all()
    assert _events_kept([broken_event, working_event]) == {broken_event}
    assert [event.local_authority_id for event in _deleted_events()] == [working.id]


def test_a_new_authority_starts_with_the_default_periods(app: Flask, database: None) -> None:
    la = factories.authority()
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(LocalAuthority, la.id)
    assert stored is not None and stored.retention_periods == RetentionPeriods()
    assert (
        stored.keep_consultations_months,
        stored.keep_parked_answers_hours,
        stored.keep_sessions_days,
        stored.keep_deliveries_months,
        stored.keep_audit_months,
    ) == (24, 24, 30, 24, 84)


def test_existing_authorities_get_the_defaults_when_the_migration_runs(
    app: Flask, database: None
) -> None:
    from flask_migrate import downgrade, upgrade

    la_id = factories.authority().id
    db.session.commit()
    db.session.remove()
    downgrade(revision="0004_sealed_totp_secrets")
    columns = {c["name"] for c in db.inspect(db.engine).get_columns("local_authority")}
    assert not any(name.startswith("keep_") for name in columns)
    db.session.remove()
    upgrade()
    stored = db.session.execute(
        text(
            "SELECT keep_consultations_months, keep_parked_answers_hours, keep_sessions_days,"
            " keep_deliveries_months, keep_audit_months FROM local_authority WHERE id = :id"
        ),
        {"id": la_id},
    ).one()
    assert tuple(stored) == (24, 24, 30, 24, 84)


# --- Setting the periods ----------------------------------------------------------------


def _admin_signed_in(client) -> LocalAuthority:  # type: ignore[no-untyped-def]
    la = factories.authority()
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR, name="Ada Admin")
    db.session.commit()
    assert staff_signs_in(client, admin.email).status_code == 302
    return la


def _form(la: LocalAuthority, **changes: str) -> dict[str, object]:
    return {
        "service_name": la.service_name,
        "iro_team_phone": la.iro_team_phone,
        "iro_team_email": la.iro_team_email,
        "advocacy_service_name": la.advocacy_service_name,
        "advocacy_phone": la.advocacy_phone,
        "complaints_phone": "",
        "complaints_email": "",
        "languages": la.enabled_languages.split()[1:],
        "email_sender": "none",
        "sms_sender": "none",
        "keep_consultations_months": "24",
        "keep_parked_answers_hours": "24",
        "keep_sessions_days": "30",
        "keep_deliveries_months": "24",
        "keep_audit_months": "84",
        **changes,
    }


def _shown(page: str, field: str) -> str | None:
    """What the field's box holds on the page."""
    found = re.search(rf'name="{field}"\s+type="text" value="([^"]*)"', page)
    return found.group(1) if found else None


def _settings_events() -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.CHANGED_SETTINGS)
        )
    )


def test_the_administrator_sees_and_changes_how_long_records_are_kept(client) -> None:
    la = _admin_signed_in(client)
    page = client.get(SETTINGS).text
    assert "How long records are kept" in page
    assert "Months to keep consultations after the review" in page
    assert _shown(page, "keep_audit_months") == "84"

    saved = client.submit(
        SETTINGS, _form(la, keep_consultations_months="36", keep_sessions_days=" ٧ ")
    )

    assert saved.status_code == 302
    authority = db.session.get(LocalAuthority, la.id)
    assert authority is not None
    assert authority.keep_consultations_months == 36
    assert authority.keep_sessions_days == 7
    assert authority.keep_audit_months == 84
    (event,) = _settings_events()
    assert event.detail == "keep_consultations_months, keep_sessions_days"
    page = client.get(SETTINGS).text
    assert "The settings are saved" in page
    assert _shown(page, "keep_consultations_months") == "36"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("keep_consultations_months", "5", "Enter a whole number of months from 6 to 900"),
        ("keep_consultations_months", "", "Enter a whole number of months from 6 to 900"),
        ("keep_parked_answers_hours", "48", "Enter a whole number of hours from 1 to 24"),
        ("keep_sessions_days", "a month", "Enter a whole number of days from 1 to 365"),
        ("keep_deliveries_months", "2.5", "Enter a whole number of months from 3 to 120"),
        ("keep_audit_months", "0", "Enter a whole number of months from 12 to 900"),
    ],
)
def test_a_period_out_of_bounds_is_refused_and_shown_back(
    client, field: str, typed: str, message: str
) -> None:
    la = _admin_signed_in(client)

    refused = client.submit(SETTINGS, _form(la, service_name="Renamed", **{field: typed}))

    assert refused.status_code == 200
    assert "<title>Error:" in refused.text
    assert message in refused.text
    assert f'href="#{field}">{message}' in refused.text  # in the summary, linked to the box
    assert _shown(refused.text, field) == (typed or None)
    authority = db.session.get(LocalAuthority, la.id)
    assert authority is not None
    assert authority.retention_periods == RetentionPeriods()
    assert authority.service_name != "Renamed"  # nothing is saved while anything is wrong
    assert _settings_events() == []


def test_a_post_without_the_periods_leaves_them_as_they_are(client) -> None:
    la = _admin_signed_in(client)
    la.keep_audit_months = 120
    db.session.commit()
    form = _form(la, service_name="Renamed")
    for name in list(form):
        if name.startswith("keep_"):
            del form[name]

    client.submit(SETTINGS, form)

    authority = db.session.get(LocalAuthority, la.id)
    assert authority is not None
    assert authority.service_name == "Renamed" and authority.keep_audit_months == 120
    (event,) = _settings_events()
    assert event.detail == "service_name"


def test_the_rows_deleted_are_never_read_into_python(app: Flask, database: None) -> None:
    """Set-based DELETEs: the counts come from the statements, no row is selected first."""
    la = factories.authority("quietshire")
    _set_periods(la, SHORT)
    for _ in range(3):
        _audit_event(la, utcnow() - timedelta(days=800))
    db.session.commit()
    statements: list[str] = []

    def remember(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        result = app.test_cli_runner().invoke(args=["delete-expired"])
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)

    assert "audit_events=3" in result.output
    assert not any(
        s.lstrip().upper().startswith("SELECT") and "audit_event" in s for s in statements
    )
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1
