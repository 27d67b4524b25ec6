"""The staff workspace under /staff: IROs, managers and administrators.

One area a blueprint (sign-in, caseload, inbox, inviting, imports, administration,
audit trail), all under this parent. Its guard is the one place that keeps the
whole URL space for signed-in staff; each view then checks its role's capability.
Nothing here imports the families side.
"""

from __future__ import annotations

from flask import Blueprint, g, request
from werkzeug.wrappers import Response

from portal.staff.administration.views import bp as administration
from portal.staff.audit_trail.views import bp as audit_trail
from portal.staff.caseload.views import bp as caseload
from portal.staff.figures.views import bp as figures
from portal.staff.imports.views import bp as imports
from portal.staff.inbox.views import bp as inbox
from portal.staff.inviting.views import bp as inviting
from portal.staff.recording.views import bp as recording
from portal.staff.sign_in.views import bp as sign_in
from portal.staff.writing.views import bp as writing
from portal.web import people

bp = Blueprint("staff", __name__, url_prefix="/staff")
for area in (
    sign_in,
    caseload,
    inbox,
    inviting,
    imports,
    administration,
    audit_trail,
    writing,
    recording,
    figures,
):
    bp.register_blueprint(area)


@bp.before_request
def _staff_only() -> Response | None:
    if g.get("staff_user") is not None or people.is_open_to_anyone(request.endpoint):
        return None
    return people.sign_in_again("staff.sign_in.sign_in")
