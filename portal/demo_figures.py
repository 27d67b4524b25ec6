"""Two years of fictional held reviews for the demo authority, so the figures page and
the participation report are worth looking at after `make run` (portal.demo seeds
them); and the working-day steps the demo's review histories are built from."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from portal.demo_papers import (
    Seeding,
    child_answer,
    feedback_after,
    invitations_before,
    letter_after,
    moment_on,
    published_version,
    weighted_pick,
)
from portal.domain.timescales import (
    LATER_REVIEW_MONTHS,
    SECOND_REVIEW_MONTHS,
    ReviewKind,
    WorkingCalendar,
    add_months,
    next_review_due,
)
from portal.extensions import db
from portal.models import (
    Answer,
    Child,
    Document,
    DocumentKind,
    DocumentReading,
    InviteeRole,
    LocalAuthority,
    Review,
    ReviewFeedback,
    ReviewStatus,
    ReviewStatusChange,
    StaffUser,
    utcnow,
)


def working_day_on_or_before(day: date, calendar: WorkingCalendar) -> date:
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_days_before(day: date, count: int, calendar: WorkingCalendar) -> date:
    while count > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


# --- Two years of held reviews, for the figures (/staff/figures) and the report ---------
#
# About fifty more fictional children, with every review held since they came into care
# recorded as an IRO would record it: who came, the PN code, consultations before it,
# the letter after it and feedback from some. Drawn from a fixed seed, so the demo is
# the same every time. Nobody signs in as them: their invitations carry random codes
# that are printed nowhere. Every one has a next review planned well inside its
# statutory date, later than the named children's, so Jo's and Chris's caseloads still
# open on Ruby, Callum, Jess, Amir, Dawit and Sam.

DEMO_SEED = 2026
# (name, age today, language, unaccompanied): plain fictional first names only.
FIGURES_CHILDREN: tuple[tuple[str, int, str, bool], ...] = (
    ("Alfie", 2, "en_GB", False),
    ("Bella", 3, "en_GB", False),
    ("Theo", 3, "en_GB", False),
    ("Poppy", 4, "en_GB", False),
    ("Oscar", 4, "en_GB", False),
    ("Evie", 5, "en_GB", False),
    ("Harry", 5, "cy", False),
    ("Isla", 6, "en_GB", False),
    ("Leo", 6, "en_GB", False),
    ("Maisie", 7, "pl", False),
    ("Archie", 7, "en_GB", False),
    ("Freya", 8, "en_GB", False),
    ("Jacob", 8, "en_GB", False),
    ("Lily", 9, "en_GB", False),
    ("Mason", 9, "ro", False),
    ("Ava", 10, "en_GB", False),
    ("Noah", 10, "en_GB", False),
    ("Esme", 11, "en_GB", False),
    ("Finley", 11, "en_GB", False),
    ("Grace", 12, "uk", False),
    ("Reggie", 12, "en_GB", False),
    ("Chloe", 13, "en_GB", False),
    ("Tyler", 13, "en_GB", False),
    ("Millie", 13, "en_GB", False),
    ("Kai", 14, "en_GB", False),
    ("Summer", 14, "en_GB", False),
    ("Harvey", 14, "sq", False),
    ("Layla", 15, "en_GB", False),
    ("Ethan", 15, "en_GB", False),
    ("Hamid", 15, "ps", True),
    ("Sophie", 15, "en_GB", False),
    ("Yonas", 16, "ti", True),
    ("Ahmad", 16, "fa_AF", True),
    ("Kawa", 16, "ckb", True),
    ("Demi", 16, "en_GB", False),
    ("Jordan", 16, "en_GB", False),
    ("Abdi", 17, "so", True),
    ("Mehdi", 17, "fa", True),
    ("Bilal", 17, "ur", True),
    ("Tesfay", 17, "am", True),
    ("Minh", 17, "vi", True),
    ("Omar", 17, "ar", True),
    ("Kayden", 17, "en_GB", False),
    ("Holly", 17, "en_GB", False),
    ("Liam", 18, "en_GB", False),
    ("Megan", 18, "en_GB", False),
    ("Samir", 18, "ps", True),
    ("Connor", 19, "en_GB", False),
    ("Bethany", 19, "en_GB", False),
    ("Selam", 19, "ti", True),
)
CARER_NAMES = ("Alex", "Dana", "Sandy", "Lesley", "Robin", "Jamie", "Kim", "Terry", "Val", "Lou")
PARENT_NAMES = ("Mum", "Dad")
VENUES = ("At home", "At school", "At the office", "At college", "At the contact centre")
# The share of each code for a child of 4 or over, by age on the day held: PN1 about
# 40%, PN3 15%, PN5 and PN6 25%, PN4 5%, PN2 5% and PN7 10% across the service.
_CODE_WEIGHTS = {
    "young": {"PN1": 30, "PN2": 3, "PN3": 42, "PN4": 9, "PN5": 2, "PN6": 8, "PN7": 6},
    "middle": {"PN1": 55, "PN2": 4, "PN3": 9, "PN4": 4, "PN5": 5, "PN6": 14, "PN7": 9},
    "older": {"PN1": 48, "PN2": 4, "PN3": 2, "PN4": 3, "PN5": 7, "PN6": 21, "PN7": 15},
}


def _code_for(rng: random.Random, age: int) -> str:
    """The participation code a review held turns out to have, for a child of ``age``."""
    if age < 4:
        return "PN0"
    band = "young" if age < 8 else "middle" if age < 16 else "older"
    return weighted_pick(rng, _CODE_WEIGHTS[band])


def _held_days(rng: random.Random, today: date, calendar: WorkingCalendar) -> list[date]:
    """The days a child's reviews were held, oldest first: the last one recent enough
    that the next is due comfortably later than every named child's; mostly in
    timescale, a few held late."""
    count = rng.choices(range(2, 11), weights=[10, 12, 14, 14, 12, 10, 8, 6, 6])[0]
    latest = working_day_on_or_before(today - timedelta(days=rng.randint(6, 75)), calendar)
    days = [latest]
    while len(days) < count:
        months = SECOND_REVIEW_MONTHS if len(days) == count - 1 else LATER_REVIEW_MONTHS
        late = rng.random() < 0.1
        slack = rng.randint(2, 20) if late else -rng.randint(0, 35)
        earlier = add_months(days[-1], -months) - timedelta(days=slack)
        days.append(working_day_on_or_before(earlier, calendar))
    days.reverse()
    return days


def _recorded(
    rng: random.Random, review: Review, child: Child, *, code: str, age: int, portal_views: bool
) -> None:
    """Fill in what the IRO recorded at a review held, and the code they confirmed."""
    from portal.domain import review_records as rules

    day = review.planned_on
    came = code in ("PN1", "PN2", "PN3", "PN4") or (code == "PN0" and rng.random() < 0.3)
    attended = (
        rules.Extent.NONE
        if not came
        else rules.Extent.ALL
        if rng.random() < 0.8
        else rules.Extent.PART
    )
    advocate = rules.AdvocateRole.NONE
    if code in ("PN2", "PN5"):
        advocate = rules.AdvocateRole.SPOKE
    elif code == "PN1" and rng.random() < 0.12:
        advocate = rules.AdvocateRole.PRESENT
    facts = rules.ReviewFacts(
        held_on=day,
        child_attended=attended,
        child_spoke=code == "PN1" if code != "PN0" else None,
        views_without_words=code == "PN3" if code != "PN0" else None,
        advocate=advocate,
        views_another_way=(code == "PN6" and not portal_views) if code != "PN0" else None,
    )
    chaired = rules.Extent.NONE
    if code == "PN1" and age >= 11 and rng.random() < 0.35:
        chaired = rules.Extent.PART if rng.random() < 0.7 else rules.Extent.ALL
    attendees = [rules.Attendee.SOCIAL_WORKER] if rng.random() < 0.92 else []
    for who, chance in (
        (rules.Attendee.CARER, 0.8),
        (rules.Attendee.PARENT, 0.3),
        (rules.Attendee.HEALTH, 0.15),
        (rules.Attendee.EDUCATION, 0.35 if 5 <= age <= 16 else 0.0),
        (rules.Attendee.OTHER, 0.05),
    ):
        if rng.random() < chance:
            attendees.append(who)
    suggested = rules.suggestion(
        facts, date_of_birth=child.date_of_birth, views_sent_through_portal=portal_views
    )
    review.held_on = day
    review.attendees = " ".join(a for a in rules.Attendee if a in attendees)
    review.child_attended = facts.child_attended
    review.child_chaired = chaired
    review.child_spoke = facts.child_spoke
    review.views_without_words = facts.views_without_words
    review.advocate = facts.advocate
    review.interpreter = child.preferred_language not in ("en_GB", "cy") and rng.random() < 0.85
    review.views_another_way = facts.views_another_way
    review.suggested_code = suggested.value if suggested else None
    review.participation_code = code
    review.recorded_by_id = child.iro_id
    review.recorded_at = moment_on(day + timedelta(days=rng.randint(0, 3)), 17, rng.randint(0, 59))


def figures_children(
    authority: LocalAuthority, iros: list[StaffUser], code_key: str, today: date
) -> None:
    """Add the children whose reviews fill the figures (see the note above)."""
    from portal.domain.age_bands import age_band, age_on
    from portal.domain.audiences import Audience
    from portal.domain.plain_markup import to_html
    from portal.domain.report import CHILDREN_SAID
    from portal.domain.reviews import ReviewDates, statutory_deadlines
    from portal.questionnaires.declarations import form_for

    rng = random.Random(DEMO_SEED)  # noqa: S311 - the same demo every time, not a secret
    calendar = WorkingCalendar()
    now = utcnow()
    seeding = Seeding(rng, authority, code_key, now, calendar)
    # The portal came in two years ago: consultations and feedback only since then.
    portal_since = today - timedelta(days=730)
    letter_text = (
        "Dear {name},\n\nThank you for your review. Here is what we decided.\n\n"
        "## What was decided\n- You will stay where you live now.\n\n"
        "## How to reach me\nCall me on 01632 960 100.\n"
    )
    plan_text = (
        "## Where I live\nYou live with your foster family in Eastwold.\n\n"
        "## Who helps me\n- Your carer\n- Your IRO\n"
    )
    for index, (name, age, language, uasc) in enumerate(FIGURES_CHILDREN):
        iro = iros[index % len(iros)]
        days = _held_days(rng, today, calendar)
        if uasc:
            days = days[-rng.randint(2, 4) :]  # arrived in the last two years
        came = working_days_before(days[0], rng.choice((8, 12, 15, 18, 19, 25)), calendar)
        born = today - timedelta(days=int(365.25 * age) + rng.randint(30, 330))
        child = Child(
            local_authority_id=authority.id,
            preferred_name=name,
            date_of_birth=born,
            came_into_care_on=came,
            uasc=uasc,
            preferred_language=language,
            iro_id=iro.id,
        )
        carer = f"{rng.choice(CARER_NAMES)} ({name}'s foster carer)"
        parent = f"{rng.choice(PARENT_NAMES)} ({name}'s parent)"
        kinds = [ReviewKind.INITIAL, ReviewKind.SECOND] + [ReviewKind.SUBSEQUENT] * len(days)
        held: list[Review] = []
        for number, day in enumerate(days):
            review = Review(
                local_authority_id=authority.id,
                child=child,
                kind=kinds[number],
                planned_on=day,
                planned_time=rng.choice((time(15, 30), time(16, 0), time(16, 30))),
                venue=rng.choice(VENUES),
                status=ReviewStatus.HELD,
            )
            held.append(review)
        # Whether each was held by its statutory date, as recording it works it out.
        deadlines = statutory_deadlines(
            came,
            [ReviewDates(n, day, ReviewStatus.HELD) for n, day in enumerate(days)],
            calendar,
        )
        for number, review in enumerate(held):
            review.held_in_timescale = review.planned_on <= deadlines[number].due_by
            seeding.rows.append(review)
            age_then = age_on(born, review.planned_on)
            code = _code_for(rng, age_then)
            invitations = (
                invitations_before(seeding, review, child, carer, parent, age_then, code)
                if review.planned_on >= portal_since
                else {}
            )
            child_invitation = invitations.get(InviteeRole.CHILD)
            portal_views = bool(
                child_invitation
                and child_invitation.consultation
                and child_invitation.consultation.submitted_at
            )
            _recorded(rng, review, child, code=code, age=age_then, portal_views=portal_views)
            if portal_views and child_invitation and child_invitation.consultation:
                form = form_for(age_band(born, review.planned_on))
                for key, _counted in CHILDREN_SAID:
                    question = form.question(key)
                    if question is None:
                        continue
                    seeding.rows.append(
                        Answer(
                            consultation=child_invitation.consultation,
                            question_key=key,
                            value=child_answer(rng, key, question.options),
                            language=language,
                            form_key=form.key,
                            form_version=form.version,
                            audience=Audience.MEETING,
                            saved_at=child_invitation.consultation.submitted_at,
                        )
                    )
            seeding.rows.append(
                ReviewStatusChange(
                    local_authority_id=authority.id,
                    review=review,
                    from_status=ReviewStatus.PLANNED,
                    to_status=ReviewStatus.HELD,
                    changed_by_id=iro.id,
                    changed_at=review.recorded_at,
                )
            )
            letter = letter_after(
                seeding, review, child, iro, letter_text.format(name=name), to_html
            )
            if letter is not None and child_invitation and child_invitation.first_opened_at:
                opened = letter[1].published_at + timedelta(days=rng.randint(0, 14), hours=3)
                if rng.random() < 0.6 and opened < now:
                    seeding.readings.append((letter[0], child_invitation, opened))
            if review.planned_on >= portal_since and code != "PN0":
                feedback_after(seeding, review, invitations)
        if rng.random() < 0.75:
            shared = min(days[0], days[-1] - timedelta(days=rng.randint(60, 200)))
            plan = Document(
                local_authority_id=authority.id,
                child=child,
                kind=DocumentKind.PLAN,
                draft_text=plan_text,
                draft_html=to_html(plan_text),
                revision=1,
                saved_by_id=iro.id,
                saved_at=moment_on(shared, 11),
                created_at=moment_on(shared, 10),
                for_carers=True,
            )
            seeding.rows += [
                plan,
                published_version(plan, iro, plan_text, to_html, moment_on(shared, 11)),
            ]
        # The next review: planned well before its statutory date, later than the named
        # children's, with the child and their carer invited.
        due = next_review_due(came, days, calendar)
        before = timedelta(days=rng.randint(3, 25))
        meeting = working_day_on_or_before(due.due_by - before, calendar)
        upcoming = Review(
            local_authority_id=authority.id,
            child=child,
            kind=due.kind,
            planned_on=meeting,
            planned_time=time(16, 0),
            venue=rng.choice(VENUES),
        )
        sent = now - timedelta(days=rng.randint(1, 10))
        expires = now + timedelta(days=120)
        seeding.rows.append(upcoming)
        seeding.invitation(upcoming, InviteeRole.CHILD, name, language, sent=sent, expires=expires)
        seeding.invitation(upcoming, InviteeRole.CARER, carer, "en_GB", sent=sent, expires=expires)
        seeding.rows.insert(0, child)
    db.session.add_all(seeding.rows)
    db.session.flush()
    db.session.add_all(
        [
            ReviewFeedback(
                local_authority_id=authority.id,
                invitation_id=invitation.id,
                review_id=review.id,
                **answers,
            )
            for invitation, review, answers in seeding.feedback
        ]
        + [
            DocumentReading(
                local_authority_id=authority.id,
                document_id=letter.id,
                invitation=invitation,
                first_opened_at=opened,
                last_opened_at=opened,
            )
            for letter, invitation, opened in seeding.readings
        ]
    )
