"""The demo's published plans and letters: Jess's, with "you said, we did" ties to what she
said before her last review, and Amir's, with Arabic translations (portal.demo seeds
them). Fictional words, written as the plain-language assistant advises."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.domain import credentials
from portal.extensions import db
from portal.models import (
    Answer,
    Child,
    Consultation,
    ConsultationStatus,
    Document,
    Invitation,
    InviteeRole,
    LocalAuthority,
    ReviewStatus,
    StaffUser,
    utcnow,
)

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


def plans_and_letters(authority: LocalAuthority, iro: StaffUser, code_key: str) -> None:
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
