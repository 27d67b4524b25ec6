"""What children, parents, carers and professionals use.

Signing in with an invitation and the consultation now; their plan, letters and
feedback later. Everything under this blueprint is for a signed-in invited person,
except the sign-in pages themselves (marked ``open_to_anyone``): the guard below
is the one place that says so. Nothing here imports the staff side.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, request
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from portal.families.consultation.unavailable import show_posted_answers_back
from portal.families.consultation.views import bp as consultation
from portal.families.door.views import bp as door
from portal.families.feedback.views import bp as feedback
from portal.families.reading.views import bp as reading
from portal.families.sign_in.views import bp as sign_in
from portal.web import people

bp = Blueprint("families", __name__)
bp.register_blueprint(sign_in)
bp.register_blueprint(consultation)
bp.register_blueprint(door)
bp.register_blueprint(feedback)
bp.register_blueprint(reading)


@bp.record_once
def _show_answers_back_when_the_database_is_down(state: BlueprintSetupState) -> None:
    unavailable = state.app.extensions.setdefault("when_database_unavailable", {})
    unavailable["families.consultation.step"] = show_posted_answers_back


@bp.before_request
def _invited_people_only() -> Response | None:
    if g.get("invitation") is not None or people.is_open_to_anyone(request.endpoint):
        return None
    if request.method == "POST" and request.view_args is not None and g.get("staff_user") is None:
        # A child whose session ended mid-page keeps what they typed (see consultation).
        keep = current_app.extensions.get("unaccepted_posts", {}).get(request.endpoint)
        if keep is not None:
            return keep(request.view_args)
    return people.sign_in_again("families.sign_in.enter_code")
