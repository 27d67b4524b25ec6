from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from portal.domain.plain_markup import to_html
from portal.domain.rich_text import is_too_long
from portal.models import Answer
from portal.web.forms import PortalForm

TOO_LONG = _l("This is too long to read on a phone. Make it shorter than 200,000 characters.")
# What a browser may send: a long paste from Word is mostly formatting, which cleaning
# removes; the limit that matters is on what is left (rich_text.MAX_DOCUMENT_CHARS).
MOST_TYPED_CHARACTERS = 3_000_000
WRITE_SOMETHING = _l("Write the text before you save it")
# The field under each of the child's answers on the letter's page.
TIE_PREFIX = "decision_"


class DraftForm(PortalForm):
    body = TextAreaField(
        _l("What you want to say"),
        description=_l(
            "Start a heading with ##. Start each item of a list with -. Put **two stars** "
            "round words to make them bold. A link: [words](https://example.org)."
        ),
        validators=[
            InputRequired(message=WRITE_SOMETHING),
            Length(max=MOST_TYPED_CHARACTERS, message=TOO_LONG),
        ],
    )
    # The save this page was drawn from: another person's save since then is caught.
    revision = HiddenField()
    for_parents = BooleanField(_l("Parents can read it too"))
    for_carers = BooleanField(_l("Carers can read it too"))

    def validate_body(self, field: TextAreaField) -> None:
        if is_too_long(to_html(field.data or "")):
            raise ValidationError(TOO_LONG)

    @property
    def seen_revision(self) -> int:
        text = self.revision.data or ""
        return int(text) if text.isdigit() and len(text) < 10 else -1


def decisions_from(posted: Mapping[str, str], answers: Iterable[Answer]) -> dict[int, str]:
    """What the IRO wrote under each of the child's answers ("so we decided …")."""
    return {
        answer.id: posted.get(f"{TIE_PREFIX}{answer.id}", "")
        for answer in answers
        if posted.get(f"{TIE_PREFIX}{answer.id}", "").strip()
    }


class PublishForm(PortalForm):
    above_goal_confirmed = BooleanField(
        _l("I have checked it: publish it even though it is harder to read than our goal")
    )
    # Only for letters: a first version may share the outcomes before the full record.
    outcomes_only = BooleanField(
        _l("This gives only the outcomes for now: I will publish the full letter later")
    )


class TranslationForm(PortalForm):
    body = TextAreaField(
        _l("The translation"),
        description=_l(
            "Written by a translator. The same marks work here: ## for a heading, - for a list."
        ),
        validators=[
            InputRequired(message=WRITE_SOMETHING),
            Length(max=MOST_TYPED_CHARACTERS, message=TOO_LONG),
        ],
    )

    def validate_body(self, field: TextAreaField) -> None:
        if is_too_long(to_html(field.data or "")):
            raise ValidationError(TOO_LONG)
