"""Storing a member of staff's two-factor enrolment and using their recovery codes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import undefer
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

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
    """An authenticator code: right, and not used before. Remembers it as used.

    The step is claimed with one conditional UPDATE, so of several requests posting
    the same code at once (in any thread or process) exactly one wins: the others
    find a step at or after theirs already stored, update nothing, and are refused.
    """
    if staff.totp_secret is None:
        return False
    step = two_factor.accepted_step(staff.totp_secret, typed, now, staff.totp_last_step)
    if step is None:
        return False
    # ORM-enabled, so the tenancy hook still scopes it (portal/web/tenancy.py).
    claimed = db.session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == staff.id,
            or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    # What the row now holds; not marked changed, so no second write on flush.
    set_committed_value(staff, "totp_last_step", step)
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
