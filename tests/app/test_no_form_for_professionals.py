"""Until professionals have their own form, they are not invited, and no adult's answer
can raise a child's safety alert."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.domain.age_bands import AgeBand
from portal.extensions import db
from portal.models import Consultation, Invitation, InviteeRole, SafetyConcern
from portal.questionnaires.declarations import form_for
from tests import factories
from tests.journeys import SECRET, child_signs_in, staff_signs_in


def test_inviting_a_professional_is_refused_with_a_clear_message(client) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro)
    db.session.commit()
    staff_signs_in(client, iro.email)
    form = client.get(f"/staff/reviews/{review.id}/invite").text
    assert 'value="professional"' not in form
    assert "Professionals cannot be invited yet" in form

    refused = client.submit(
        f"/staff/reviews/{review.id}/invite",
        {"role": "professional", "name": "Ms Teacher", "language": "en_GB", "channel": "letter"},
    )
    assert refused.status_code == 200
    assert "Error:" in refused.text and "the portal has no form for them" in refused.text
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_a_professional_invited_earlier_is_told_there_is_no_form_not_given_a_childs(
    client,
) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, age=14)
    issued = factories.invitation(review, role=InviteeRole.PROFESSIONAL, name="Mr Nurse")
    db.session.commit()
    assert client.get(f"/i/{issued.link_token}").status_code == 302
    client.submit("/sign-in/secret", {"secret": SECRET, "confirm": SECRET})
    page = client.get("/consultation")
    assert page.status_code == 200
    assert "There is no form for you yet" in page.text
    assert "Your review meeting" not in page.text
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 0


def test_an_adults_unsafe_looking_answer_raises_no_safety_alert(client) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, age=14)
    issued = factories.invitation(review, role=InviteeRole.PARENT, name="Grown-up")
    db.session.commit()
    first = child_signs_in(client, issued)
    consultation_id = int(first.split("/")[2])
    # Even if an adult were somehow on a child's form, "I do not feel safe" is theirs.
    child_form = form_for(AgeBand.AGE_13_TO_17)
    consultation = db.session.get(Consultation, consultation_id)
    consultation.form_key, consultation.form_version = child_form.key, child_form.version
    db.session.commit()
    moved = client.submit(
        f"/consultation/{consultation_id}/home",
        {"home_feeling": "scared", "feel_safe_home": "no"},
        from_url=first,
    )
    assert moved.status_code == 302
    assert "help-now" not in moved.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(SafetyConcern)) == 0
