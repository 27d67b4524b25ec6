"""Plans and letters: drafts saved without losing anyone's words, versions published,
translations, ties to what the child said, who read them and what they said back."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from portal.domain import documents as rules
from portal.domain.age_bands import AgeBand, age_band
from portal.domain.plain_markup import looks_like_html, to_html, to_markup
from portal.domain.rich_text import clean_html
from portal.domain.text import clean_answer_text
from portal.domain.timescales import WorkingCalendar
from portal.extensions import db
from portal.models import (
    Answer,
    Child,
    Consultation,
    Document,
    DocumentKind,
    DocumentReading,
    DocumentResponse,
    DocumentTie,
    DocumentTranslation,
    DocumentVersion,
    Invitation,
    InviteeRole,
    LocalAuthority,
    Review,
    ReviewStatus,
    StaffUser,
    utcnow,
)


def cleaned(text: str) -> str:
    """What staff typed, without null bytes or direction overrides (rich_text keeps the
    same rule for the HTML)."""
    return clean_answer_text(text).replace("\u202d", "").replace("\u202e", "")


def cleaned_writing(text: str) -> str:
    """A document's text as kept for editing: a paste that is HTML (from Word, say) is
    kept as the editor's marks, so the next edit shows words, not tags."""
    text = cleaned(text)
    return to_markup(to_html(text)) if looks_like_html(text) else text


# --- Finding and starting ---------------------------------------------------------------


def plan_of(child: Child) -> Document | None:
    return db.session.scalar(
        select(Document)
        .where(Document.child_id == child.id, Document.kind == DocumentKind.PLAN)
        .order_by(Document.id)
        .limit(1)
    )


def letter_of(review: Review) -> Document | None:
    return db.session.scalar(
        select(Document).where(
            Document.review_id == review.id, Document.kind == DocumentKind.LETTER
        )
    )


def is_care_leaver(child: Child, on: date) -> bool:
    return age_band(child.date_of_birth, on) == AgeBand.CARE_LEAVER


def start_plan(child: Child, on: date) -> Document:
    found = plan_of(child)
    if found is not None:
        return found
    text = rules.starting_text(rules.plan_headings(is_care_leaver(child, on)))
    return _start(child, None, DocumentKind.PLAN, text)


def start_letter(review: Review) -> Document:
    found = letter_of(review)
    if found is not None:
        return found
    return _start(
        review.child, review, DocumentKind.LETTER, rules.starting_text(rules.LETTER_HEADINGS)
    )


def _start(child: Child, review: Review | None, kind: DocumentKind, text: str) -> Document:
    document = Document(
        local_authority_id=child.local_authority_id,
        child=child,
        review=review,
        kind=kind,
        draft_text=text,
        draft_html=to_html(text),
        revision=0,
        for_parents=False,
        for_carers=False,
    )
    db.session.add(document)
    db.session.flush()
    return document


def document_by_id(document_id: int) -> Document | None:
    return db.session.get(Document, document_id)


# --- Saving a draft ---------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """A draft saved; or, when someone else saved since the page was drawn, theirs
    (``clash``): nothing was overwritten, and the page shows both."""

    ok: bool
    their_text: str = ""
    their_name: str = ""


def save_draft(
    document: Document,
    text: str,
    *,
    seen_revision: int,
    staff: StaffUser,
    for_parents: bool,
    for_carers: bool,
) -> Saved:
    text = cleaned_writing(text)
    # One statement that saves only over the revision this person saw: of two people
    # saving the same draft, the second is told instead of silently winning.
    changed = db.session.execute(
        update(Document)
        .where(Document.id == document.id, Document.revision == seen_revision)
        .values(
            draft_text=text,
            draft_html=to_html(text),
            revision=Document.revision + 1,
            saved_by_id=staff.id,
            saved_at=utcnow(),
            for_parents=for_parents,
            for_carers=for_carers,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(document)
    if getattr(changed, "rowcount", 0) == 1:
        return Saved(ok=True)
    who = document.saved_by.display_name if document.saved_by else ""
    return Saved(ok=False, their_text=document.draft_text, their_name=who)


def set_ties(document: Document, decisions: Mapping[int, str]) -> None:
    """ "You said, we did": a decision beside each answer the IRO chose, replacing what
    was there. Only the child's own answers for this letter's review can be tied."""
    allowed = {a.id for a in child_answers(document)}
    document.ties.clear()
    db.session.flush()
    for answer_id, decision in decisions.items():
        text = cleaned(decision).strip()[: rules.MOST_DECISION_CHARACTERS]
        if answer_id in allowed and text:
            document.ties.append(
                DocumentTie(
                    local_authority_id=document.local_authority_id,
                    answer_id=answer_id,
                    decision=text,
                )
            )


def child_consultation(review_id: int | None) -> Consultation | None:
    """The child's own consultation for a review (the latest, if invited twice)."""
    if review_id is None:
        return None
    return db.session.scalar(
        select(Consultation)
        .join(Invitation, Invitation.id == Consultation.invitation_id)
        .where(Invitation.review_id == review_id, Invitation.role == InviteeRole.CHILD)
        .order_by(Consultation.id.desc())
        .limit(1)
    )


def child_answers(document: Document) -> list[Answer]:
    """The child's answers to their consultation for this letter's review (none for a
    plan)."""
    consultation = child_consultation(document.review_id)
    return list(consultation.answers) if consultation is not None else []


# --- Publishing and translations -----------------------------------------------------------


def publish(
    document: Document,
    staff: StaffUser,
    *,
    reading_age: int | None,
    above_goal_confirmed: bool,
    full_record: bool = True,
) -> DocumentVersion:
    number = (
        db.session.scalar(
            select(func.max(DocumentVersion.number)).where(
                DocumentVersion.document_id == document.id
            )
        )
        or 0
    ) + 1
    version = DocumentVersion(
        local_authority_id=document.local_authority_id,
        document=document,
        number=number,
        body_text=document.draft_text,
        body_html=clean_html(document.draft_html),
        published_by_id=staff.id,
        reading_age=reading_age,
        above_goal_confirmed=above_goal_confirmed,
        full_record=full_record,
    )
    db.session.add(version)
    db.session.flush()
    return version


def save_translation(
    document: Document, language: str, text: str, staff: StaffUser
) -> DocumentTranslation:
    published = document.published
    assert published is not None, "only a published document is translated"
    text = cleaned_writing(text)
    found = next((t for t in document.translations if t.language == language), None)
    if found is None:
        found = DocumentTranslation(
            local_authority_id=document.local_authority_id, document=document, language=language
        )
        db.session.add(found)
    found.body_text = text
    found.body_html = to_html(text)
    found.of_version = published.number
    found.saved_by_id = staff.id
    found.saved_at = utcnow()
    return found


def current_translation(document: Document, language: str) -> DocumentTranslation | None:
    """The translation into ``language`` of the version now published, if there is one."""
    published = document.published
    if published is None:
        return None
    return next(
        (
            t
            for t in document.translations
            if t.language == language and t.of_version == published.number
        ),
        None,
    )


# --- Reading ------------------------------------------------------------------------------


def readers_of(document: Document) -> rules.Readers:
    return rules.Readers(parents=document.for_parents, carers=document.for_carers)


def documents_for(invitation: Invitation) -> list[Document]:
    """Published plans and letters about the invitation's child that this person may
    read, the plan first, then letters newest first."""
    if invitation.role == InviteeRole.PROFESSIONAL:
        return []
    child_id = invitation.review.child_id
    found = db.session.scalars(
        select(Document)
        .where(Document.child_id == child_id, Document.versions.any())
        .options(selectinload(Document.versions), selectinload(Document.review))
    ).all()
    readable = [d for d in found if rules.may_read_document(invitation.role, readers_of(d))]
    return sorted(
        readable,
        key=lambda d: (
            d.kind != DocumentKind.PLAN,
            -(d.review.planned_on.toordinal() if d.review else 0),
        ),
    )


def document_for(invitation: Invitation, document_id: int) -> Document | None:
    return next((d for d in documents_for(invitation) if d.id == document_id), None)


def record_reading(document: Document, invitation: Invitation) -> None:
    found = db.session.scalar(
        select(DocumentReading).where(
            DocumentReading.document_id == document.id,
            DocumentReading.invitation_id == invitation.id,
        )
    )
    now = utcnow()
    if found is None:
        db.session.add(
            DocumentReading(
                local_authority_id=document.local_authority_id,
                document_id=document.id,
                invitation_id=invitation.id,
                first_opened_at=now,
                last_opened_at=now,
            )
        )
    else:
        found.last_opened_at = now


def readings(document: Document) -> list[DocumentReading]:
    return list(
        db.session.scalars(
            select(DocumentReading)
            .where(DocumentReading.document_id == document.id)
            .order_by(DocumentReading.first_opened_at)
        )
    )


def respond(
    document: Document, invitation: Invitation, *, kind: str, message: str, language: str
) -> DocumentResponse:
    response = DocumentResponse(
        local_authority_id=document.local_authority_id,
        document_id=document.id,
        invitation_id=invitation.id,
        kind=kind,
        # The person's own words, kept exactly as answers are.
        message=clean_answer_text(message),
        language=language,
    )
    db.session.add(response)
    return response


def responses_to(document: Document) -> list[DocumentResponse]:
    return list(
        db.session.scalars(
            select(DocumentResponse)
            .where(DocumentResponse.document_id == document.id)
            .order_by(DocumentResponse.sent_at)
        )
    )


def unseen_responses(iro: StaffUser) -> list[DocumentResponse]:
    """Replies to plans and letters about this IRO's children not yet seen, oldest first."""
    return list(
        db.session.scalars(
            select(DocumentResponse)
            .join(Document, Document.id == DocumentResponse.document_id)
            .join(Child, Child.id == Document.child_id)
            .where(Child.iro_id == iro.id, DocumentResponse.seen_at.is_(None))
            .options(selectinload(DocumentResponse.document).selectinload(Document.child))
            .order_by(DocumentResponse.sent_at)
        )
    )


def mark_seen(responses: list[DocumentResponse]) -> None:
    now = utcnow()
    for response in responses:
        if response.seen_at is None:
            response.seen_at = now


# --- Delivery: on time, late ------------------------------------------------------------


def held_on(review: Review) -> date | None:
    """The day the review was held, or None if it has not been."""
    if review.status != ReviewStatus.HELD:
        return None
    recorded = getattr(review, "held_on", None)
    return recorded if isinstance(recorded, date) else review.planned_on


def _working_days_after_held(
    review: Review,
    calendar: WorkingCalendar,
    days_of: Callable[[LocalAuthority], int],
    default: int,
) -> date | None:
    """The day the given number of working days (the authority's setting) after the
    review was held, or None if it has not been."""
    held = held_on(review)
    if held is None:
        return None
    authority = db.session.get(LocalAuthority, review.local_authority_id)
    return rules.letter_due_on(held, days_of(authority) if authority else default, calendar)


def letter_due_on(review: Review, calendar: WorkingCalendar) -> date | None:
    return _working_days_after_held(
        review, calendar, lambda la: la.letter_due_working_days, rules.LETTER_DUE_WORKING_DAYS
    )


def letter_timeliness(review: Review, calendar: WorkingCalendar, today: date) -> rules.Timeliness:
    """The full record: the first version published as the whole letter."""
    letter = letter_of(review)
    full = [v for v in letter.versions if v.full_record] if letter else []
    return rules.timeliness(
        letter_due_on(review, calendar), full[0].published_at if full else None, today
    )


def outcomes_due_on(review: Review, calendar: WorkingCalendar) -> date | None:
    return _working_days_after_held(
        review, calendar, lambda la: la.outcomes_due_working_days, rules.OUTCOMES_DUE_WORKING_DAYS
    )


def outcomes_timeliness(review: Review, calendar: WorkingCalendar, today: date) -> rules.Timeliness:
    """The outcomes: the first version published at all, outcomes only or the whole."""
    letter = letter_of(review)
    first = letter.versions[0] if letter and letter.versions else None
    return rules.timeliness(
        outcomes_due_on(review, calendar), first.published_at if first else None, today
    )


def plan_shared_in_time(child: Child, review: Review, calendar: WorkingCalendar) -> bool | None:
    """Whether a plan was published at least the authority's working days before the
    review; None when there is no plan yet."""
    plan = plan_of(child)
    if plan is None or not plan.versions:
        return None
    authority = db.session.get(LocalAuthority, review.local_authority_id)
    days = authority.plan_shared_working_days if authority else rules.PLAN_SHARED_WORKING_DAYS
    share_by = rules.plan_share_by(review.planned_on, days, calendar)
    return any(
        rules.timeliness(share_by, v.published_at, share_by) == rules.Timeliness.ON_TIME
        for v in plan.versions
    )


def children_with_a_late_letter(
    child_ids: list[int], calendar: WorkingCalendar, today: date
) -> dict[int, int]:
    """For the caseload: children whose held review has no letter published and whose
    letter is now past due, mapped to that review. One query for the whole page."""
    if not child_ids:
        return {}
    published = (
        select(DocumentVersion.id)
        .join(Document)
        .where(Document.review_id == Review.id, Document.kind == DocumentKind.LETTER)
    )
    held = db.session.scalars(
        select(Review).where(
            Review.child_id.in_(child_ids),
            Review.status == ReviewStatus.HELD,
            ~published.exists(),
        )
    ).all()
    late: dict[int, int] = {}
    for review in held:
        due = letter_due_on(review, calendar)
        if due is not None and today > due:
            late[review.child_id] = review.id
    return late
