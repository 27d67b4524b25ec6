"""Fictional records for tests, made through the same code paths the portal uses."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from flask import g

from portal.data.invitations import IssuedInvitation, issue_invitation
from portal.data.tenant_scope import TENANT_KEY
from portal.extensions import db
from portal.models import (
    Child,
    InviteeRole,
    LocalAuthority,
    Review,
    StaffRole,
    StaffUser,
    utcnow,
)

_counter = itertools.count(1)
STAFF_PASSWORD = "correct horse battery staple"
# Every factory-made member of staff has set up their authenticator app with this key.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def authority(slug: str | None = None) -> LocalAuthority:
    n = next(_counter)
    made = LocalAuthority(
        slug=slug or f"authority-{n}",
        name=f"Testshire {n} Council (fictional)",
        service_name=f"Your Voice, Testshire {n}",
        iro_team_phone="01632 960 000",
        iro_team_email=f"iro{n}@testshire.example",
        advocacy_service_name="Testshire Advocacy",
        advocacy_phone="01632 960 001",
    )
    db.session.add(made)
    db.session.flush()
    return made


def staff(
    la: LocalAuthority,
    *,
    name: str = "Ira Officer",
    role: StaffRole = StaffRole.IRO,
    password: str = STAFF_PASSWORD,
    enrolled: bool = True,
) -> StaffUser:
    from flask import current_app

    n = next(_counter)
    made = StaffUser(
        local_authority_id=la.id,
        email=f"staff{n}@{la.slug}.example",
        display_name=f"{name} {n}",
        phone="01632 960 123",
        role=role,
        password_hash=current_app.extensions["secret_hasher"].hash_password(password),
        totp_secret=TOTP_SECRET if enrolled else None,
        totp_enrolled_at=utcnow() if enrolled else None,
    )
    db.session.add(made)
    db.session.flush()
    return made


def child(
    la: LocalAuthority,
    iro: StaffUser,
    *,
    age: int = 14,
    name: str = "Robin",
    language: str = "en_GB",
    review_in_days: int = 14,
) -> tuple[Child, Review]:
    review_day = date.today() + timedelta(days=review_in_days)  # noqa: DTZ011
    made = Child(
        local_authority_id=la.id,
        preferred_name=name,
        date_of_birth=review_day - timedelta(days=int(365.25 * age) + 100),
        came_into_care_on=review_day - timedelta(days=500),
        preferred_language=language,
        iro_id=iro.id,
    )
    review = Review(local_authority_id=la.id, child=made, kind="subsequent", planned_on=review_day)
    db.session.add_all([made, review])
    db.session.flush()
    return made, review


def invitation(
    review: Review,
    *,
    role: InviteeRole = InviteeRole.CHILD,
    language: str = "en_GB",
    name: str = "Robin",
    valid_for: timedelta = timedelta(days=30),
    professional_kind: str | None = None,
    email: str = "",
    phone: str = "",
) -> IssuedInvitation:
    from flask import current_app

    from portal.data.invitations import set_contact

    issued = issue_invitation(
        review,
        invitee_name=name,
        role=role,
        language=language,
        code_key=current_app.config["SECRET_KEY"],
        valid_for=valid_for,
    )
    issued.invitation.professional_kind = professional_kind
    if email or phone:
        set_contact(issued.invitation, email=email, phone=phone)
    db.session.flush()
    return issued


def world(age: int = 14, language: str = "en_GB"):  # type: ignore[no-untyped-def]
    """An authority, its IRO, a child with a review, and the child's invitation."""
    la = authority()
    iro = staff(la)
    kid, review = child(la, iro, age=age, language=language)
    issued = invitation(review, language=language, name=kid.preferred_name)
    db.session.commit()
    return la, iro, kid, review, issued


@contextmanager
def in_authority(local_authority_id: int) -> Iterator[None]:
    """As in a request signed in to that authority: what runs is scoped to it."""
    setattr(g, TENANT_KEY, local_authority_id)
    try:
        yield
    finally:
        g.pop(TENANT_KEY, None)
