"""Words for the figures: each figure's name and definition, the tables' titles, and a
sentence of commentary per figure. Whole sentences, for translators."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.domain.figures import Figure, format_points
from portal.domain.participation import DEFINITIONS, ParticipationMeasure
from portal.domain.report import ReportAgeBand
from portal.staff.participation_words import CODE_MEANING, DEFINITION, MEASURE_NAME, PN

SECTION_TITLE: dict[str, LazyString] = {
    "reviews": _l("Reviews and participation"),
    "codes": _l("How children took part (participation codes)"),
    "consultations": _l("Consultations before the review"),
    "letters": _l("Letters and plans"),
    "said": _l("What children said in their consultations"),
    "feedback": _l("Feedback after the review"),
}

AGE_BAND: dict[ReportAgeBand, LazyString] = {
    ReportAgeBand.UNDER_5: _l("Under 5"),
    ReportAgeBand.AGE_5_TO_9: _l("5 to 9"),
    ReportAgeBand.AGE_10_TO_15: _l("10 to 15"),
    ReportAgeBand.AGE_16_AND_OVER: _l("16 and over"),
}

ROLE_GROUP: dict[str, LazyString] = {
    "child": _l("Children and young people"),
    "parent": _l("Parents"),
    "carer": _l("Carers"),
    "professional.health": _l("Health professionals"),
    "professional.education": _l("Education professionals"),
    "professional.other": _l("Other professionals"),
}

_CONSULTATION_STAGE = {
    "opened": (
        _l("%(group)s: invitations opened"),
        _l("Invitations opened, out of invitations sent for reviews held."),
    ),
    "submitted": (
        _l("%(group)s: consultations sent back"),
        _l("Consultations sent back, out of invitations sent for reviews held."),
    ),
    "on_time": (
        _l("%(group)s: sent back on time"),
        _l("Consultations sent back by their due day, out of those sent back."),
    ),
}

_FIXED: dict[str, tuple[LazyString, LazyString]] = {
    "reviews.in_timescale": (
        _l("Reviews held in timescale"),
        _l(
            "Reviews held by their statutory date, out of reviews held whose timescale "
            "was recorded."
        ),
    ),
    "reviews.chaired": (
        _l("Children who chaired their review"),
        _l(
            "Reviews the child chaired, all or part, out of reviews held whose record "
            "says whether they did."
        ),
    ),
    "letters.published": (
        _l("Letters to the child published"),
        _l("Reviews held whose letter to the child was published, out of reviews held."),
    ),
    "letters.in_timescale": (
        _l("Letters published in timescale"),
        _l(
            "Reviews held whose letter was published within the authority's timescale, "
            "out of reviews held."
        ),
    ),
    "letters.opened": (
        _l("Letters the child opened"),
        _l("Letters published that the child opened, out of letters published."),
    ),
    "plans.shared": (
        _l("Plans shared before the review"),
        _l(
            "Reviews held with the child's plan published by the authority's working days "
            "before the day held, out of reviews held."
        ),
    ),
    "said.feel_listened_to": (
        _l("Feel people listen to them"),
        _l(
            "Children who answered yes, out of children who answered the question in a "
            "consultation sent for a review held."
        ),
    ),
    "said.see_social_worker_enough": (
        _l("See their social worker often enough"),
        _l(
            "Children who answered that they see their social worker often enough, out of "
            "children who answered the question."
        ),
    ),
    "said.know_how_to_complain": (
        _l("Know how to complain"),
        _l(
            "Children who answered yes, out of children who answered the question in a "
            "consultation sent for a review held."
        ),
    ),
    "said.know_children_in_care_council": (
        _l("Know about the Children in Care Council"),
        _l(
            "Children who answered yes, out of children who answered the question in a "
            "consultation sent for a review held."
        ),
    ),
    "feedback.great": (
        _l("The review was great"),
        _l("Feedback giving this answer to how the review was, out of those who answered."),
    ),
    "feedback.good": (
        _l("The review was good"),
        _l("Feedback giving this answer to how the review was, out of those who answered."),
    ),
    "feedback.okay": (
        _l("The review was OK"),
        _l("Feedback giving this answer to how the review was, out of those who answered."),
    ),
    "feedback.not_good": (
        _l("The review was not good"),
        _l("Feedback giving this answer to how the review was, out of those who answered."),
    ),
    "feedback.right_place": (
        _l("It was where they wanted"),
        _l("Feedback answering yes, out of those who answered the question."),
    ),
    "feedback.right_day": (
        _l("It was on a day they wanted"),
        _l("Feedback answering yes, out of those who answered the question."),
    ),
    "feedback.right_time": (
        _l("It was at a time they wanted"),
        _l("Feedback answering yes, out of those who answered the question."),
    ),
    "feedback.asked_who_should_come": (
        _l("They were asked who should come"),
        _l("Feedback answering yes, out of those who answered the question."),
    ),
    "feedback.listened_to": (
        _l("They felt listened to"),
        _l("Feedback answering yes, out of those who answered the question."),
    ),
    "feedback.understand_decisions": (
        _l("They understand what was decided"),
        _l("Feedback answering yes, out of those who answered the question."),
    ),
}


def name_of(key: str) -> str:
    """The figure's name as a table shows it."""
    if key in _FIXED:
        return str(_FIXED[key][0])
    if key.startswith("participation."):
        return str(MEASURE_NAME[ParticipationMeasure(key.split(".", 1)[1])])
    if key.startswith("codes."):
        code = key.split(".", 1)[1]
        return _("%(code)s: %(meaning)s", code=code, meaning=CODE_MEANING[PN(code)])
    if key.startswith("consultations."):
        group, stage = key.removeprefix("consultations.").rsplit(".", 1)
        return _CONSULTATION_STAGE[stage][0] % {"group": ROLE_GROUP[group]}
    return key


def definition_of(key: str) -> str:
    """What the figure counts, in the page's language."""
    if key in _FIXED:
        return str(_FIXED[key][1])
    if key.startswith("participation."):
        return str(DEFINITION[ParticipationMeasure(key.split(".", 1)[1])])
    if key == "codes.PN0":
        return _("Reviews of children under 4 (PN0), out of all reviews with a code.")
    if key.startswith("codes."):
        return _("Reviews with this code, out of reviews coded PN1 to PN7.")
    if key.startswith("consultations."):
        return str(_CONSULTATION_STAGE[key.rsplit(".", 1)[1]][1])
    return key


def commentary(key: str, now: Figure | None, before: Figure | None) -> str:
    """One plain sentence per figure, with the change from the period before."""
    if now is None:
        return _("Not recorded: the portal holds no records of this yet.")
    shown = now.display()
    if shown is None:
        return _("There was nothing to count in this period.")
    if before is None or before.display() is None:
        return _(
            "%(percentage)s (%(numerator)s of %(denominator)s). There is nothing to compare "
            "with in the period before.",
            percentage=shown,
            numerator=now.numerator,
            denominator=now.denominator,
        )
    change = now.change_from(before)
    assert change is not None
    points = format_points(abs(change))
    if format_points(change) == format_points(0 * change):
        return _(
            "%(percentage)s (%(numerator)s of %(denominator)s), the same as the period "
            "before (%(before)s).",
            percentage=shown,
            numerator=now.numerator,
            denominator=now.denominator,
            before=before.display(),
        )
    if change > 0:
        return _(
            "%(percentage)s (%(numerator)s of %(denominator)s), up %(points)s percentage "
            "points from %(before)s the period before.",
            percentage=shown,
            numerator=now.numerator,
            denominator=now.denominator,
            points=points,
            before=before.display(),
        )
    return _(
        "%(percentage)s (%(numerator)s of %(denominator)s), down %(points)s percentage "
        "points from %(before)s the period before.",
        percentage=shown,
        numerator=now.numerator,
        denominator=now.denominator,
        points=points,
        before=before.display(),
    )


MEASURES = [(m.value, MEASURE_NAME[m]) for m in DEFINITIONS]
