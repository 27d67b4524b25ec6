"""Storing a member of staff's two-factor enrolment and using their recovery codes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import undefer
from sqlalchemy.orm.attributes import flag_modified

from portal.domain import two_factor
from portal.extensions import db
from portal.models import RecoveryCode, StaffUser, utcnow


def enrol(staff: StaffUser, secret: str, step: int, code_key: str) -> list[str]:
    """Keep the confirmed secret and return fresh recovery codes (shown once, stored as HMACs)."""
    staff.totp_secret = secret
    staff.totp_last_step = step
    staff.totp_enrolled_at = utcnow()
    return renew_recovery_codes(staff, code_key)


def renew_recovery_codes(staff: StaffUser, code_key: str) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.staff_user_id == staff.id))
    codes = two_factor.new_recovery_codes()
    db.session.add_all(
        RecoveryCode(
            staff_user_id=staff.id, code_digest=two_factor.recovery_code_digest(code, code_key)
        )
        for code in codes
    )
    return codes


def check_code(staff: StaffUser, typed: str, now: datetime) -> bool:
    """An authenticator code: right, and not used before. Remembers it as used."""
    if staff.totp_secret is None:
        return False
    step = two_factor.accepted_step(staff.totp_secret, typed, now, staff.totp_last_step)
    if step is None:
        return False
    staff.totp_last_step = step
    return True


def use_recovery_code(staff: StaffUser, typed: str, code_keys: Sequence[str]) -> bool:
    if not two_factor.looks_like_a_recovery_code(typed):
        return False
    digests = [two_factor.recovery_code_digest(typed, key) for key in code_keys]
    found = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.staff_user_id == staff.id,
            RecoveryCode.code_digest.in_(digests),
            RecoveryCode.used_at.is_(None),
        )
    )
    if found is None:
        return False
    found.used_at = utcnow()
    return True


def recovery_codes_left(staff: StaffUser) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.staff_user_id == staff.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def reseal_all() -> int:
    """Seal every stored authenticator key again, with the current secret key."""
    enrolled = db.session.scalars(
        select(StaffUser)
        .where(StaffUser.totp_secret.is_not(None))
        .options(undefer(StaffUser.totp_secret))
    )
    count = 0
    for staff in enrolled:
        # Opened with whichever key sealed it; marked changed, it is written sealed anew.
        flag_modified(staff, "totp_secret")
        count += 1
    return count
