"""Fictional demo data: one local authority with children of every age band, and a second
authority to show that nothing crosses between them. No real people or cases.

The demo uses fixed codes and links so the README can list them; that is why it
refuses to run outside development and test.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from portal.data.invitations import set_contact
from portal.domain import credentials
from portal.domain.deadlines import consultation_due_on
from portal.domain.roles import ProfessionalKind
from portal.domain.timescales import (
    INITIAL_REVIEW_WORKING_DAYS,
    LATER_REVIEW_MONTHS,
    SECOND_REVIEW_MONTHS,
    ReviewKind,
    WorkingCalendar,
    add_months,
    next_review_due,
    today_in_england,
)
from portal.extensions import db
from portal.models import (
    Answer,
    Child,
    Consultation,
    ConsultationStatus,
    Document,
    DocumentKind,
    DocumentReading,
    DocumentVersion,
    Invitation,
    InviteeRole,
    LocalAuthority,
    Review,
    ReviewFeedback,
    ReviewStatus,
    ReviewStatusChange,
    StaffRole,
    StaffUser,
    utcnow,
)

DEMO_STAFF_PASSWORD = "demo-password-only"  # noqa: S105 - fictional demo account
# The demo accounts' authenticator key: add it to any authenticator app, or run
# `flask --app portal demo-code` to see the current code.
DEMO_TOTP_SECRET = "DEMOPORTALDEMOPORTALDEMOPORTAL23"  # noqa: S105 - fictional demo account


@dataclass(frozen=True)
class DemoInvitation:
    who: str
    role: InviteeRole
    language: str
    code: str
    link_token: str
    # Entered by the IRO: the same address on several invitations is one person.
    email: str = ""
    professional_kind: ProfessionalKind | None = None


# Pat fosters Ruby, Callum and Jess; Ms Okafor is the designated teacher at Callum's and
# Jess's school. Each signs in once and sees every child they were asked about.
PAT_EMAIL = "pat.carer@example.org"
OKAFOR_EMAIL = "a.okafor@school.example"


def _pat(code: str, link: str) -> DemoInvitation:
    return DemoInvitation("Pat (foster carer)", InviteeRole.CARER, "en_GB", code, link, PAT_EMAIL)


def _okafor(code: str, link: str) -> DemoInvitation:
    return DemoInvitation(
        "Ms Okafor (designated teacher)",
        InviteeRole.PROFESSIONAL,
        "en_GB",
        code,
        link,
        OKAFOR_EMAIL,
        ProfessionalKind.EDUCATION,
    )


@dataclass(frozen=True)
class DemoChild:
    name: str
    age: int
    language: str
    uasc: bool
    iro_email: str
    invitations: tuple[DemoInvitation, ...]
    # Working days from today to the next review's statutory date: negative is overdue.
    due_in: int = 40
    # Working days from today to the meeting as planned (after the due date if late).
    meets_in: int = 20
    # Reviews held so far: 0 means the child came into care weeks ago.
    reviews_held: int = 4


EASTWOLD_CHILDREN = (
    DemoChild(
        "Ruby",
        6,
        "en_GB",
        False,
        "jo.iro@eastwold.example",
        (
            DemoInvitation("Ruby", InviteeRole.CHILD, "en_GB", "RYC-496-MAW", "demo-ruby"),
            _pat("RAF-794-CHY", "demo-carer-pat-ruby"),
        ),
        due_in=45,
        meets_in=25,
        reviews_held=3,
    ),
    DemoChild(
        "Callum",
        10,
        "en_GB",
        False,
        "jo.iro@eastwold.example",
        (
            DemoInvitation("Callum", InviteeRole.CHILD, "en_GB", "CAM-947-NRY", "demo-callum"),
            _pat("FAY-369-CKR", "demo-carer-pat"),
            _okafor("KAY-693-FWC", "demo-teacher-okafor-callum"),
            DemoInvitation(
                "Sky (therapist)",
                InviteeRole.PROFESSIONAL,
                "en_GB",
                "WHY-476-MAC",
                "demo-therapist-sky",
                "sky.therapy@example.org",
                ProfessionalKind.OTHER,
            ),
        ),
        due_in=9,
        meets_in=6,
        reviews_held=5,
    ),
    DemoChild(
        "Jess",
        14,
        "en_GB",
        False,
        "jo.iro@eastwold.example",
        (
            DemoInvitation("Jess", InviteeRole.CHILD, "en_GB", "JXF-374-HKW", "demo-jess"),
            DemoInvitation(
                "Morgan (Jess's parent)",
                InviteeRole.PARENT,
                "en_GB",
                "MRN-743-JAY",
                "demo-parent-morgan",
            ),
            _pat("JAX-973-HAN", "demo-carer-pat-jess"),
            _okafor("JAM-369-KRW", "demo-teacher-okafor-jess"),
        ),
        due_in=30,
        meets_in=12,
        reviews_held=8,
    ),
    DemoChild(
        "Amir",
        16,
        "ar",
        True,
        "jo.iro@eastwold.example",
        (
            DemoInvitation("Amir", InviteeRole.CHILD, "ar", "AMR-347-KHX", "demo-amir"),
            DemoInvitation(
                "Nurse Bell (children in care nurse)",
                InviteeRole.PROFESSIONAL,
                "en_GB",
                "NYC-479-HRF",
                "demo-nurse-bell",
                "nurse.bell@health.example",
                ProfessionalKind.HEALTH,
            ),
        ),
        due_in=11,
        meets_in=8,
        reviews_held=1,
    ),
    DemoChild(
        "Dawit",
        17,
        "ti",
        True,
        "chris.iro@eastwold.example",
        (DemoInvitation("Dawit", InviteeRole.CHILD, "ti", "JWN-739-FAC", "demo-dawit"),),
        due_in=-4,
        meets_in=3,
        reviews_held=2,
    ),
    DemoChild(
        "Sam",
        19,
        "en_GB",
        False,
        "chris.iro@eastwold.example",
        (DemoInvitation("Sam", InviteeRole.CHILD, "en_GB", "WAM-639-RCK", "demo-sam"),),
        due_in=60,
        meets_in=35,
        reviews_held=12,
    ),
)
WESTMERE_CHILDREN = (
    DemoChild(
        "Noor",
        12,
        "en_GB",
        False,
        "robin.iro@westmere.example",
        (DemoInvitation("Noor", InviteeRole.CHILD, "en_GB", "NRX-674-WMA", "demo-noor"),),
        due_in=50,
        meets_in=30,
        reviews_held=4,
    ),
)


@dataclass(frozen=True)
class _History:
    came_into_care_on: date
    held: list[tuple[str, date]]
    next_kind: str


def _review_history(demo: DemoChild, today: date, calendar: WorkingCalendar) -> _History:
    """Reviews held on time, on working days, working back from the next statutory date.

    Built backwards so that the statutory rule itself (portal.domain.timescales) puts
    the next review's due date exactly ``due_in`` working days from today.
    """
    due = calendar.add_working_days(today, demo.due_in) if demo.due_in >= 0 else today
    if demo.due_in < 0:
        due = _working_days_before(today, -demo.due_in, calendar)
    if demo.reviews_held == 0:
        came = _working_days_before(due, INITIAL_REVIEW_WORKING_DAYS, calendar)
        return _History(came, [], ReviewKind.INITIAL)
    # The last review held is 6 months before the due date (3 after the first one).
    months_back = SECOND_REVIEW_MONTHS if demo.reviews_held == 1 else LATER_REVIEW_MONTHS
    days = [_working_day_on_or_before(add_months(due, -months_back), calendar)]
    while len(days) < demo.reviews_held:
        gap = SECOND_REVIEW_MONTHS if len(days) == demo.reviews_held - 1 else LATER_REVIEW_MONTHS
        days.append(_working_day_on_or_before(add_months(days[-1], -gap), calendar))
    days.reverse()
    came = _working_days_before(days[0], INITIAL_REVIEW_WORKING_DAYS - 2, calendar)
    kinds = [ReviewKind.INITIAL, ReviewKind.SECOND] + [ReviewKind.SUBSEQUENT] * len(days)
    next_kind = kinds[len(days)]
    return _History(came, list(zip(kinds, days, strict=False)), next_kind)


def _working_day_on_or_before(day: date, calendar: WorkingCalendar) -> date:
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _working_days_before(day: date, count: int, calendar: WorkingCalendar) -> date:
    while count > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


def _birthday(age: int, on: date) -> date:
    # Mid-way between birthdays, so the age band is clear on the review day.
    return on - timedelta(days=int(365.25 * age) + 180)


def _authority(
    slug: str, name: str, service: str, phone: str, email: str, advocacy: str, advocacy_phone: str
) -> LocalAuthority:
    authority = LocalAuthority(
        slug=slug,
        name=name,
        service_name=service,
        iro_team_phone=phone,
        iro_team_email=email,
        advocacy_service_name=advocacy,
        advocacy_phone=advocacy_phone,
        complaints_phone=phone,
        complaints_email=email.replace("iro.team", "complaints"),
    )
    db.session.add(authority)
    return authority


def seed_demo(*, code_key: str, password_hash: str, today: date | None = None) -> bool:
    """Create the demo once; returns False if it was already there."""
    if db.session.scalar(select(LocalAuthority).where(LocalAuthority.slug == "eastwold")):
        return False
    today = today or today_in_england()
    eastwold = _authority(
        "eastwold",
        "Eastwold County Council (fictional)",
        "Your Voice, Eastwold",
        "01632 960 100",
        "iro.team@eastwold.example",
        "Eastwold Young People's Advocacy",
        "01632 960 200",
    )
    westmere = _authority(
        "westmere",
        "Westmere Borough Council (fictional)",
        "Have Your Say, Westmere",
        "01632 960 300",
        "iro.team@westmere.example",
        "Westmere Advocacy",
        "01632 960 400",
    )
    staff = {
        "jo.iro@eastwold.example": StaffUser(
            local_authority=eastwold,
            email="jo.iro@eastwold.example",
            display_name="Jo Whitfield",
            phone="01632 960 111",
        ),
        "chris.iro@eastwold.example": StaffUser(
            local_authority=eastwold,
            email="chris.iro@eastwold.example",
            display_name="Chris Amadi",
            phone="01632 960 112",
        ),
        "priya.manager@eastwold.example": StaffUser(
            local_authority=eastwold,
            email="priya.manager@eastwold.example",
            display_name="Priya Shah",
            phone="01632 960 113",
            role=StaffRole.MANAGER,
        ),
        "lee.admin@eastwold.example": StaffUser(
            local_authority=eastwold,
            email="lee.admin@eastwold.example",
            display_name="Lee Carter",
            phone="01632 960 114",
            role=StaffRole.ADMINISTRATOR,
        ),
        "robin.iro@westmere.example": StaffUser(
            local_authority=westmere,
            email="robin.iro@westmere.example",
            display_name="Robin Hale",
            phone="01632 960 311",
        ),
    }
    for email, member in staff.items():
        member.role = member.role or StaffRole.IRO
        member.password_hash = password_hash
        # Chris has not set up two-factor yet, so the demo shows enrolment by QR code.
        if email != "chris.iro@eastwold.example":
            member.totp_secret = DEMO_TOTP_SECRET
            member.totp_enrolled_at = utcnow()
        db.session.add(member)
    db.session.flush()

    calendar = WorkingCalendar()
    for authority, children in ((eastwold, EASTWOLD_CHILDREN), (westmere, WESTMERE_CHILDREN)):
        for demo in children:
            history = _review_history(demo, today, calendar)
            review_day = calendar.add_working_days(today, demo.meets_in)
            child = Child(
                local_authority_id=authority.id,
                preferred_name=demo.name,
                date_of_birth=_birthday(demo.age, review_day),
                came_into_care_on=history.came_into_care_on,
                uasc=demo.uasc,
                preferred_language=demo.language,
                iro_id=staff[demo.iro_email].id,
            )
            held = [
                Review(
                    local_authority_id=authority.id,
                    child=child,
                    kind=kind,
                    planned_on=day,
                    planned_time=time(16, 0),
                    status=ReviewStatus.HELD,
                    venue="At school",
                )
                for kind, day in history.held
            ]
            review = Review(
                local_authority_id=authority.id,
                child=child,
                kind=history.next_kind,
                planned_on=review_day,
                planned_time=time(16, 0),  # after school
                venue="At home",
            )
            db.session.add_all([child, *held, review])
            for invite in demo.invitations:
                invitation = Invitation(
                    local_authority_id=authority.id,
                    review=review,
                    role=invite.role,
                    invitee_name=invite.who,
                    language=invite.language,
                    token_digest=credentials.token_digest(invite.link_token),
                    code_digest=credentials.code_digest(invite.code, code_key),
                    expires_at=utcnow() + timedelta(days=60),
                    due_on=consultation_due_on(invite.role, review_day, authority.due_days),
                    professional_kind=invite.professional_kind,
                    sent_at=utcnow(),
                )
                set_contact(invitation, email=invite.email, phone="")
                db.session.add(invitation)
    db.session.flush()
    _plans_and_letters(eastwold, staff["jo.iro@eastwold.example"], code_key)
    _figures_children(
        eastwold,
        [staff["jo.iro@eastwold.example"], staff["chris.iro@eastwold.example"]],
        code_key,
        today,
    )
    db.session.commit()
    return True


# Fictional words, written as an IRO who follows the portal's plain-language advice would.
JESS_PLAN = """## Where I live
You live with Pat. Pat looks after you and two other children.

## School
You are in Year 10 at Eastwold Academy. Ms Okafor helps you with your work.

## Health
You see the nurse once a year. Your teeth and eyes were checked in the summer.

## Family time
You see your mum every Saturday. You see your brother Sam every other Sunday.

## Who helps me
- Pat, at home
- Jo, your IRO: 01632 960 111
- Your advocate, if you want one

## What happens next
Your next review is after Christmas. Jo will ask what you think before it.
"""
JESS_LETTER = """Dear Jess,

Thank you for telling me what you think before your review. Here is what we decided.

## What we talked about
We talked about your home, your school and your family.

## What was decided
- You will stay with Pat.
- You will see Sam more often.

## Who will do what, and by when
- Your social worker will set up extra time with Sam by the end of next month.
- Ms Okafor will find you a quiet place to do homework at school.

## What happens next
I will check that these things have happened before your next review.

## How to reach me
Call me on 01632 960 111. Or ask Pat to call me.

Jo
"""
AMIR_PLAN = """## Where I live
You live with your foster family in Eastwold.

## School
You go to college three days a week to learn English.

## Health
You saw the doctor when you arrived. You can ask to see a doctor at any time.

## Who helps me
- Chris and Jo, your IROs
- An interpreter, whenever you need one

## What happens next
Your next review is soon. Tell us what you think before it.
"""
AMIR_PLAN_ARABIC = """## أين أعيش
تعيش مع عائلتك الحاضنة في Eastwold.

## المدرسة
تذهب إلى الكلية ثلاثة أيام في الأسبوع لتتعلّم الإنجليزية.

## الصحة
رأيت الطبيب عندما وصلت. يمكنك أن تطلب رؤية الطبيب في أي وقت.

## من يساعدني
- Chris و Jo، مسؤولا المراجعة (IRO) الخاصان بك
- مترجم، كلما احتجت إليه

## ماذا يحدث بعد ذلك
مراجعتك القادمة قريبة. أخبرنا برأيك قبلها.
"""
AMIR_LETTER = """Dear Amir,

Thank you for coming to your first review.

## What was decided
- You will keep going to college to learn English.
- We will find you a football club near your home.

## How to reach me
Call me on 01632 960 111. I can bring an interpreter.

Jo
"""
AMIR_LETTER_ARABIC = """عزيزي أمير،

شكرًا لحضورك مراجعتك الأولى.

## ما الذي تقرّر
- ستستمر في الذهاب إلى الكلية لتتعلّم الإنجليزية.
- سنجد لك ناديًا لكرة القدم قريبًا من بيتك.

## كيف تتواصل معي
اتصل بي على 01632 960 111. يمكنني أن أحضر مترجمًا.

Jo
"""


def _plans_and_letters(authority: LocalAuthority, iro: StaffUser, code_key: str) -> None:
    """Jess's plan and the letter after her last review, tied to what she said in it;
    Amir's plan and letter with Arabic translations."""
    from portal.data import documents

    children = {
        child.preferred_name: child
        for child in db.session.scalars(
            select(Child).where(Child.local_authority_id == authority.id)
        )
    }
    jess, amir = children["Jess"], children["Amir"]
    last_held = [r for r in jess.reviews if r.status == ReviewStatus.HELD][-1]
    # What Jess said before that review (an invitation long since used).
    said = Invitation(
        local_authority_id=authority.id,
        review=last_held,
        role=InviteeRole.CHILD,
        invitee_name="Jess",
        language="en_GB",
        token_digest=credentials.token_digest(credentials.new_link_token()),
        code_digest=credentials.code_digest(credentials.new_invitation_code(), code_key),
        expires_at=utcnow() - timedelta(days=30),
        due_on=last_held.planned_on - timedelta(days=1),
        sent_at=utcnow() - timedelta(days=200),
    )
    consultation = Consultation(
        local_authority_id=authority.id,
        invitation=said,
        form_key="age_13_to_17",
        form_version=1,
        status=ConsultationStatus.SUBMITTED,
        submitted_at=utcnow() - timedelta(days=190),
        submitted_on_time=True,
    )
    answers = [
        Answer(
            consultation=consultation,
            question_key=key,
            value=value,
            language="en_GB",
            form_key="age_13_to_17",
            form_version=1,
            audience=audience,
        )
        for key, value, audience in (
            ("working_well", "I like living with Pat and my new school.", "meeting"),
            ("worried_about", "I don't see my brother Sam enough.", "meeting"),
        )
    ]
    db.session.add_all([said, consultation, *answers])
    db.session.flush()

    def write(document: Document, text: str, *, parents: bool = False) -> None:
        documents.save_draft(
            document,
            text,
            seen_revision=document.revision,
            staff=iro,
            for_parents=parents,
            for_carers=True,
        )

    plan = documents.start_plan(jess, last_held.planned_on)
    write(plan, JESS_PLAN)
    documents.publish(plan, iro, reading_age=8, above_goal_confirmed=False)
    letter = documents.start_letter(last_held)
    write(letter, JESS_LETTER, parents=True)
    documents.set_ties(
        letter,
        {
            answers[0].id: "You will stay with Pat.",
            answers[1].id: "Your social worker will set up extra time with Sam.",
        },
    )
    documents.publish(letter, iro, reading_age=8, above_goal_confirmed=False)

    amir_plan = documents.start_plan(amir, amir.reviews[-1].planned_on)
    write(amir_plan, AMIR_PLAN)
    documents.publish(amir_plan, iro, reading_age=8, above_goal_confirmed=False)
    documents.save_translation(amir_plan, "ar", AMIR_PLAN_ARABIC, iro)
    first_review = [r for r in amir.reviews if r.status == ReviewStatus.HELD][-1]
    amir_letter = documents.start_letter(first_review)
    write(amir_letter, AMIR_LETTER)
    documents.publish(amir_letter, iro, reading_age=7, above_goal_confirmed=False)
    documents.save_translation(amir_letter, "ar", AMIR_LETTER_ARABIC, iro)


def sign_in_guide(base_url: str) -> str:
    lines = [
        "Demo sign-in (fictional people; first visit asks each invited person to choose a "
        "PIN or secret word):",
        "",
    ]
    for demo in EASTWOLD_CHILDREN:
        for invite in demo.invitations:
            role = invite.professional_kind or invite.role.value
            lines.append(
                f"  {role:<9} {invite.who:<36} about {demo.name:<7} code {invite.code}   "
                f"or {base_url}/i/{invite.link_token}   ({invite.language})"
            )
    lines += [
        "",
        "  Pat (three children) and Ms Okafor (two) see all their invitations after signing "
        "in with any one of their codes.",
    ]
    lines += [
        "",
        f"  IRO      Jo Whitfield  {base_url}/staff/sign-in  jo.iro@eastwold.example / "
        f"{DEMO_STAFF_PASSWORD}",
        f"  IRO      Chris Amadi   {base_url}/staff/sign-in  chris.iro@eastwold.example / "
        f"{DEMO_STAFF_PASSWORD}  (sets up two-factor on first sign-in)",
        f"  Manager  Priya Shah    {base_url}/staff/sign-in  priya.manager@eastwold.example / "
        f"{DEMO_STAFF_PASSWORD}",
        f"  Admin    Lee Carter    {base_url}/staff/sign-in  lee.admin@eastwold.example / "
        f"{DEMO_STAFF_PASSWORD}",
        f"  (another authority) Robin Hale: robin.iro@westmere.example / {DEMO_STAFF_PASSWORD}",
        "",
        "  Staff sign-in asks for an authenticator code. Add this key to an authenticator app:",
        f"    {DEMO_TOTP_SECRET}",
        # Printed as a make target: it sets PORTAL_ENV=development, without which the
        # command refuses, so it works as printed in any shell (tests/app/test_printed_commands.py).
        "  or print the current code with:  make demo-code",
    ]
    return "\n".join(lines)


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
# The share of each code for a child of 4 or over, by age on the day held: PN1 about
# 40%, PN3 15%, PN5 and PN6 25%, PN4 5%, PN2 5% and PN7 10% across the service.
_CODE_WEIGHTS = {
    "young": {"PN1": 30, "PN2": 3, "PN3": 42, "PN4": 9, "PN5": 2, "PN6": 8, "PN7": 6},
    "middle": {"PN1": 55, "PN2": 4, "PN3": 9, "PN4": 4, "PN5": 5, "PN6": 14, "PN7": 9},
    "older": {"PN1": 48, "PN2": 4, "PN3": 2, "PN4": 3, "PN5": 7, "PN6": 21, "PN7": 15},
}
# How likely a child invited is to send their views through the portal, by the code
# that describes the review: PN6 is mostly views sent this way, PN7 never.
_CHILD_SENDS = {"PN1": 0.5, "PN2": 0.35, "PN3": 0.4, "PN4": 0.3, "PN5": 0.3, "PN6": 0.8, "PN7": 0.0}


def _code_for(rng: random.Random, age: int) -> str:
    """The participation code a review held turns out to have, for a child of ``age``."""
    if age < 4:
        return "PN0"
    band = "young" if age < 8 else "middle" if age < 16 else "older"
    return _pick(rng, _CODE_WEIGHTS[band])


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on ``day`` in UTC, as the models store every moment."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _held_days(rng: random.Random, today: date, calendar: WorkingCalendar) -> list[date]:
    """The days a child's reviews were held, oldest first: the last one recent enough
    that the next is due comfortably later than every named child's; mostly in
    timescale, a few held late."""
    count = rng.choices(range(2, 11), weights=[10, 12, 14, 14, 12, 10, 8, 6, 6])[0]
    latest = _working_day_on_or_before(today - timedelta(days=rng.randint(6, 75)), calendar)
    days = [latest]
    while len(days) < count:
        months = SECOND_REVIEW_MONTHS if len(days) == count - 1 else LATER_REVIEW_MONTHS
        late = rng.random() < 0.1
        slack = rng.randint(2, 20) if late else -rng.randint(0, 35)
        earlier = add_months(days[-1], -months) - timedelta(days=slack)
        days.append(_working_day_on_or_before(earlier, calendar))
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
    review.recorded_at = _at(day + timedelta(days=rng.randint(0, 3)), 17, rng.randint(0, 59))


@dataclass
class _Seeding:
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


def _figures_children(
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
    seeding = _Seeding(rng, authority, code_key, now, calendar)
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
        came = _working_days_before(days[0], rng.choice((8, 12, 15, 18, 19, 25)), calendar)
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
                _consultations(seeding, review, child, carer, parent, age_then, code)
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
                            value=_child_answer(rng, key, question.options),
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
            letter = _letter(seeding, review, child, iro, letter_text.format(name=name), to_html)
            if letter is not None and child_invitation and child_invitation.first_opened_at:
                opened = letter[1].published_at + timedelta(days=rng.randint(0, 14), hours=3)
                if rng.random() < 0.6 and opened < now:
                    seeding.readings.append((letter[0], child_invitation, opened))
            if review.planned_on >= portal_since and code != "PN0":
                _feedback(seeding, review, invitations)
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
                saved_at=_at(shared, 11),
                created_at=_at(shared, 10),
                for_carers=True,
            )
            seeding.rows += [plan, _version(plan, iro, plan_text, to_html, _at(shared, 11))]
        # The next review: planned well before its statutory date, later than the named
        # children's, with the child and their carer invited.
        due = next_review_due(came, days, calendar)
        before = timedelta(days=rng.randint(3, 25))
        meeting = _working_day_on_or_before(due.due_by - before, calendar)
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


_ANSWER_WEIGHTS = {
    "feel_listened_to": {"yes": 70, "sometimes": 22, "no": 8},
    "see_social_worker_enough": {"enough": 60, "not_enough": 25, "too_often": 5, "not_sure": 10},
    "know_how_to_complain": {"yes": 68, "no": 32},
    "know_children_in_care_council": {"yes": 45, "no": 55},
}


def _child_answer(rng: random.Random, key: str, options: Iterable[Any]) -> str:
    offered = {option.value for option in options}
    weights = {value: w for value, w in _ANSWER_WEIGHTS[key].items() if value in offered}
    return _pick(rng, weights) if weights else next(iter(sorted(offered)))


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


def _consultations(
    seeding: _Seeding, review: Review, child: Child, carer: str, parent: str, age: int, code: str
) -> dict[str, Invitation]:
    """Invitations before a review held, and what each person did with theirs."""
    from portal.domain.age_bands import age_band
    from portal.questionnaires.declarations import form_for, form_for_role

    rng, day = seeding.rng, review.planned_on
    sent = _at(day - timedelta(days=rng.randint(24, 35)), 9, rng.randint(0, 59))
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
    seeding: _Seeding,
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
    submitted = max(started + timedelta(minutes=5), _at(day, hour, rng.randint(0, 59)))
    consultation.status = ConsultationStatus.SUBMITTED
    consultation.submitted_at = consultation.updated_at = submitted
    consultation.submitted_on_time = submitted.date() <= due
    consultation.current_step = None


def _version(
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


def _letter(
    seeding: _Seeding,
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
        saved_at=_at(min(day, today), 8),
        created_at=_at(review.planned_on, 18),
        for_carers=True,
    )
    seeding.rows.append(letter)
    if day >= today:
        if due >= today:
            return None  # still being written, and not late yet
        day = today - timedelta(days=1)
    version = _version(letter, iro, text, to_html, _at(day, 12, rng.randint(0, 59)))
    seeding.rows.append(version)
    return letter, version


def _feedback(seeding: _Seeding, review: Review, invitations: dict[str, Invitation]) -> None:
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
        sent = _at(review.planned_on + timedelta(days=rng.randint(1, 10)), 18, rng.randint(0, 59))
        if sent >= seeding.now:
            continue
        answers: dict[str, str | None] = {
            question: None
            if rng.random() < 0.08
            else _pick(rng, {"yes": 84, "no": 10, "not_sure": 6})
            for question in (
                "right_place",
                "right_day",
                "right_time",
                "asked_who_should_come",
                "listened_to",
                "understand_decisions",
            )
        }
        seeding.feedback.append(
            (
                invitation,
                review,
                {
                    "role": role.value,
                    "how_was_it": _pick(rng, {"great": 42, "good": 40, "okay": 13, "not_good": 5}),
                    **answers,
                    "make_it_better": rng.choice(MAKE_IT_BETTER),
                    "anonymous": rng.random() < 0.15,
                    "language": invitation.language,
                    "sent_at": sent,
                },
            )
        )
