"""A subject access request: a manager downloads everything held about one child."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlalchemy import select

from portal.data import deliveries, parked_answers
from portal.domain.timescales import today_in_england
from portal.extensions import db
from portal.models import AuditAction, AuditEvent, Invitation, StaffRole
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in

ARABIC_WITH_EMOJI = "أريد أن أبقى مع أخي 👨‍👦 وأحب المدرسة 🏫✨\nالسطر الثاني"
# Right-to-left override, then a pop: kept as written, and flagged to the reader.
WITH_OVERRIDE = "ok \u202egnp.exe\u202c done"
TIGRINYA = "ምስ ሓወይ ክነብር እደሊ 🙂"
PRIVATE_WORDS = "ሓደ ነገር ንዓኻ ጥራይ"
PARKED_WORDS = "كتبت هذا بعد انتهاء الجلسة 🌙"
SECOND_CHILDS_WORDS = "Zanzibar-only words from the other child"


def _everything(client, child_id: int):  # type: ignore[no-untyped-def]
    return client.get(f"/staff/children/{child_id}/everything")


def _a_child_who_has_had_their_say(make_client):  # type: ignore[no-untyped-def]
    """A child who wrote in Arabic, Tigrinya and emoji, said they may not be safe, and whose
    review was rearranged; and a second child of the same authority with their own words."""
    la, iro, kid, review, issued = factories.world(language="ar")
    kid.preferred_name = issued.invitation.invitee_name = "Amira"
    second, second_review = factories.child(la, iro, name="Second Sibyl")
    second_issued = factories.invitation(second_review, name="Second Sibyl")
    parent = factories.invitation(review, role="parent", name="Parent Pim")
    manager = factories.staff(la, role=StaffRole.MANAGER, name="Manager Mo")
    db.session.commit()

    child = make_client()
    first = child_signs_in(child, issued)
    cid = int(first.split("/")[2])
    child.submit(
        f"/consultation/{cid}/your_views",
        {
            "working_well": ARABIC_WITH_EMOJI,
            "worried_about": WITH_OVERRIDE,
            "needs_to_happen": TIGRINYA,
        },
        from_url=first,
    )
    child.submit(f"/consultation/{cid}/home", {"feel_safe_home": "no"}, from_url=first)
    child.submit(
        f"/consultation/{cid}/only_for_iro", {"only_for_iro": PRIVATE_WORDS}, from_url=first
    )

    other = make_client()
    other_first = child_signs_in(other, second_issued)
    other.submit(
        f"/consultation/{other_first.split('/')[2]}/your_views",
        {"working_well": SECOND_CHILDS_WORDS},
        from_url=other_first,
    )

    iro_client = make_client()
    staff_signs_in(iro_client, iro.email)
    iro_client.submit(
        f"/staff/consultations/{cid}/safety",
        {"action_taken": "Visited the same day; safe with her carer."},
        from_url=f"/staff/consultations/{cid}",
    )
    iro_client.submit(
        f"/staff/reviews/{review.id}/status",
        {
            "status": "rearranged",
            "reason": "Amira has exams that week",
            "new_date": (review.planned_on + timedelta(days=7)).isoformat(),
        },
        from_url=f"/staff/reviews/{review.id}",
    )
    # A message that could not be sent (its error names an address), and answers posted
    # after a session ended, kept for the child to check.
    deliveries.record_delivery(
        local_authority_id=la.id,
        purpose="reminder",
        channel="email",
        status="failed",
        error="550 no such mailbox amira@example.org",
        invitation=db.session.get(Invitation, issued.invitation.id),
    )
    parked_answers.park_answers(cid, "your_views", {"working_well": PARKED_WORDS})
    db.session.commit()
    return la, iro, manager, kid, review, issued, parent, second, cid


def test_a_manager_downloads_everything_held_about_a_child(client, make_client) -> None:
    la, iro, manager, kid, review, issued, parent, second, cid = _a_child_who_has_had_their_say(
        make_client
    )
    staff_signs_in(client, manager.email)
    page = client.get(f"/staff/children/{kid.id}").text
    assert "Download everything held about this child" in page
    assert f'href="/staff/children/{kid.id}/everything"' in page

    response = _everything(client, kid.id)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.mimetype_params["charset"] == "utf-8"
    filename = f"child-{kid.id}-{today_in_england().isoformat()}.html"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "Amira" not in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    # The bytes are UTF-8 and the child's words are in them exactly, every script and emoji.
    raw = response.get_data()
    for words in (ARABIC_WITH_EMOJI, TIGRINYA, PRIVATE_WORDS, WITH_OVERRIDE):
        assert words.encode("utf-8") in raw, words
    text = html.unescape(response.get_data(as_text=True))

    # The record, and each answer beside its question in English, with its language.
    assert "Everything held about Amira" in text
    assert "What is working well for you?" in text and "Written in: Arabic" in text
    assert re.search(r'lang="ar" dir="auto">' + re.escape(ARABIC_WITH_EMOJI) + "<", text)
    assert "hidden characters that change the direction of text" in text
    assert "Only for the IRO: do not share with parents or carers" in text
    # Who the child chose may read each answer in their own words.
    assert "Who can read it: For everyone at the meeting" in text
    assert "Do you feel safe where you live?" in text and "No, I do not feel safe" in text
    # The safety concern and what was done about it.
    assert "Safety concerns" in text and "Visited the same day; safe with her carer." in text
    # The review and its status history.
    assert "Status history" in text and "Amira has exams that week" in text
    assert "Planned" in text and "Rearranged" in text and iro.display_name in text
    # Messages sent and how they went, without the technical error (it may name an address).
    assert "Messages sent" in text and "Reminder" in text and "Not sent" in text
    assert "amira@example.org" not in text
    # Answers kept after a session ended are held too, so they are in the file.
    assert "Answers sent after a sign-in had ended" in text and PARKED_WORDS in text
    # Every invitation, with role and language, and never a digest or secret.
    assert "Parent Pim (Parent)" in text and "Amira (Child or young person)" in text
    for invitation in db.session.scalars(select(Invitation)).all():
        for secret in (invitation.token_digest, invitation.code_digest, invitation.secret_hash):
            assert not secret or secret not in text
    assert issued.code not in text and issued.link_token not in text
    # The audit trail about the child's records, including this download.
    for action in (
        "Read a consultation",
        "Acted on a safety concern",
        "Changed a review’s status",
        "Viewed a child’s record",
        "Downloaded everything held about a child",
    ):
        assert action in text, action
    # Nothing about the other child of the same authority.
    assert "Second Sibyl" not in text and SECOND_CHILDS_WORDS not in text

    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORTED_CHILD_RECORD)
    ).one()
    assert (exported.staff_user_id, exported.subject_type, exported.subject_id) == (
        manager.id,
        "child",
        kid.id,
    )
    assert exported.detail == filename  # never the child's words
    assert exported.from_address == "127.0.0.1"


def test_an_iro_even_the_childs_own_and_an_administrator_get_not_found(make_client) -> None:
    la, iro, kid, *_rest = factories.world()
    administrator = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    db.session.commit()
    for person in (iro, administrator):
        client = make_client()
        staff_signs_in(client, person.email)
        if person is iro:
            assert "Download everything" not in client.get(f"/staff/children/{kid.id}").text
        response = _everything(client, kid.id)
        assert response.status_code == 404, person.role
        assert "Content-Disposition" not in response.headers
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORTED_CHILD_RECORD)
    ).all()
    # While a manager of the same authority gets it: only the role was refused.
    manager = factories.staff(la, role=StaffRole.MANAGER)
    db.session.commit()
    client = make_client()
    staff_signs_in(client, manager.email)
    assert _everything(client, kid.id).status_code == 200


def test_another_authoritys_manager_gets_not_found_and_it_is_recorded(client) -> None:
    la, iro, kid, *_rest = factories.world()
    other = factories.authority()
    outsider = factories.staff(other, role=StaffRole.MANAGER)
    db.session.commit()
    staff_signs_in(client, outsider.email)
    response = _everything(client, kid.id)
    assert response.status_code == 404
    assert kid.preferred_name not in response.text
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.DENIED)
    ).one()
    assert (denied.staff_user_id, denied.local_authority_id) == (outsider.id, other.id)
    assert (denied.subject_type, denied.subject_id) == ("child", kid.id)
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORTED_CHILD_RECORD)
    ).all()
