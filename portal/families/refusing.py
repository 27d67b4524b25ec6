"""A record outside an invited person's reach: recorded in the audit trail, then 404.

A parent trying a number in the address bar may be looking for the child's or the
other parent's answers; the IRO's manager should be able to see that it happened.
"""

from __future__ import annotations

from typing import NoReturn

from flask import abort, request

from portal.data import audit
from portal.extensions import db
from portal.models import AuditAction
from portal.web.people import current_invitation


def refuse(subject_type: str, subject_id: int) -> NoReturn:
    invitation = current_invitation()
    audit.record_by_invited_person(
        invitation.id,
        invitation.local_authority_id,
        AuditAction.DENIED,
        subject_type=subject_type,
        subject_id=subject_id,
        from_address=request.remote_addr,
    )
    db.session.commit()
    abort(404)
