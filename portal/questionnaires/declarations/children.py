"""The children's consultation forms: under 8, 8 to 12, 13 to 17 and care leavers."""

from __future__ import annotations

from portal.domain.age_bands import AgeBand
from portal.questionnaires.declarations.model import (
    N_,
    AnswerType,
    Option,
    Question,
    Questionnaire,
    Step,
)
from portal.questionnaires.declarations.shared import (
    ADVOCATE,
    ATTEND_OPTIONS,
    ATTEND_OPTIONS_YOUNGER,
    FEEL_SAFE_HOME,
    INTERPRETER,
    INTERPRETER_LANGUAGE,
    KNOW_CICC,
    KNOW_COMPLAIN,
    LISTENED,
    NEEDS_TO_HAPPEN,
    ONLY_FOR_IRO,
    SEE_ENOUGH_OPTIONS,
    SEEN_PLAN,
    SOCIAL_WORKER_ENOUGH,
    TALK_ALONE,
    WHEN,
    WHERE,
    WHO_SHOULD,
    WHO_SHOULD_NOT,
    WORKING_WELL,
    WORRIED_ABOUT,
    YES_NO_NOT_SURE,
    comments_question,
    feeling_question,
)

# --- Steps shared by the children's forms --------------------------------------


def _meeting_step(attend_options: tuple[Option, ...]) -> Step:
    return Step(
        "meeting",
        N_("Your review meeting"),
        (
            Question(
                "attend",
                AnswerType.CHOICE,
                N_("Would you like to come to the meeting about you?"),
                options=attend_options,
            ),
            WHERE,
            WHEN,
        ),
    )


MEETING_STEP = _meeting_step(ATTEND_OPTIONS)
MEETING_STEP_WITHOUT_CHAIR = _meeting_step(ATTEND_OPTIONS_YOUNGER)
PEOPLE_STEP = Step("people", N_("Who is at the meeting"), (WHO_SHOULD, WHO_SHOULD_NOT))
SUPPORT_STEP = Step(
    "support",
    N_("Help to have your say"),
    (TALK_ALONE, ADVOCATE, INTERPRETER, INTERPRETER_LANGUAGE),
)
HOME_STEP = Step(
    "home",
    N_("Your home"),
    (
        feeling_question("home_feeling", N_("How do you feel about where you live?"), unsafe=True),
        FEEL_SAFE_HOME,
        comments_question("home_comments"),
    ),
)
SCHOOL_STEP = Step(
    "school",
    N_("School, college or work"),
    (
        feeling_question("school_feeling", N_("How are things at school, college or work?")),
        comments_question("school_comments"),
    ),
)
HEALTH_STEP = Step(
    "health",
    N_("Your health"),
    (
        feeling_question("health_feeling", N_("How are you feeling in your body and mind?")),
        comments_question("health_comments"),
    ),
)
FRIENDS_STEP = Step(
    "friends",
    N_("Friends and things you enjoy"),
    (
        feeling_question("friends_feeling", N_("How are things with your friends and hobbies?")),
        comments_question("friends_comments"),
    ),
)
FAMILY_TIME_STEP = Step(
    "family_time",
    N_("Family time"),
    (
        feeling_question("family_time_feeling", N_("How do you feel about time with your family?")),
        comments_question("family_time_comments"),
    ),
)
VIEWS_STEP = Step(
    "your_views",
    N_("What you think"),
    (WORKING_WELL, WORRIED_ABOUT, NEEDS_TO_HAPPEN),
)
LISTENED_STEP = Step(
    "listened",
    N_("Being listened to"),
    (LISTENED, SEEN_PLAN, SOCIAL_WORKER_ENOUGH),
)
RIGHTS_STEP = Step("your_rights", N_("Knowing your rights"), (KNOW_COMPLAIN, KNOW_CICC))
ONLY_FOR_IRO_STEP = Step("only_for_iro", N_("Just for your IRO"), (ONLY_FOR_IRO,))


def school_age_steps(*, may_chair: bool, asks_about_rights: bool) -> tuple[Step, ...]:
    """The steps of the 8 to 12 and 13 to 17 forms, which differ only by these flags.

    One sequence for both, so that a change to a step reaches both ages at once.
    """
    return (
        MEETING_STEP if may_chair else MEETING_STEP_WITHOUT_CHAIR,
        PEOPLE_STEP,
        SUPPORT_STEP,
        HOME_STEP,
        SCHOOL_STEP,
        HEALTH_STEP,
        FRIENDS_STEP,
        FAMILY_TIME_STEP,
        VIEWS_STEP,
        LISTENED_STEP,
        *((RIGHTS_STEP,) if asks_about_rights else ()),
        ONLY_FOR_IRO_STEP,
    )


# --- Forms ----------------------------------------------------------------------

AGE_13_TO_17 = Questionnaire(
    key=AgeBand.AGE_13_TO_17,
    version=1,
    name=N_("Version for ages 13 to 17"),
    switch_label=N_("Use the version for ages 13 to 17"),
    simpler=AgeBand.AGE_8_TO_12,
    steps=school_age_steps(may_chair=True, asks_about_rights=True),
)

AGE_8_TO_12 = Questionnaire(
    key=AgeBand.AGE_8_TO_12,
    version=1,
    name=N_("Version for ages 8 to 12"),
    switch_label=N_("Use the version for ages 8 to 12"),
    simpler=AgeBand.UNDER_8,
    steps=school_age_steps(may_chair=False, asks_about_rights=False),
)

UNDER_8 = Questionnaire(
    key=AgeBand.UNDER_8,
    version=1,
    name=N_("Version with pictures"),
    switch_label=N_("Use the version with pictures"),
    steps=(
        Step(
            "helper",
            N_("Who is helping you?"),
            (
                Question(
                    "helped_by",
                    AnswerType.CHOICE,
                    N_("Who is helping you fill this in?"),
                    hint=N_("A grown-up can help you. They must say who they are."),
                    options=(
                        Option("nobody", N_("No one. I am doing it myself")),
                        Option("carer", N_("My carer")),
                        Option("social_worker", N_("My social worker")),
                        Option("someone_else", N_("Someone else")),
                    ),
                    required=True,
                    required_message=N_("Choose who is helping you"),
                ),
                Question(
                    "helper_name",
                    AnswerType.SHORT_TEXT,
                    N_("If a grown-up is helping, what is their name?"),
                ),
            ),
        ),
        Step(
            "home",
            N_("Your home"),
            (
                feeling_question("home_feeling", N_("How do you feel at home?"), unsafe=True),
                FEEL_SAFE_HOME,
            ),
        ),
        Step(
            "school",
            N_("School"),
            (feeling_question("school_feeling", N_("How do you feel at school?")),),
        ),
        Step(
            "family_time",
            N_("Family time"),
            (
                feeling_question(
                    "family_time_feeling", N_("How do you feel about seeing your family?")
                ),
            ),
        ),
        Step(
            "happy_and_sad",
            N_("Happy and sad"),
            (
                comments_question("makes_you_happy", N_("What makes you happy?")),
                comments_question("makes_you_sad", N_("What makes you sad or worried?")),
                comments_question("wish", N_("If you could change one thing, what would it be?")),
            ),
        ),
        Step(
            "meeting",
            N_("Your review meeting"),
            (
                Question(
                    "attend",
                    AnswerType.CHOICE,
                    N_("Would you like to come to the meeting about you?"),
                    options=YES_NO_NOT_SURE,
                ),
            ),
        ),
        ONLY_FOR_IRO_STEP,
    ),
)

CARE_LEAVER = Questionnaire(
    key=AgeBand.CARE_LEAVER,
    version=1,
    name=N_("Version for care leavers"),
    switch_label=N_("Use the version for care leavers"),
    simpler=AgeBand.AGE_13_TO_17,
    steps=(
        MEETING_STEP,
        PEOPLE_STEP,
        SUPPORT_STEP,
        HOME_STEP,
        Step(
            "money",
            N_("Money"),
            (
                feeling_question("money_feeling", N_("How are you managing with money?")),
                comments_question("money_comments"),
            ),
        ),
        Step(
            "education_work",
            N_("Education, training and work"),
            (
                feeling_question(
                    "education_work_feeling", N_("How are education, training or work going?")
                ),
                comments_question("education_work_comments"),
            ),
        ),
        HEALTH_STEP,
        Step(
            "personal_adviser",
            N_("Your personal adviser"),
            (
                Question(
                    "see_personal_adviser_enough",
                    AnswerType.CHOICE,
                    N_("Do you see your personal adviser enough?"),
                    hint=N_("Your personal adviser (PA) helps you after you leave care."),
                    options=SEE_ENOUGH_OPTIONS,
                ),
                comments_question("personal_adviser_comments"),
            ),
        ),
        VIEWS_STEP,
        Step(
            "pathway_plan",
            N_("Your pathway plan and your rights"),
            (
                Question(
                    "seen_pathway_plan",
                    AnswerType.CHOICE,
                    N_("Have you seen your pathway plan?"),
                    hint=N_(
                        "Your pathway plan says how you will be helped as you become an adult."
                    ),
                    options=YES_NO_NOT_SURE,
                ),
                Question(
                    "know_entitlements",
                    AnswerType.CHOICE,
                    N_("Do you know what help you can get as a care leaver?"),
                    hint=N_(
                        "For example money to set up your home, and help with the costs of "
                        "education."
                    ),
                    options=YES_NO_NOT_SURE,
                ),
                KNOW_COMPLAIN,
            ),
        ),
        ONLY_FOR_IRO_STEP,
    ),
)
