from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import joinedload

from portal.domain import contacts, credentials, deadlines
from portal.extensions import db
from portal.models import (
    Child,
    Consultation,
    ContactSignInLink,
    Invitation,
    InviteeRole,
    LocalAuthority,
    Review,
    SignInSession,
    utcnow,
)

# A sign-in link sent to someone's email or phone works once, for this long.
CONTACT_LINK_LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True)
class IssuedInvitation:
    """What the invitation letter prints. Only digests are kept after this."""

    invitation: Invitation
    link_token: str
    code: str


def issue_invitation(
    review: Review,
    *,
    invitee_name: str,
    role: InviteeRole,
    language: str,
    code_key: str,
    valid_for: timedelta = timedelta(days=60),
    now: datetime | None = None,
) -> IssuedInvitation:
    token = credentials.new_link_token()
    code = credentials.new_invitation_code()
    invitation = Invitation(
        local_authority_id=review.local_authority_id,
        review=review,
        role=role,
        invitee_name=invitee_name,
        language=language,
        token_digest=credentials.token_digest(token),
        code_digest=credentials.code_digest(code, code_key),
        expires_at=(now or utcnow()) + valid_for,
        due_on=deadlines.consultation_due_on(role, review.planned_on, _due_days(review)),
    )
    db.session.add(invitation)
    return IssuedInvitation(invitation, token, code)


def _due_days(review: Review) -> deadlines.DueDays:
    authority = db.session.get(LocalAuthority, review.local_authority_id)
    return authority.due_days if authority is not None else deadlines.DEFAULT_DUE_DAYS


def refresh_due_dates(review: Review) -> None:
    """After a review moves, each invitation's views are due relative to its new day."""
    due_days = _due_days(review)
    for invitation in review.invitations:
        invitation.due_on = deadlines.consultation_due_on(
            invitation.role, review.planned_on, due_days
        )


def set_contact(invitation: Invitation, *, email: str, phone: str) -> None:
    """Store how to reach them, and the digests that recognise them on other invitations
    (only for the roles portal.domain.contacts allows)."""
    invitation.contact_email = email
    invitation.contact_phone = phone
    recognised = contacts.recognised_by_contact(invitation.role)
    invitation.contact_email_key = contacts.email_key(email) if recognised else None
    invitation.contact_phone_key = contacts.phone_key(phone) if recognised else None


def record_sent(invitation: Invitation, at: datetime | None = None) -> None:
    if invitation.sent_at is None:
        invitation.sent_at = at or utcnow()


def _open_invitations() -> list[ColumnElement[bool]]:
    now = utcnow()
    return [
        Invitation.revoked_at.is_(None),
        Invitation.locked_at.is_(None),
        Invitation.expires_at > now,
    ]


def invitations_of_the_same_person(invitation: Invitation) -> list[Invitation]:
    """Every open invitation of the person signed in with ``invitation`` (itself included),
    soonest due first: same authority, same role, and the same email address or mobile
    number entered by staff (portal.domain.contacts). Anyone else sees only their own."""
    keys = [
        (column, key)
        for column, key in (
            (Invitation.contact_email_key, invitation.contact_email_key),
            (Invitation.contact_phone_key, invitation.contact_phone_key),
        )
        if key
    ]
    if not contacts.recognised_by_contact(invitation.role) or not keys:
        return [invitation]
    found = list(
        db.session.scalars(
            select(Invitation)
            .join(Invitation.review)
            .where(
                Invitation.local_authority_id == invitation.local_authority_id,
                Invitation.role == invitation.role,
                or_(*(column == key for column, key in keys)),
                *_open_invitations(),
            )
            .options(
                joinedload(Invitation.review).joinedload(Review.child),
                joinedload(Invitation.consultation),
            )
            .order_by(Invitation.due_on, Review.planned_on, Invitation.id)
        ).unique()
    )
    return found if any(i.id == invitation.id for i in found) else [invitation, *found]


def consultation_of_the_same_person(
    invitation: Invitation, consultation_id: int
) -> Consultation | None:
    """A consultation of another of this person's open invitations (a second tab open on
    another child's form), or None."""
    for other in invitations_of_the_same_person(invitation):
        if other.consultation is not None and other.consultation.id == consultation_id:
            return other.consultation
    return None


def switch_to(sign_in_token_digest: str, invitation: Invitation) -> None:
    """Point a live sign-in session at another of the same person's invitations."""
    found = db.session.scalar(
        select(SignInSession).where(SignInSession.token_digest == sign_in_token_digest)
    )
    if found is not None and found.ended_at is None:
        found.invitation_id = invitation.id


# --- Sign-in links sent to a contact -------------------------------------------------


@dataclass(frozen=True)
class ContactLink:
    """A link to send: the token goes in the message; only its digest is stored."""

    token: str
    invitation: Invitation  # the soonest due of the person's invitations, for the message


def issue_contact_links(
    contact_key: str, *, column: str, now: datetime | None = None
) -> list[ContactLink]:
    """One link per authority and role in which this contact is on an open invitation
    (never one link across two authorities). ``column`` is "email" or "phone"."""
    key_column = Invitation.contact_email_key if column == "email" else Invitation.contact_phone_key
    now = now or utcnow()
    found = db.session.scalars(
        select(Invitation)
        .where(key_column == contact_key, *_open_invitations())
        .options(joinedload(Invitation.review), joinedload(Invitation.local_authority))
        .order_by(Invitation.due_on, Invitation.id)
    ).all()
    links: list[ContactLink] = []
    seen: set[tuple[int, str]] = set()
    for invitation in found:
        group = (invitation.local_authority_id, invitation.role)
        if group in seen or not contacts.recognised_by_contact(invitation.role):
            continue
        seen.add(group)
        token = credentials.new_link_token()
        db.session.add(
            ContactSignInLink(
                local_authority_id=invitation.local_authority_id,
                role=invitation.role,
                contact_key=contact_key,
                token_digest=credentials.token_digest(token),
                expires_at=now + CONTACT_LINK_LIFETIME,
            )
        )
        links.append(ContactLink(token, invitation))
    return links


def contact_link_is_live(token_digest: str, now: datetime | None = None) -> bool:
    link = db.session.scalar(
        select(ContactSignInLink).where(ContactSignInLink.token_digest == token_digest)
    )
    return link is not None and link.used_at is None and link.expires_at > (now or utcnow())


def use_contact_link(token_digest: str, now: datetime | None = None) -> Invitation | None:
    """Spend a sign-in link: the soonest due of the invitations it stands for, or None if
    it is unknown, used, out of time, or every such invitation has closed since."""
    now = now or utcnow()
    # One statement that spends the link only if it is still unspent: two presses at
    # once (or two devices) cannot both get in with it, on SQLite or PostgreSQL.
    spent = db.session.execute(
        update(ContactSignInLink)
        .where(
            ContactSignInLink.token_digest == token_digest,
            ContactSignInLink.used_at.is_(None),
            ContactSignInLink.expires_at > now,
        )
        .values(used_at=now)
        .returning(
            ContactSignInLink.local_authority_id,
            ContactSignInLink.role,
            ContactSignInLink.contact_key,
        )
    ).first()
    if spent is None:
        return None
    authority_id, role, contact_key = spent
    return db.session.scalar(
        select(Invitation)
        .where(
            Invitation.local_authority_id == authority_id,
            Invitation.role == role,
            or_(
                Invitation.contact_email_key == contact_key,
                Invitation.contact_phone_key == contact_key,
            ),
            *_open_invitations(),
        )
        .order_by(Invitation.due_on, Invitation.id)
        .limit(1)
    )


def invitation_by_token(token: str) -> Invitation | None:
    digest = credentials.token_digest(token)
    return db.session.scalar(select(Invitation).where(Invitation.token_digest == digest))


def invitation_by_code(code: str, code_keys: Sequence[str]) -> Invitation | None:
    """The invitation with this code, made with the current key or an earlier one."""
    if not credentials.looks_like_a_code(code):
        return None
    digests = [credentials.code_digest(code, key) for key in code_keys]
    return db.session.scalar(select(Invitation).where(Invitation.code_digest.in_(digests)))


def invitation_by_id(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)


def is_usable(invitation: Invitation, now: datetime | None = None) -> bool:
    return invitation.revoked_at is None and invitation.expires_at > (now or utcnow())


def record_opened(invitation: Invitation) -> None:
    if invitation.first_opened_at is None:
        invitation.first_opened_at = utcnow()


def record_failed_secret(invitation: Invitation) -> None:
    invitation.failed_secret_attempts += 1
    if credentials.is_locked_after(invitation.failed_secret_attempts):
        invitation.locked_at = utcnow()


def record_good_secret(invitation: Invitation) -> None:
    invitation.failed_secret_attempts = 0


def child_of(invitation: Invitation) -> Child:
    return invitation.review.child


def local_authority_of(invitation: Invitation) -> LocalAuthority:
    return invitation.local_authority
