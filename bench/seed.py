"""Fictional data for the bench and the load test, in the database DATABASE_URL names.

    PORTAL_ENV=test DATABASE_URL=... SECRET_KEY=... python bench/seed.py N

Creates the demo (``flask seed-demo``'s fictional people) and N more fictional children
in the demo authority, each with a review and an invitation, and prints JSON: each
child's personal link and invitation id, and for every form the questions a page can
ask (which answers would raise a safety alert, so that a load test can avoid them).
Run it only on a database made for the purpose: the bench makes its own.
"""

from __future__ import annotations

import json
import sys
from datetime import time, timedelta

from sqlalchemy import select

from portal import create_app, demo
from portal.data.invitations import issue_invitation
from portal.domain.timescales import ReviewKind, today_in_england
from portal.extensions import db
from portal.models import Child, InviteeRole, LocalAuthority, Review, StaffUser
from portal.questionnaires.declarations import CURRENT_FORMS

# Ages cycle through every child's form: 13 to 17 most often, as in the care population.
AGES = (15, 10, 16, 6, 14, 9, 17, 13, 19, 12)
# Languages cycle too: every page is drawn in the child's language.
LANGUAGES = ("en_GB", "en_GB", "ar", "en_GB", "ti", "en_GB")


def _birthday(age: int, on_day: object) -> object:
    from datetime import date

    assert isinstance(on_day, date)
    return on_day.replace(year=on_day.year - age) - timedelta(days=40)


def invite_children(count: int, code_key: str) -> list[dict[str, object]]:
    """Invite ``count`` fictional children of the demo authority (seeded already), each
    with a review three weeks away; their personal links and invitation ids. Call it in
    an app context."""
    authority = db.session.scalar(select(LocalAuthority).where(LocalAuthority.slug == "eastwold"))
    iro = db.session.scalar(select(StaffUser).where(StaffUser.email == "jo.iro@eastwold.example"))
    assert authority is not None and iro is not None
    review_day = today_in_england() + timedelta(days=21)
    issued = []
    for number in range(count):
        age = AGES[number % len(AGES)]
        language = LANGUAGES[number % len(LANGUAGES)]
        child = Child(
            local_authority_id=authority.id,
            preferred_name=f"Load test child {number + 1}",
            date_of_birth=_birthday(age, review_day),
            came_into_care_on=review_day - timedelta(days=400),
            uasc=False,
            preferred_language=language,
            iro_id=iro.id,
        )
        review = Review(
            local_authority_id=authority.id,
            child=child,
            kind=ReviewKind.SUBSEQUENT if age < 18 else ReviewKind.PATHWAY_PLAN,
            planned_on=review_day,
            planned_time=time(16, 0),
            venue="At home",
        )
        db.session.add_all([child, review])
        db.session.flush()
        made = issue_invitation(
            review,
            invitee_name=child.preferred_name,
            role=InviteeRole.CHILD,
            language=language,
            code_key=code_key,
        )
        issued.append(made)
        if number % 200 == 199:
            db.session.flush()
    db.session.commit()
    return [
        {"link": f"/i/{made.link_token}", "invitation_id": made.invitation.id} for made in issued
    ]


def seed(count: int) -> dict[str, object]:
    app = create_app()
    with app.app_context():
        hasher = app.extensions["secret_hasher"]
        demo.seed_demo(
            code_key=app.config["SECRET_KEY"],
            password_hash=hasher.hash_password(demo.DEMO_STAFF_PASSWORD),
        )
        children = invite_children(count, app.config["SECRET_KEY"])
    forms = {
        key: {
            question.key: {
                "type": str(question.type),
                "safety": sorted(question.safety_values),
                "options": [option.value for option in question.options],
            }
            for step in form.steps
            for question in step.questions
        }
        for key, form in CURRENT_FORMS.items()
    }
    return {"children": children, "forms": forms}


if __name__ == "__main__":
    print(json.dumps(seed(int(sys.argv[1]) if len(sys.argv) > 1 else 0)))
