"""Administration: staff accounts, who covers an absent IRO, the authority's settings,
and locked invitations.

Everything is scoped to the authority of the member of staff doing it (and by
portal.web.tenancy too); the filters are written out so each query is right on
its own.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import joinedload

from portal.domain import accounts as rules
from portal.domain.authority_settings import changed_fields
from portal.extensions import db
from portal.models import (
    Invitation,
    LocalAuthority,
    RecoveryCode,
    Review,
    SignInSession,
    StaffRole,
    StaffUser,
    utcnow,
)

# --- Accounts ---------------------------------------------------------------------------


def staff_accounts(admin: StaffUser) -> list[StaffUser]:
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(StaffUser.local_authority_id == admin.local_authority_id)
            .order_by(StaffUser.display_name, StaffUser.id)
        )
    )


def staff_account(admin: StaffUser, staff_id: int) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(
            StaffUser.id == staff_id, StaffUser.local_authority_id == admin.local_authority_id
        )
    )


def staff_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))


def email_in_use(email: str) -> bool:
    """Whether any account in the whole deployment has this email address.

    Sign-in finds people by email alone, so it must be unique across every
    authority. The query is on the table, not the model, so the tenant scope does
    not hide other authorities' accounts; it answers yes or no and nothing more.
    """
    table = StaffUser.__table__
    return bool(
        db.session.scalar(select(exists().where(table.c.email == rules.normalise_email(email))))
    )


def create_account(
    admin: StaffUser, *, name: str, email: str, phone: str, role: StaffRole, password_hash: str
) -> StaffUser:
    """A new account in the administrator's authority. Two-factor is set up at first sign-in."""
    account = StaffUser(
        local_authority_id=admin.local_authority_id,
        display_name=name,
        email=rules.normalise_email(email),
        phone=phone,
        role=role,
        password_hash=password_hash,
        failed_sign_ins=0,
        active=True,
        totp_secret=None,
        totp_last_step=None,
        totp_enrolled_at=None,
    )
    db.session.add(account)
    db.session.flush()
    return account


def end_sessions(staff: StaffUser) -> None:
    """End every live session of this member of staff: their next request needs sign-in."""
    db.session.execute(
        update(SignInSession)
        .where(SignInSession.staff_user_id == staff.id, SignInSession.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def disable(staff: StaffUser) -> None:
    staff.active = False
    end_sessions(staff)


def enable(staff: StaffUser) -> None:
    staff.active = True


def unlock(staff: StaffUser) -> None:
    staff.failed_sign_ins = 0


def reset_two_factor(staff: StaffUser) -> None:
    """Forget their authenticator and recovery codes: they enrol again at next sign-in."""
    staff.totp_secret = None
    staff.totp_last_step = None
    staff.totp_enrolled_at = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.staff_user_id == staff.id))
    end_sessions(staff)


# --- Away and cover ---------------------------------------------------------------------


def _colleague(staff: StaffUser) -> rules.Colleague:
    return rules.Colleague(
        id=staff.id,
        local_authority_id=staff.local_authority_id,
        role=staff.role,
        active=staff.active,
        away=staff.away,
    )


def team(staff: StaffUser) -> list[StaffUser]:
    """The authority's active IROs, with who covers each."""
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(
                StaffUser.local_authority_id == staff.local_authority_id,
                StaffUser.role == StaffRole.IRO,
                StaffUser.active.is_(True),
            )
            .options(joinedload(StaffUser.covered_by))
            .order_by(StaffUser.display_name, StaffUser.id)
        )
    )


def team_member(staff: StaffUser, staff_id: int) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(
            StaffUser.id == staff_id,
            StaffUser.local_authority_id == staff.local_authority_id,
            StaffUser.role == StaffRole.IRO,
            StaffUser.active.is_(True),
        )
    )


def cover_candidates(absent: StaffUser) -> list[StaffUser]:
    """Colleagues who may take on ``absent``'s children: see ``rules.may_cover``."""
    colleagues = db.session.scalars(
        select(StaffUser)
        .where(
            StaffUser.local_authority_id == absent.local_authority_id,
            StaffUser.id != absent.id,
        )
        .order_by(StaffUser.display_name, StaffUser.id)
    )
    them = _colleague(absent)
    return [c for c in colleagues if rules.may_cover(_colleague(c), them)]


def mark_away(person: StaffUser, cover: StaffUser | None) -> None:
    person.away = True
    person.covered_by_id = cover.id if cover is not None else None


def mark_back(person: StaffUser) -> None:
    person.away = False
    person.covered_by_id = None


def covering_for(staff: StaffUser) -> dict[int, list[StaffUser]]:
    """For each colleague covering someone, whom they cover."""
    covered = db.session.scalars(
        select(StaffUser)
        .where(
            StaffUser.local_authority_id == staff.local_authority_id,
            StaffUser.covered_by_id.is_not(None),
            StaffUser.away.is_(True),
        )
        .order_by(StaffUser.display_name)
    )
    found: dict[int, list[StaffUser]] = {}
    for person in covered:
        assert person.covered_by_id is not None
        found.setdefault(person.covered_by_id, []).append(person)
    return found


# --- Settings ---------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "service_name",
    "iro_team_phone",
    "iro_team_email",
    "advocacy_service_name",
    "advocacy_phone",
    "advocacy_email",
    "default_answer_audience",
    "participation_measure",
    "complaints_phone",
    "complaints_email",
    "enabled_languages",
    "email_sender",
    "sms_sender",
)


def authority_of(staff: StaffUser) -> LocalAuthority:
    found = db.session.scalar(
        select(LocalAuthority).where(LocalAuthority.id == staff.local_authority_id)
    )
    assert found is not None, "a member of staff always belongs to an authority"
    return found


def current_settings(authority: LocalAuthority) -> dict[str, str]:
    return {name: getattr(authority, name) for name in SETTINGS_FIELDS}


def change_settings(authority: LocalAuthority, values: Mapping[str, str]) -> list[str]:
    """Apply the new settings; return the names of those that changed."""
    new = {name: values[name] for name in SETTINGS_FIELDS if name in values}
    changed = changed_fields(current_settings(authority), new)
    for name in changed:
        setattr(authority, name, new[name])
    return changed


def change_due_days(authority: LocalAuthority, values: Mapping[str, int]) -> list[str]:
    """Apply the days before a review each role's views are due; return those changed.
    Invitations already made keep their due day (it is what their letter said)."""
    names = ("child_views_due_days", "parent_views_due_days", "professional_views_due_days")
    return _change_numbers(authority, values, names)


def change_writing_settings(
    authority: LocalAuthority, numbers: Mapping[str, int], glossary: str | None
) -> list[str]:
    """The plain-language goal, glossary and timescales for plans and letters; a glossary
    not sent (None) stays as it is."""
    names = (
        "reading_age_goal",
        "outcomes_due_working_days",
        "letter_due_working_days",
        "plan_shared_working_days",
    )
    changed = _change_numbers(authority, numbers, names)
    if glossary is not None and glossary != authority.glossary:
        authority.glossary = glossary
        changed.append("glossary")
    return changed


def _change_numbers(
    authority: LocalAuthority, values: Mapping[str, int], names: tuple[str, ...]
) -> list[str]:
    before = {name: getattr(authority, name) for name in names}
    new = {name: values[name] for name in names if name in values}
    changed = changed_fields(before, new)
    for name in changed:
        setattr(authority, name, new[name])
    return changed


# --- Locked invitations -----------------------------------------------------------------


def locked_invitations(staff: StaffUser) -> list[Invitation]:
    """Invitations locked after too many wrong PINs or secret words, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .join(Invitation.review)
            .where(
                Invitation.local_authority_id == staff.local_authority_id,
                Review.local_authority_id == staff.local_authority_id,
                Invitation.locked_at.is_not(None),
                Invitation.revoked_at.is_(None),
            )
            .options(joinedload(Invitation.review))
            .order_by(Invitation.locked_at.desc(), Invitation.id.desc())
        )
    )


def invitation_in_authority(staff: StaffUser, invitation_id: int) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(
            Invitation.id == invitation_id,
            Invitation.local_authority_id == staff.local_authority_id,
        )
    )


def unlock_invitation(invitation: Invitation) -> None:
    """Unlock, and forget the old PIN or word: they choose a new one with their code."""
    invitation.locked_at = None
    invitation.failed_secret_attempts = 0
    invitation.secret_hash = None


def count_failed_sign_in(staff: StaffUser) -> None:
    """Add one failure in the database itself: wrong passwords or codes sent at the same
    moment must each count towards the lockout, not overwrite each other's count."""
    db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == staff.id)
        .values(failed_sign_ins=StaffUser.failed_sign_ins + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(staff, ["failed_sign_ins"])
