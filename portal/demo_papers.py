"""What the people around each demo review held did (portal.demo_figures): the
invitations and consultations before it, the IRO's letter after it, and feedback from
some of them, each drawn from the demo's seeded random numbers."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from portal.domain import credentials
from portal.domain import feedback as feedback_questions
from portal.domain.deadlines import consultation_due_on
from portal.domain.roles import ProfessionalKind
from portal.domain.timescales import WorkingCalendar
from portal.models import (
    Child,
    Consultation,
    ConsultationStatus,
    Document,
    DocumentKind,
    DocumentVersion,
    Invitation,
    InviteeRole,
    LocalAuthority,
    Review,
    StaffUser,
)

MAKE_IT_BETTER = (
    "",
    "",
    "",
    "Fewer people in the room.",
    "Have it after school, not in the day.",
    "Shorter, please.",
    "Snacks!",
    "Tell me earlier when it is.",
    "Meet somewhere that is not school.",
)

# How likely a child invited is to send their views through the portal, by the code
# that describes the review: PN6 is mostly views sent this way, PN7 never.
_CHILD_SENDS = {"PN1": 0.5, "PN2": 0.35, "PN3": 0.4, "PN4": 0.3, "PN5": 0.3, "PN6": 0.8, "PN7": 0.0}


def weighted_pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def moment_on(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on ``day`` in UTC, as the models store every moment."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


@dataclass
class Seeding:
    """What every record made for the figures needs."""

    rng: random.Random
    authority: LocalAuthority
    code_key: str
    now: datetime
    calendar: WorkingCalendar
    rows: list[object] = field(default_factory=list)
    # Made once the rows above have ids: (invitation, review, answers) and
    # (letter, invitation, opened at).
    feedback: list[tuple[Invitation, Review, dict[str, Any]]] = field(default_factory=list)
    readings: list[tuple[Document, Invitation, datetime]] = field(default_factory=list)

    def invitation(
        self,
        review: Review,
        role: InviteeRole,
        who: str,
        language: str,
        *,
        sent: datetime,
        expires: datetime,
        kind: ProfessionalKind | None = None,
    ) -> Invitation:
        invitation = Invitation(
            local_authority_id=self.authority.id,
            review=review,
            role=role,
            invitee_name=who,
            language=language,
            # Random and printed nowhere: nobody signs in as these people.
            token_digest=credentials.token_digest(credentials.new_link_token()),
            code_digest=credentials.code_digest(credentials.new_invitation_code(), self.code_key),
            expires_at=expires,
            due_on=consultation_due_on(role, review.planned_on, self.authority.due_days),
            professional_kind=kind,
            sent_at=sent,
            created_at=sent,
        )
        self.rows.append(invitation)
        return invitation


_ANSWER_WEIGHTS = {
    "feel_listened_to": {"yes": 70, "sometimes": 22, "no": 8},
    "see_social_worker_enough": {"enough": 60, "not_enough": 25, "too_often": 5, "not_sure": 10},
    "know_how_to_complain": {"yes": 68, "no": 32},
    "know_children_in_care_council": {"yes": 45, "no": 55},
}


def child_answer(rng: random.Random, key: str, options: Iterable[Any]) -> str:
    offered = {option.value for option in options}
    weights = {value: w for value, w in _ANSWER_WEIGHTS[key].items() if value in offered}
    return weighted_pick(rng, weights) if weights else next(iter(sorted(offered)))


# (role, kind, who, chance of being invited, of opening, of sending back, of on time)
_ADULTS = (
    (InviteeRole.PARENT, None, "parent", 0.45, 0.6, 0.45, 0.7),
    (InviteeRole.CARER, None, "carer", 0.85, 0.85, 0.65, 0.8),
    (InviteeRole.PROFESSIONAL, ProfessionalKind.HEALTH, "Nurse Hale (health)", 0.4, 0.7, 0.5, 0.7),
    (
        InviteeRole.PROFESSIONAL,
        ProfessionalKind.EDUCATION,
        "Designated teacher",
        0.55,
        0.75,
        0.6,
        0.75,
    ),
    (InviteeRole.PROFESSIONAL, ProfessionalKind.OTHER, "Therapist", 0.15, 0.6, 0.35, 0.6),
)


def invitations_before(
    seeding: Seeding, review: Review, child: Child, carer: str, parent: str, age: int, code: str
) -> dict[str, Invitation]:
    """Invitations before a review held, and what each person did with theirs."""
    from portal.domain.age_bands import age_band
    from portal.questionnaires.declarations import form_for, form_for_role

    rng, day = seeding.rng, review.planned_on
    sent = moment_on(day - timedelta(days=rng.randint(24, 35)), 9, rng.randint(0, 59))
    expires = sent + timedelta(days=60)
    invited: dict[str, Invitation] = {}
    if age >= 4 and rng.random() < 0.92:
        form = form_for(age_band(child.date_of_birth, day))
        invitation = seeding.invitation(
            review,
            InviteeRole.CHILD,
            child.preferred_name,
            child.preferred_language,
            sent=sent,
            expires=expires,
        )
        sends = _CHILD_SENDS[code]
        opens = max(0.7, sends)
        _answer(seeding, invitation, form.key, form.version, opens, sends / opens, 0.8)
        invited[InviteeRole.CHILD] = invitation
    for role, kind, who, chance, opens, sends, on_time in _ADULTS:
        if kind is ProfessionalKind.EDUCATION and not 5 <= age <= 17:
            continue
        if rng.random() >= chance:
            continue
        name = {"parent": parent, "carer": carer}.get(who, who)
        invitation = seeding.invitation(
            review, role, name, "en_GB", sent=sent, expires=expires, kind=kind
        )
        adult_form = form_for_role(role, kind)
        if adult_form is not None:
            _answer(seeding, invitation, adult_form.key, adult_form.version, opens, sends, on_time)
        invited.setdefault(role, invitation)
    return invited


def _answer(
    seeding: Seeding,
    invitation: Invitation,
    form_key: str,
    form_version: int,
    opens: float,
    sends: float,
    on_time: float,
) -> None:
    """Whether they opened the invitation, and started or sent their views, on time or late."""
    rng, sent = seeding.rng, invitation.sent_at
    assert sent is not None
    if rng.random() >= opens:
        return
    opened = sent + timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 9))
    invitation.first_opened_at = opened
    started = opened + timedelta(minutes=rng.randint(1, 30))
    consultation = Consultation(
        local_authority_id=seeding.authority.id,
        invitation=invitation,
        form_key=form_key,
        form_version=form_version,
        started_at=started,
        updated_at=started,
    )
    seeding.rows.append(consultation)
    if rng.random() >= sends:
        return  # started, never sent
    due, meeting = invitation.due_on, invitation.review.planned_on
    if rng.random() < on_time:
        day = max(started.date(), due - timedelta(days=rng.randint(0, 8)))
        hour = 19
    else:  # late: after the due day, by the morning of the meeting at the latest
        day = due + timedelta(days=rng.randint(1, max(1, (meeting - due).days)))
        hour = 8 if day >= meeting else 19
    submitted = max(started + timedelta(minutes=5), moment_on(day, hour, rng.randint(0, 59)))
    consultation.status = ConsultationStatus.SUBMITTED
    consultation.submitted_at = consultation.updated_at = submitted
    consultation.submitted_on_time = submitted.date() <= due
    consultation.current_step = None


def published_version(
    document: Document, by: StaffUser, text: str, to_html: Callable[[str], str], at: datetime
) -> DocumentVersion:
    from portal.domain.rich_text import clean_html

    return DocumentVersion(
        local_authority_id=document.local_authority_id,
        document=document,
        number=1,
        body_text=text,
        body_html=clean_html(to_html(text)),
        published_by_id=by.id,
        published_at=at,
        reading_age=8,
    )


def letter_after(
    seeding: Seeding,
    review: Review,
    child: Child,
    iro: StaffUser,
    text: str,
    to_html: Callable[[str], str],
) -> tuple[Document, DocumentVersion] | None:
    """The IRO's letter after the review: mostly within the authority's working days."""
    rng, calendar = seeding.rng, seeding.calendar
    due_days = seeding.authority.letter_due_working_days or 20
    due = calendar.add_working_days(review.planned_on, due_days)
    if rng.random() < 0.85:
        day = calendar.add_working_days(review.planned_on, rng.randint(2, due_days - 1))
    else:
        day = calendar.add_working_days(due, rng.randint(1, 12))
    today = seeding.now.date()
    letter = Document(
        local_authority_id=seeding.authority.id,
        child=child,
        review=review,
        kind=DocumentKind.LETTER,
        draft_text=text,
        draft_html=to_html(text),
        revision=1,
        saved_by_id=iro.id,
        saved_at=moment_on(min(day, today), 8),
        created_at=moment_on(review.planned_on, 18),
        for_carers=True,
    )
    seeding.rows.append(letter)
    if day >= today:
        if due >= today:
            return None  # still being written, and not late yet
        day = today - timedelta(days=1)
    version = published_version(letter, iro, text, to_html, moment_on(day, 12, rng.randint(0, 59)))
    seeding.rows.append(version)
    return letter, version


def feedback_after(seeding: Seeding, review: Review, invitations: dict[str, Invitation]) -> None:
    """Some of the child, parents and carers invited said how the review went."""
    rng = seeding.rng
    for role, chance in (
        (InviteeRole.CHILD, 0.35),
        (InviteeRole.PARENT, 0.25),
        (InviteeRole.CARER, 0.4),
    ):
        invitation = invitations.get(role)
        if invitation is None or rng.random() >= chance:
            continue
        sent = moment_on(
            review.planned_on + timedelta(days=rng.randint(1, 10)), 18, rng.randint(0, 59)
        )
        if sent >= seeding.now:
            continue
        answers: dict[str, str | None] = {
            question: None
            if rng.random() < 0.08
            else weighted_pick(rng, {"yes": 84, "no": 10, "not_sure": 6})
            for question in feedback_questions.QUESTIONS
        }
        seeding.feedback.append(
            (
                invitation,
                review,
                {
                    "role": role.value,
                    "how_was_it": weighted_pick(
                        rng, {"great": 42, "good": 40, "okay": 13, "not_good": 5}
                    ),
                    **answers,
                    "make_it_better": rng.choice(MAKE_IT_BETTER),
                    "anonymous": rng.random() < 0.15,
                    "language": invitation.language,
                    "sent_at": sent,
                },
            )
        )
