"""No adult's answer can raise a child's safety alert, even on a child's form.
(Professionals' own forms and the professional invited before kinds existed:
tests/app/test_everyone_around_the_child.py.)"""

from __future__ import annotations

from sqlalchemy import func, select

from portal.domain.age_bands import AgeBand
from portal.extensions import db
from portal.models import Consultation, InviteeRole, SafetyConcern
from portal.questionnaires.declarations import form_for
from tests import factories
from tests.journeys import child_signs_in


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
