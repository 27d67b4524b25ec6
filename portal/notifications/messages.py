"""What invitations, reminders and safety alerts say, in the reader's language.

Invitations and reminders are written in the invitee's language; safety alerts go to
staff in English and never carry the child's name, words or answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app, g, has_request_context, request, url_for
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _

from portal.domain.languages import DEFAULT_LOCALE, native_digits
from portal.models import Consultation, Invitation, InviteeRole
from portal.web.page import CHILDLINE_PHONE

from .senders import Channel, Message

STAFF_LOCALE = DEFAULT_LOCALE


@contextmanager
def in_language(code: str) -> Iterator[None]:
    """Words, dates and templates in ``code`` for a while, then back to the page's own.

    Templates look their catalogue up once a request (portal/__init__.py), so that
    cached catalogue is put aside too.
    """
    saved = g.pop("page_translations", None)
    try:
        with force_locale(code):
            yield
    finally:
        g.pop("page_translations", None)
        if saved is not None:
            g.page_translations = saved


def site_address() -> str:
    """The portal's address, for links in a message written later by the worker.

    PUBLIC_BASE_URL when set, else the address this request came to ("" outside one).
    """
    base = str(current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if base or not has_request_context():
        return base
    return request.url_root.rstrip("/")


def public_url(endpoint: str, *, site: str = "", **values: Any) -> str:
    """A full address to put in a message: PUBLIC_BASE_URL when set, else this request's,
    else ``site`` (what site_address() said when the message was queued)."""
    base = str(current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = base or site.rstrip("/")
    if base:
        path = current_app.url_map.bind("portal.invalid").build(endpoint, values)
        return base + path
    return url_for(endpoint, **values)


def _day(day: date) -> str:
    # In the reader's own digits too (Persian for Dari, Farsi and Pashto).
    return native_digits(str(get_locale() or DEFAULT_LOCALE), format_date(day, format="long"))


@dataclass(frozen=True)
class InvitationDetails:
    """Everything an invitation tells its reader. Holds the code: never store it."""

    invitee_name: str
    role: str
    language: str
    link: str
    code: str
    sign_in_url: str
    review_on: date
    due_on: date
    iro_name: str
    team_phone: str
    service_name: str

    @property
    def is_child(self) -> bool:
        return self.role == InviteeRole.CHILD


def invitation_details(
    invitation: Invitation, link_token: str, code: str, *, site: str = ""
) -> InvitationDetails:
    review = invitation.review
    authority = invitation.local_authority
    return InvitationDetails(
        invitee_name=invitation.invitee_name,
        role=invitation.role,
        language=invitation.language,
        link=public_url("families.sign_in.open_link", site=site, token=link_token),
        code=code,
        sign_in_url=public_url("families.sign_in.enter_code", site=site),
        review_on=review.planned_on,
        due_on=invitation.due_on,
        iro_name=review.child.iro.display_name,
        team_phone=authority.iro_team_phone,
        service_name=authority.service_name,
    )


def _join(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def invitation_message(details: InvitationDetails, channel: str, to: str) -> Message:
    """The invitation by email or text message, in the invitee's language."""
    with in_language(details.language):
        words = {
            "name": details.invitee_name,
            "iro": details.iro_name,
            "review": _day(details.review_on),
            "due": _day(details.due_on),
            "link": details.link,
            "code": details.code,
            "sign_in": details.sign_in_url,
            "phone": details.team_phone,
            "childline": CHILDLINE_PHONE,
        }
        if channel == Channel.SMS:
            if details.is_child:
                body = _(
                    "Hello %(name)s. Your IRO, %(iro)s, wants to know what you think before "
                    "the meeting about you on %(review)s. Open %(link)s or type the code "
                    "%(code)s at %(sign_in)s. Questions? Call %(phone)s.",
                    **words,
                )
            else:
                body = _(
                    "Hello %(name)s. %(iro)s, the IRO, would like your views before the review "
                    "meeting on %(review)s. Open %(link)s or type the code %(code)s at "
                    "%(sign_in)s. Questions? Call %(phone)s.",
                    **words,
                )
            return Message(to=to, subject="", body=body)

        if details.is_child:
            subject = _("Have your say before the meeting about you")
            body = _join(
                _("Hello %(name)s,", **words),
                _(
                    "Your IRO, %(iro)s, wants to know what you think before the meeting "
                    "about you on %(review)s.",
                    **words,
                ),
                _(
                    "Tell your IRO what you think before the meeting about you. Your IRO "
                    "(Independent Reviewing Officer) makes sure your voice is heard."
                ),
                _("Open your personal link:\n%(link)s", **words),
                _("Or go to %(sign_in)s and type this code: %(code)s", **words),
                _("Please send your answers by %(due)s.", **words),
                _("Questions? Call the IRO team on %(phone)s.", **words),
                _(
                    "If you want to talk to someone now, call Childline on %(childline)s. "
                    "It is free, any time, day or night.",
                    **words,
                ),
            )
        else:
            subject = _("Your views before the review meeting on %(review)s", **words)
            body = _join(
                _("Hello %(name)s,", **words),
                _(
                    "%(iro)s is the Independent Reviewing Officer (IRO) for the review meeting "
                    "on %(review)s. They would like your views before the meeting.",
                    **words,
                ),
                _("Open your personal link:\n%(link)s", **words),
                _("Or go to %(sign_in)s and type this code: %(code)s", **words),
                _("Please send your views by %(due)s.", **words),
                _("Questions? Call the IRO team on %(phone)s.", **words),
            )
        return Message(to=to, subject=subject, body=body)


def reminder_message(invitation: Invitation, channel: str, to: str) -> Message:
    """A reminder. We keep no link or code to put in it: only digests are stored."""
    review = invitation.review
    with in_language(invitation.language):
        words = {
            "name": invitation.invitee_name,
            "review": _day(review.planned_on),
            "due": _day(invitation.due_on),
            "phone": invitation.local_authority.iro_team_phone,
        }
        is_child = invitation.role == InviteeRole.CHILD
        if channel == Channel.SMS:
            if is_child:
                body = _(
                    "Hello %(name)s. A reminder: your IRO would like to know what you think "
                    "before the meeting about you on %(review)s. Please send your answers by "
                    "%(due)s. Use the link or code in your invitation, or ask your IRO for a "
                    "new one: %(phone)s.",
                    **words,
                )
            else:
                body = _(
                    "Hello %(name)s. A reminder: the IRO would like your views before the "
                    "review meeting on %(review)s. Please send them by %(due)s. Use the link "
                    "or code in your invitation, or ask the IRO for a new one: %(phone)s.",
                    **words,
                )
            return Message(to=to, subject="", body=body)
        subject = _("Reminder: please send your views by %(due)s", **words)
        if is_child:
            about = _(
                "A reminder: your IRO would like to know what you think before the meeting "
                "about you on %(review)s. Please send your answers by %(due)s.",
                **words,
            )
        else:
            about = _(
                "A reminder: the IRO would like your views before the review meeting on "
                "%(review)s. Please send them by %(due)s.",
                **words,
            )
        body = _join(
            _("Hello %(name)s,", **words),
            about,
            _(
                "Use the link or code in your invitation. If you cannot find it, ask your IRO "
                "for a new one: call the IRO team on %(phone)s.",
                **words,
            ),
        )
        return Message(to=to, subject=subject, body=body)


def safety_alert_message(
    consultation: Consultation, channel: str, to: str, *, covering: bool, site: str = ""
) -> Message:
    """To staff: something needs them now. No name, no words, no answers: only a link."""
    with in_language(STAFF_LOCALE):
        link = public_url("staff.inbox.consultation", site=site, consultation_id=consultation.id)
        words = {"link": link}
        alert = _(
            "A child or young person's answers in their consultation need your attention now. "
            "Sign in to the portal: %(link)s",
            **words,
        )
        why = _("You are getting this because their IRO is marked as away.") if covering else ""
        if channel == Channel.SMS:
            return Message(to=to, subject="", body=f"{alert} {why}".strip())
        subject = _("A child's consultation needs your attention now")
        paragraphs = [alert]
        if why:
            paragraphs.append(why)
        paragraphs.append(_("This message does not contain their answers, for their privacy."))
        return Message(to=to, subject=subject, body=_join(*paragraphs))


def sign_in_link_message(invitation: Invitation, link: str, channel: str, to: str) -> Message:
    """A one-time link to sign in and see every invitation sent to this address or number.

    It names no child: whoever reads the message on a shared phone learns only that the
    portal exists, which the invitations already said.
    """
    with in_language(invitation.language):
        words = {
            "name": invitation.invitee_name,
            "service": invitation.local_authority.service_name,
            "link": link,
            "phone": invitation.local_authority.iro_team_phone,
        }
        if channel == Channel.SMS:
            body = _(
                "%(service)s: sign in to see your invitations: %(link)s This link works "
                "once, for 30 minutes. If you did not ask for it, you can ignore this.",
                **words,
            )
            return Message(to=to, subject="", body=body)
        body = _join(
            _("Dear %(name)s,", **words),
            _("Use this link to sign in and see all your invitations to give views:", **words),
            words["link"],
            _(
                "The link works once, for 30 minutes. If you did not ask for it, you can "
                "ignore this email: nobody can sign in without the link.",
                **words,
            ),
            _("Questions? Call the reviewing team on %(phone)s.", **words),
        )
        return Message(to=to, subject=_("Your sign-in link for %(service)s", **words), body=body)


def document_notice_message(invitation: Invitation, channel: str, to: str, *, site: str) -> Message:
    """Something new to read: a plan or a letter. No child's name, nothing from it."""
    with in_language(invitation.language):
        words = {
            "name": invitation.invitee_name,
            "service": invitation.local_authority.service_name,
            "sign_in": public_url("families.sign_in.enter_code", site=site),
            "phone": invitation.local_authority.iro_team_phone,
        }
        if invitation.role == InviteeRole.CHILD:
            said = _("Hello %(name)s. Your IRO has written something for you to read.", **words)
        else:
            said = _(
                "Hello %(name)s. The reviewing team has shared something for you to read.", **words
            )
        how = _(
            "Sign in with the code from your invitation to read it: %(sign_in)s. Questions? "
            "Call %(phone)s.",
            **words,
        )
        if channel == Channel.SMS:
            return Message(to=to, subject="", body=f"{said} {how}")
        return Message(
            to=to,
            subject=_("Something new to read from %(service)s", **words),
            body=_join(said, how),
        )
