"""One door for someone invited for several children: every open invitation sent to the
same email address or mobile number, each named by its child, and a way into each.

Only invitations portal.data.invitations.invitations_of_the_same_person finds are ever
listed or opened here: same authority, same role, same contact, still open.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

from portal.data import invitations as invitation_data
from portal.extensions import db
from portal.families.door.forms import ChooseForm
from portal.families.refusing import refuse
from portal.web import people
from portal.web.people import current_invitation

bp = Blueprint("door", __name__, url_prefix="/your-invitations")


@bp.get("")
def your_invitations() -> str:
    invitation = current_invitation()
    return render_template(
        "families/door/your_invitations.html",
        invitations=invitation_data.invitations_of_the_same_person(invitation),
        form=ChooseForm(),
    )


@bp.post("/<id:invitation_id>")
def choose(invitation_id: int) -> Response:
    form = ChooseForm()
    if not form.validate_on_submit():
        return redirect(url_for(".your_invitations"))
    chosen = next(
        (
            other
            for other in invitation_data.invitations_of_the_same_person(current_invitation())
            if other.id == invitation_id
        ),
        None,
    )
    if chosen is None:
        refuse("invitation", invitation_id)
    invitation_data.record_opened(chosen)
    people.switch_invitation(chosen)
    db.session.commit()
    return redirect(url_for("families.consultation.start"))
