"""A carer helps a child under 8 with their form: separate from their own, and recorded.

Only a carer invited for the same review may, only for a child under 8 on the day of
the review who has an invitation; the child's consultation shows the IRO who helped.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Answer, Consultation, ConsultationStatus, Invitation, InviteeRole, utcnow
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in


def _id(path: str) -> int:
    return int(path.split("/")[2])


def _answers(consultation_id: int) -> dict[str, str]:
    rows = db.session.scalars(select(Answer).where(Answer.consultation_id == consultation_id))
    return {a.question_key: a.value for a in rows}


def _young_child_and_carer(age: int = 6):  # type: ignore[no-untyped-def]
    la = factories.authority()
    iro = factories.staff(la)
    kid, review = factories.child(la, iro, age=age, name="Ruby")
    child = factories.invitation(review, name="Ruby")
    carer = factories.invitation(review, role=InviteeRole.CARER, name="Pat")
    db.session.commit()
    return la, iro, kid, review, child, carer


def test_a_carer_helps_a_young_child_with_their_own_form_and_the_iro_sees_who_helped(
    client, make_client
) -> None:
    la, iro, kid, review, child, carer = _young_child_and_carer()
    own_first = child_signs_in(client, carer)
    help_url = f"/consultation/help/{child.invitation.id}"
    page = client.get(own_first).text
    assert "Help <bdi>Ruby</bdi> with their form" in page and f'href="{help_url}"' in page

    opened = client.get(help_url)
    assert opened.status_code == 302
    childs_first = opened.headers["Location"]
    assert childs_first.endswith("/helper")
    child_cid, own_cid = _id(childs_first), _id(own_first)
    assert child_cid != own_cid
    consultation = db.session.get(Consultation, child_cid)
    assert consultation.invitation_id == child.invitation.id
    assert consultation.form_key == "under_8"

    helping = client.get(childs_first).text
    assert "You are helping <bdi>Ruby</bdi> with their form." in helping
    assert "Go back to your own form" in helping
    assert "Help <bdi>Ruby</bdi> with their form" not in helping
    client.submit(childs_first, {"helped_by": "carer", "helper_name": "Pat"})
    client.submit(
        f"/consultation/{child_cid}/happy_and_sad",
        {"makes_you_happy": "My dog", "makes_you_happy__audience": "meeting"},
        from_url=childs_first,
    )
    # The child's answers are the child's; the carer's own form is untouched.
    assert _answers(child_cid) == {
        "helped_by": "carer",
        "helper_name": "Pat",
        "makes_you_happy": "My dog",
    }
    assert _answers(own_cid) == {}
    assert db.session.get(Consultation, child_cid).helped_by_invitation_id == carer.invitation.id

    # Back to their own form, which still starts where it did.
    assert client.get("/consultation").headers["Location"] == own_first

    # They send the child's form together; the carer's own is still to do.
    client.submit(
        f"/consultation/{child_cid}/submit", {}, from_url=f"/consultation/{child_cid}/check"
    )
    assert db.session.get(Consultation, child_cid).status == ConsultationStatus.SUBMITTED
    assert db.session.get(Consultation, own_cid).status == ConsultationStatus.STARTED
    sent = client.get(f"/consultation/{child_cid}/sent").text
    assert "You are helping <bdi>Ruby</bdi> with their form." in sent

    staff = make_client()
    staff_signs_in(staff, iro.email)
    seen = staff.get(f"/staff/consultations/{child_cid}").text
    assert "Helped by" in seen and "Pat, their carer, opened this form with them" in seen
    printed = staff.get(f"/staff/consultations/{child_cid}/print").text
    assert "Pat, their carer, opened this form with them" in printed
    assert "Helped by" not in staff.get(f"/staff/consultations/{own_cid}").text


def test_the_child_still_signs_in_to_the_same_form(make_client) -> None:
    *_, child, carer = _young_child_and_carer()
    helper = make_client()
    child_signs_in(helper, carer)
    childs_first = helper.get(f"/consultation/help/{child.invitation.id}").headers["Location"]
    helper.submit(childs_first, {"helped_by": "carer", "helper_name": "Pat"})

    ruby = make_client()
    own = child_signs_in(ruby, child)
    assert _id(own) == _id(childs_first)
    assert "You are helping" not in ruby.get(own).text


def test_only_a_carer_for_the_same_review_may_help_and_only_a_child_under_8(
    make_client,
) -> None:
    la, iro, kid, review, child, carer = _young_child_and_carer()
    parent = factories.invitation(review, role=InviteeRole.PARENT, name="Morgan")
    # A carer invited for another child's review.
    _other_kid, other_review = factories.child(la, iro, age=6, name="Callum")
    other_carer = factories.invitation(other_review, role=InviteeRole.CARER, name="Sam")
    # A child of 8 or over has a carer too, who may not open their form.
    _older, older_review = factories.child(la, iro, age=9, name="Jess")
    older = factories.invitation(older_review, name="Jess")
    older_carer = factories.invitation(older_review, role=InviteeRole.CARER, name="Lee")
    db.session.commit()

    for issued, target in (
        (parent, child),
        (other_carer, child),
        (older_carer, older),
        (child, carer),  # nor the other way round
    ):
        client = make_client()
        first = child_signs_in(client, issued)
        assert "/consultation/help/" not in client.get(first).text
        refused = client.get(f"/consultation/help/{target.invitation.id}")
        assert refused.status_code == 404, (issued.invitation.invitee_name, target)

    # A withdrawn invitation cannot be helped with either.
    client = make_client()
    child_signs_in(client, carer)
    db.session.get(Invitation, child.invitation.id).revoked_at = utcnow()
    db.session.commit()
    assert "Help <bdi>Ruby" not in client.get("/consultation", follow_redirects=True).text
    assert client.get(f"/consultation/help/{child.invitation.id}").status_code == 404


def test_a_child_who_turns_8_before_the_review_is_not_helped(make_client) -> None:
    *_, child, carer = _young_child_and_carer(age=8)
    client = make_client()
    first = child_signs_in(client, carer)
    assert "Help <bdi>Ruby" not in client.get(first).text
    assert client.get(f"/consultation/help/{child.invitation.id}").status_code == 404
