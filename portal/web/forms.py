"""The base of every form in the portal.

WTForms has its own messages ("Not a valid choice.") and its own catalogue,
which has no Tigrinya and misses some Arabic. Every form therefore looks
WTForms' messages up in our catalogue first (they are listed in
``portal.web.messages`` so they are extracted and translated), then in
WTForms' own.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_translations
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations


class _PortalMessages:
    def gettext(self, string: str) -> str:
        ours = get_translations().ugettext(string)
        return ours if ours != string else wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        ours = get_translations().ungettext(singular, plural, n)
        if ours not in (singular, plural):
            return ours
        return wtforms_translations.ngettext(singular, plural, n)


_MESSAGES = _PortalMessages()


class PortalForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> _PortalMessages:
            return _MESSAGES
