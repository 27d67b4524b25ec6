"""Words staff see for participation codes and the facts of a review held.

The domain's sentences (portal.domain.participation) are English and unmarked; these
are the same meanings marked for translation, for pages in any language.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.domain.participation import ParticipationCode, ParticipationMeasure
from portal.domain.review_records import AdvocateRole, Attendee, Extent

PN = ParticipationCode

CODE_MEANING: dict[ParticipationCode, LazyString] = {
    PN.PN0: _l("Child under 4 at the time of the review"),
    PN.PN1: _l("Child came to the meeting and spoke for themselves"),
    PN.PN2: _l("Child came to the meeting and an advocate spoke for them"),
    PN.PN3: _l("Child came to the meeting and gave their views without words"),
    PN.PN4: _l("Child came to the meeting but did not speak or give their views"),
    PN.PN5: _l("Child did not come but asked an advocate to speak for them"),
    PN.PN6: _l(
        "Child did not come but gave their views another way (for example a consultation form)"
    ),
    PN.PN7: _l("Child did not come and their views were not given"),
}

ATTENDEE = {
    Attendee.PARENT: _l("A parent"),
    Attendee.CARER: _l("A carer"),
    Attendee.SOCIAL_WORKER: _l("The social worker"),
    Attendee.HEALTH: _l("A health professional"),
    Attendee.EDUCATION: _l("An education professional"),
    Attendee.OTHER: _l("Someone else"),
}

ATTENDED = {
    Extent.ALL: _l("Yes, all of it"),
    Extent.PART: _l("Yes, part of it"),
    Extent.NONE: _l("No"),
}

CHAIRED = {
    Extent.ALL: _l("Yes, all of it"),
    Extent.PART: _l("Yes, part of it"),
    Extent.NONE: _l("No"),
}

ADVOCATE = {
    AdvocateRole.NONE: _l("No advocate"),
    AdvocateRole.PRESENT: _l("An advocate was there, and the child spoke for themselves"),
    AdvocateRole.SPOKE: _l("An advocate spoke for the child"),
}

# The definitions of the rates, as portal.domain.participation.DEFINITIONS says them.
DEFINITION = {
    ParticipationMeasure.PARTICIPATED: _l(
        "Reviews where the child took part, by coming to the meeting or by having their "
        "views given another way (by an advocate, a consultation form or otherwise), out "
        "of all reviews of children aged 4 or over: codes PN1 to PN6 out of PN1 to PN7. "
        "Reviews of children under 4 (PN0) are left out."
    ),
    ParticipationMeasure.VIEWS_CONVEYED: _l(
        "Reviews where the child's views were heard, whether they said them at the "
        "meeting, showed them without words, or gave them through an advocate, a "
        "consultation form or another way, out of all reviews of children aged 4 or over: "
        "codes PN1, PN2, PN3, PN5 and PN6 out of PN1 to PN7. A child who came but gave no "
        "views (PN4) is not counted. Reviews of children under 4 (PN0) are left out."
    ),
    ParticipationMeasure.ATTENDED: _l(
        "Reviews the child came to, out of all reviews of children aged 4 or over: codes "
        "PN1 to PN4 out of PN1 to PN7. Reviews of children under 4 (PN0) are left out."
    ),
}

# How the review was, as feedback after it said (portal.domain.feedback.Face).
FACE = {
    "great": _l("Great"),
    "good": _l("Good"),
    "okay": _l("OK"),
    "not_good": _l("Not good"),
}

MEASURE_NAME = {
    ParticipationMeasure.PARTICIPATED: _l("Took part"),
    ParticipationMeasure.VIEWS_CONVEYED: _l("Views heard"),
    ParticipationMeasure.ATTENDED: _l("Came to the meeting"),
}


def code_label(code: str) -> str:
    """ "PN6: Child did not come but gave their views another way …"."""
    return _("%(code)s: %(meaning)s", code=code, meaning=CODE_MEANING[PN(code)])
