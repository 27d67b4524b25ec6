"""Steps people take, shared by tests."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from portal.data import documents
from portal.data.invitations import IssuedInvitation
from portal.domain import two_factor
from portal.extensions import db
from portal.models import (
    Child,
    ImportBatch,
    Invitation,
    LocalAuthority,
    Review,
    StaffRole,
    StaffUser,
)
from tests import factories
from tests.conftest import AuditingClient
from tests.factories import STAFF_PASSWORD

SECRET = "4821"


def child_signs_in(client: AuditingClient, issued: IssuedInvitation, secret: str = SECRET) -> str:
    """First visit by the personal link; returns the first consultation page's path."""
    opened = client.get(f"/i/{issued.link_token}")
    assert opened.status_code == 302
    chose = client.submit("/sign-in/secret", {"secret": secret, "confirm": secret})
    assert chose.status_code == 302, chose.get_data(as_text=True)
    started = client.get("/consultation")
    assert started.status_code == 302
    return started.headers["Location"]


def child_returns(client: AuditingClient, code: str, secret: str = SECRET):  # type: ignore[no-untyped-def]
    entered = client.submit("/sign-in", {"code": code})
    assert entered.status_code == 302, entered.get_data(as_text=True)
    return client.submit("/sign-in/secret", {"secret": secret})


def next_code(email: str) -> str:
    """What the person's authenticator app shows: a code for a step not used yet.

    The server accepts the previous, current and next steps' codes, and never one
    at or before the last step used. The previous step's code is typed only while
    the current step has time left, because by the time the server checks it may
    be a step later; when every usable step is spent, wait for the next one.
    """
    # populate_existing: the server may have used a step since this session last looked.
    query = select(StaffUser).where(StaffUser.email == email)
    staff = db.session.scalar(query.execution_options(populate_existing=True))
    assert staff is not None and staff.totp_secret is not None
    while True:
        moment = datetime.now(UTC)
        now = two_factor.step_at(moment)
        seconds_left = two_factor.STEP_SECONDS - moment.timestamp() % two_factor.STEP_SECONDS
        earliest = now - 1 if seconds_left > 10 else now
        last = staff.totp_last_step if staff.totp_last_step is not None else earliest - 1
        step = max(earliest, last + 1)
        if step <= now + 1:
            return two_factor.code_at(staff.totp_secret, step)
        time.sleep(seconds_left + 0.1)


def staff_signs_in(client: AuditingClient, email: str, password: str = STAFF_PASSWORD):  # type: ignore[no-untyped-def]
    """Password, then the authenticator code. Returns the last response."""
    entered = client.submit("/staff/sign-in", {"email": email, "password": password})
    if entered.status_code != 302 or not entered.headers["Location"].endswith("/sign-in/code"):
        return entered
    return client.submit("/staff/sign-in/code", {"code": next_code(email)})


@dataclass
class RunningService:
    """An authority with one record of every kind a staff URL can name."""

    local_authority: LocalAuthority
    iro: StaffUser
    manager: StaffUser
    administrator: StaffUser
    child: Child
    review: Review
    invitation: IssuedInvitation
    locked_invitation: Invitation
    batch: ImportBatch
    consultation_id: int
    first_step: str
    document_id: int = 0

    def url(self, rule: str, *, invitation: Invitation | None = None) -> str:
        """A staff URL rule with each record id filled in from this service."""
        ids = {
            "consultation_id": self.consultation_id,
            "child_id": self.child.id,
            "review_id": self.review.id,
            "invitation_id": (invitation or self.invitation.invitation).id,
            "staff_id": self.iro.id,
            "batch_id": self.batch.id,
            "document_id": self.document_id,
        }
        return re.sub(r"<id:(\w+)>", lambda m: str(ids[m.group(1)]), rule)


def a_running_service(
    child_client: AuditingClient, *, child_name: str = "Robin", batch_content: str = "child_ref\n"
) -> RunningService:
    """A child has started their consultation; another invitation is locked; a file is
    waiting to be imported."""
    la, iro, kid, review, issued = factories.world()
    kid.preferred_name = child_name
    manager = factories.staff(la, role=StaffRole.MANAGER)
    administrator = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    locked = factories.invitation(review, name="Locked Lorcan").invitation
    locked.locked_at = locked.created_at
    batch = ImportBatch(
        local_authority_id=la.id,
        uploaded_by_id=manager.id,
        filename="export.csv",
        content=batch_content,
        content_digest="0" * 64,
        summary='{"encoding": "utf-8"}',
    )
    db.session.add(batch)
    db.session.commit()
    first_step = child_signs_in(child_client, issued)
    # The letter after the review, published, so its pages exist too.
    letter = documents.start_letter(review)
    documents.save_draft(
        letter,
        "## What was decided\nYou will stay at home.",
        seen_revision=0,
        staff=iro,
        for_parents=False,
        for_carers=False,
    )
    documents.publish(letter, iro, reading_age=7, above_goal_confirmed=False)
    db.session.commit()
    return RunningService(
        la,
        iro,
        manager,
        administrator,
        kid,
        review,
        issued,
        locked,
        batch,
        int(first_step.split("/")[2]),
        first_step,
        letter.id,
    )
