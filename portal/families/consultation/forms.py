"""Who can read a child's answers: the words a child reads, and the form to change it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm

from portal.domain.audiences import Audience
from portal.models import Answer
from portal.questionnaires import builder
from portal.questionnaires.declarations import Question
from portal.web.forms import PortalForm

# Said back to the child under each answer on "Check your answers" and after sending.
WHO_READS: Mapping[str, LazyString] = {
    Audience.IRO: _l("Only your IRO can read this."),
    Audience.IRO_AND_SOCIAL_WORKER: _l("Your IRO and your social worker can read this."),
    Audience.MEETING: _l("Everyone at your meeting can read this."),
}


def who_reads(answers: Iterable[tuple[Question, Answer]]) -> dict[str, LazyString]:
    """For each of these answers (by question key), the sentence saying who can read it."""
    return {
        question.key: WHO_READS.get(answer.audience, WHO_READS[Audience.IRO])
        for question, answer in answers
    }


def who_reads_form(
    answers: Iterable[tuple[Question, Answer]], *, formdata: object = None
) -> FlaskForm:
    """One choice of who may read each answer, drawn with what each has now."""
    pairs = list(answers)
    form_class = type(
        "WhoReadsForm",
        (PortalForm,),
        {builder.audience_field_name(q.key): builder.audience_field() for q, _a in pairs},
    )
    if formdata is not None:
        return form_class(formdata=formdata)
    return form_class(
        formdata=None,
        data={builder.audience_field_name(q.key): a.audience for q, a in pairs},
    )
