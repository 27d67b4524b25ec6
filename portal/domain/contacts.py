"""Recognising one person across their invitations by the contact details staff entered.

A foster carer with three children, or a designated teacher with six, is invited once
per child and review. The portal knows them as one person when the same email address
or mobile number was entered on each invitation, within one authority and one role
only: two authorities never share what they know about anyone, and a parent's phone
that is also the child's never lets the parent into the child's invitation.

Contacts are compared by a digest of their normalised form, so the index holds no
address; the invitation row keeps the address itself to send messages to.
"""

from __future__ import annotations

import hashlib
import unicodedata

# Children sign in with their own code and secret, never through a shared contact.
ROLES_RECOGNISED_BY_CONTACT = frozenset({"parent", "carer", "professional"})


def normalised_email(email: str) -> str:
    # Providers treat the local part case-insensitively in practice, and people retype
    # addresses in whatever case their phone's keyboard chose.
    return unicodedata.normalize("NFKC", email).strip().casefold()


def email_key(email: str) -> str | None:
    email = normalised_email(email)
    if not email or "@" not in email:
        return None
    return hashlib.sha256(f"email:{email}".encode()).hexdigest()


def phone_key(phone: str) -> str | None:
    """``phone`` as the portal stores it: a UK mobile already in +44 form."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 10:
        return None
    return hashlib.sha256(f"phone:+{digits}".encode()).hexdigest()


def recognised_by_contact(role: str) -> bool:
    return role in ROLES_RECOGNISED_BY_CONTACT
