"""Fictional demo data: one local authority with children of every age band, and a second
authority to show that nothing crosses between them. No real people or cases.

The demo uses fixed codes and links so the README can list them; that is why it
refuses to run outside development and test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select

from portal.data.invitations import set_contact
from portal.demo_documents import plans_and_letters
from portal.demo_figures import figures_children, working_day_on_or_before, working_days_before
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
    today_in_england,
)
from portal.extensions import db
from portal.models import (
    Child,
    Invitation,
    InviteeRole,
    LocalAuthority,
    Review,
    ReviewStatus,
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
        due = working_days_before(today, -demo.due_in, calendar)
    if demo.reviews_held == 0:
        came = working_days_before(due, INITIAL_REVIEW_WORKING_DAYS, calendar)
        return _History(came, [], ReviewKind.INITIAL)
    # The last review held is 6 months before the due date (3 after the first one).
    months_back = SECOND_REVIEW_MONTHS if demo.reviews_held == 1 else LATER_REVIEW_MONTHS
    days = [working_day_on_or_before(add_months(due, -months_back), calendar)]
    while len(days) < demo.reviews_held:
        gap = SECOND_REVIEW_MONTHS if len(days) == demo.reviews_held - 1 else LATER_REVIEW_MONTHS
        days.append(working_day_on_or_before(add_months(days[-1], -gap), calendar))
    days.reverse()
    came = working_days_before(days[0], INITIAL_REVIEW_WORKING_DAYS - 2, calendar)
    kinds = [ReviewKind.INITIAL, ReviewKind.SECOND] + [ReviewKind.SUBSEQUENT] * len(days)
    next_kind = kinds[len(days)]
    return _History(came, list(zip(kinds, days, strict=False)), next_kind)


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
    plans_and_letters(eastwold, staff["jo.iro@eastwold.example"], code_key)
    figures_children(
        eastwold,
        [staff["jo.iro@eastwold.example"], staff["chris.iro@eastwold.example"]],
        code_key,
        today,
    )
    db.session.commit()
    return True


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
