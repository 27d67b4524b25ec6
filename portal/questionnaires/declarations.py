"""Consultation forms declared as data.

Each form is a list of steps (one topic a page), each step a list of questions.
Text is English, marked with ``N_`` so that ``pybabel extract`` finds it; it is
translated when a page is drawn. A form's ``version`` is stored with every
answer: when a form changes, give it a new version and keep the old one in
``ALL_FORMS`` so that old answers keep the questions they answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from portal.domain.age_bands import AgeBand


def N_(text: str) -> str:
    """Mark text for translation without translating it here."""
    return text


class AnswerType(StrEnum):
    TEXT = "text"  # a paragraph
    SHORT_TEXT = "short_text"  # a line
    CHOICE = "choice"  # one of several options
    FACES = "faces"  # one of five faces, each with words


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    picture: str | None = None


@dataclass(frozen=True)
class Question:
    key: str
    type: AnswerType
    label: str
    hint: str | None = None
    options: tuple[Option, ...] = ()
    required: bool = False
    required_message: str | None = None
    # Answers that mean the child may not be safe: the IRO is flagged the moment one is saved.
    safety_values: frozenset[str] = frozenset()
    # Shown to the IRO only, never to parents or carers.
    private: bool = False


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None


@dataclass(frozen=True)
class ConsultationForm:
    key: str
    version: int
    name: str
    steps: tuple[Step, ...]
    switch_label: str = ""  # the button that moves a child to this version
    simpler: str | None = None
    question_index: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Question] = {}
        for step in self.steps:
            for question in step.questions:
                if question.key in index:
                    raise ValueError(f"{self.key}: question {question.key} appears twice")
                index[question.key] = question
        object.__setattr__(self, "question_index", index)

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def question(self, key: str) -> Question | None:
        return self.question_index.get(key)


# --- Shared options -------------------------------------------------------------

FACES = (
    Option("great", N_("Really good"), "great"),
    Option("good", N_("Good"), "good"),
    Option("okay", N_("OK"), "okay"),
    Option("worried", N_("Worried"), "worried"),
    Option("scared", N_("Sad or scared"), "scared"),
)
UNSAFE_FACES = frozenset({"worried", "scared"})

YES = Option("yes", N_("Yes"))
NO = Option("no", N_("No"))
NOT_SURE = Option("not_sure", N_("I'm not sure"))
YES_NO = (YES, NO)
YES_NO_NOT_SURE = (YES, NO, NOT_SURE)

ATTEND_OPTIONS = (
    Option("all", N_("Yes, for all of it")),
    Option("part", N_("Yes, for part of it")),
    Option("chair", N_("Yes, and I would like to lead (chair) the meeting")),
    Option("send_views", N_("No, but I want my views to be shared")),
    NOT_SURE,
)
ATTEND_OPTIONS_YOUNGER = tuple(o for o in ATTEND_OPTIONS if o.value != "chair")

FEEL_SAFE_OPTIONS = (
    Option("yes", N_("Yes, I feel safe")),
    Option("mostly", N_("Mostly")),
    Option("no", N_("No, I do not feel safe")),
)

LISTENED_OPTIONS = (
    Option("yes", N_("Yes")),
    Option("sometimes", N_("Sometimes")),
    Option("no", N_("No")),
)

SEE_ENOUGH_OPTIONS = (
    Option("enough", N_("Yes, often enough")),
    Option("not_enough", N_("No, not enough")),
    Option("too_often", N_("Too often")),
    NOT_SURE,
)


# --- Shared questions -----------------------------------------------------------


def _feeling(key: str, label: str, *, unsafe: bool = False) -> Question:
    return Question(
        key=key,
        type=AnswerType.FACES,
        label=label,
        options=FACES,
        safety_values=UNSAFE_FACES if unsafe else frozenset(),
    )


def _comments(key: str, label: str = N_("Tell us more (if you want to)")) -> Question:
    return Question(key=key, type=AnswerType.TEXT, label=label)


WHERE = Question(
    "meeting_where",
    AnswerType.SHORT_TEXT,
    N_("Where would you like the meeting to be?"),
    hint=N_("For example at your home, at school, or somewhere else"),
)
WHEN = Question(
    "meeting_when",
    AnswerType.SHORT_TEXT,
    N_("When is a good time for you?"),
    hint=N_("For example after school"),
)
WHO_SHOULD = _comments("who_should_be_there", N_("Who would you like to be there?"))
WHO_SHOULD_NOT = _comments("who_should_not_be_there", N_("Is there anyone you do not want there?"))
TALK_ALONE = Question(
    "talk_to_iro_alone",
    AnswerType.CHOICE,
    N_("Would you like to talk to your IRO on your own before the meeting?"),
    hint=N_(
        "Your IRO (Independent Reviewing Officer) runs your meeting and checks your plan "
        "is working for you."
    ),
    options=YES_NO_NOT_SURE,
)
ADVOCATE = Question(
    "wants_advocate",
    AnswerType.CHOICE,
    N_("Would you like an advocate?"),
    hint=N_(
        "An advocate helps you say what you think. They are on your side and do not work "
        "for your social worker."
    ),
    options=YES_NO_NOT_SURE,
)
INTERPRETER = Question(
    "wants_interpreter",
    AnswerType.CHOICE,
    N_("Would you like an interpreter at the meeting?"),
    options=YES_NO,
)
INTERPRETER_LANGUAGE = Question(
    "interpreter_language",
    AnswerType.SHORT_TEXT,
    N_("If yes, which language?"),
)
FEEL_SAFE_HOME = Question(
    "feel_safe_home",
    AnswerType.CHOICE,
    N_("Do you feel safe where you live?"),
    options=FEEL_SAFE_OPTIONS,
    safety_values=frozenset({"no"}),
)
WORKING_WELL = _comments("working_well", N_("What is working well for you?"))
WORRIED_ABOUT = _comments("worried_about", N_("What are you worried about?"))
NEEDS_TO_HAPPEN = _comments("needs_to_happen", N_("What needs to happen?"))
LISTENED = Question(
    "feel_listened_to",
    AnswerType.CHOICE,
    N_("Do you feel people listen to you?"),
    options=LISTENED_OPTIONS,
)
SEEN_PLAN = Question(
    "seen_plan",
    AnswerType.CHOICE,
    N_("Have you seen your plan?"),
    hint=N_("Your plan says how people will help you. Your social worker writes it."),
    options=YES_NO_NOT_SURE,
)
SOCIAL_WORKER_ENOUGH = Question(
    "see_social_worker_enough",
    AnswerType.CHOICE,
    N_("Do you see your social worker enough?"),
    options=SEE_ENOUGH_OPTIONS,
)
KNOW_COMPLAIN = Question(
    "know_how_to_complain",
    AnswerType.CHOICE,
    N_("Do you know how to complain if you are unhappy about something?"),
    options=YES_NO,
)
KNOW_CICC = Question(
    "know_children_in_care_council",
    AnswerType.CHOICE,
    N_("Do you know about the Children in Care Council?"),
    hint=N_("It is a group of young people in care who meet to make things better."),
    options=YES_NO,
)
ONLY_FOR_IRO = Question(
    "only_for_iro",
    AnswerType.TEXT,
    N_("Is there anything you want to tell only your IRO?"),
    hint=N_(
        "Your IRO will not share this with your parents or carers. If you tell them you "
        "are not safe, they will have to act to keep you safe."
    ),
    private=True,
)


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
        _feeling("home_feeling", N_("How do you feel about where you live?"), unsafe=True),
        FEEL_SAFE_HOME,
        _comments("home_comments"),
    ),
)
SCHOOL_STEP = Step(
    "school",
    N_("School, college or work"),
    (
        _feeling("school_feeling", N_("How are things at school, college or work?")),
        _comments("school_comments"),
    ),
)
HEALTH_STEP = Step(
    "health",
    N_("Your health"),
    (
        _feeling("health_feeling", N_("How are you feeling in your body and mind?")),
        _comments("health_comments"),
    ),
)
FRIENDS_STEP = Step(
    "friends",
    N_("Friends and things you enjoy"),
    (
        _feeling("friends_feeling", N_("How are things with your friends and hobbies?")),
        _comments("friends_comments"),
    ),
)
FAMILY_TIME_STEP = Step(
    "family_time",
    N_("Family time"),
    (
        _feeling("family_time_feeling", N_("How do you feel about time with your family?")),
        _comments("family_time_comments"),
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


AGE_13_TO_17 = ConsultationForm(
    key=AgeBand.AGE_13_TO_17,
    version=1,
    name=N_("Version for ages 13 to 17"),
    switch_label=N_("Use the version for ages 13 to 17"),
    simpler=AgeBand.AGE_8_TO_12,
    steps=(
        _meeting_step(ATTEND_OPTIONS),
        PEOPLE_STEP,
        SUPPORT_STEP,
        HOME_STEP,
        SCHOOL_STEP,
        HEALTH_STEP,
        FRIENDS_STEP,
        FAMILY_TIME_STEP,
        VIEWS_STEP,
        LISTENED_STEP,
        RIGHTS_STEP,
        ONLY_FOR_IRO_STEP,
    ),
)

AGE_8_TO_12 = ConsultationForm(
    key=AgeBand.AGE_8_TO_12,
    version=1,
    name=N_("Version for ages 8 to 12"),
    switch_label=N_("Use the version for ages 8 to 12"),
    simpler=AgeBand.UNDER_8,
    steps=(
        _meeting_step(ATTEND_OPTIONS_YOUNGER),
        PEOPLE_STEP,
        SUPPORT_STEP,
        HOME_STEP,
        SCHOOL_STEP,
        HEALTH_STEP,
        FRIENDS_STEP,
        FAMILY_TIME_STEP,
        VIEWS_STEP,
        LISTENED_STEP,
        ONLY_FOR_IRO_STEP,
    ),
)

UNDER_8 = ConsultationForm(
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
                _feeling("home_feeling", N_("How do you feel at home?"), unsafe=True),
                FEEL_SAFE_HOME,
            ),
        ),
        Step(
            "school", N_("School"), (_feeling("school_feeling", N_("How do you feel at school?")),)
        ),
        Step(
            "family_time",
            N_("Family time"),
            (_feeling("family_time_feeling", N_("How do you feel about seeing your family?")),),
        ),
        Step(
            "happy_and_sad",
            N_("Happy and sad"),
            (
                _comments("makes_you_happy", N_("What makes you happy?")),
                _comments("makes_you_sad", N_("What makes you sad or worried?")),
                _comments("wish", N_("If you could change one thing, what would it be?")),
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

CARE_LEAVER = ConsultationForm(
    key=AgeBand.CARE_LEAVER,
    version=1,
    name=N_("Version for care leavers"),
    switch_label=N_("Use the version for care leavers"),
    simpler=AgeBand.AGE_13_TO_17,
    steps=(
        _meeting_step(ATTEND_OPTIONS),
        PEOPLE_STEP,
        SUPPORT_STEP,
        HOME_STEP,
        Step(
            "money",
            N_("Money"),
            (
                _feeling("money_feeling", N_("How are you managing with money?")),
                _comments("money_comments"),
            ),
        ),
        Step(
            "education_work",
            N_("Education, training and work"),
            (
                _feeling(
                    "education_work_feeling", N_("How are education, training or work going?")
                ),
                _comments("education_work_comments"),
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
                _comments("personal_adviser_comments"),
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

# --- Grown-ups: parents and carers ---------------------------------------------

ADULT_VIEWS_STEP = Step(
    "your_views",
    N_("Your views"),
    (
        _comments("working_well", N_("What is working well for the child?")),
        _comments("worried_about", N_("What are you worried about?")),
        _comments("needs_to_happen", N_("What needs to happen next?")),
    ),
)
ADULT_MEETING_STEP = Step(
    "meeting",
    N_("The review meeting"),
    (
        Question(
            "attend",
            AnswerType.CHOICE,
            N_("Will you come to the review meeting?"),
            options=YES_NO_NOT_SURE,
        ),
        INTERPRETER,
        INTERPRETER_LANGUAGE,
    ),
)

PARENT = ConsultationForm(
    key="parent",
    version=1,
    name=N_("Version for parents"),
    steps=(
        Step(
            "plan",
            N_("The plan for your child"),
            (
                Question(
                    "received_plan",
                    AnswerType.CHOICE,
                    N_("Have you been given a copy of the plan?"),
                    options=YES_NO_NOT_SURE,
                ),
                Question(
                    "received_last_record",
                    AnswerType.CHOICE,
                    N_("Were you sent the record of the last review?"),
                    options=YES_NO_NOT_SURE,
                ),
                _comments("plan_comments", N_("What do you think of the plan?")),
            ),
        ),
        Step(
            "family_time",
            N_("Family time"),
            (
                _comments(
                    "family_time_comments",
                    N_("How is family time going? Would you change anything?"),
                ),
            ),
        ),
        ADULT_VIEWS_STEP,
        ADULT_MEETING_STEP,
    ),
)

CARER = ConsultationForm(
    key="carer",
    version=1,
    name=N_("Version for carers"),
    steps=(
        Step(
            "progress",
            N_("How the child is doing"),
            (
                _comments("health_progress", N_("Health")),
                _comments("education_progress", N_("Education")),
                _comments("family_time_progress", N_("Family time")),
                _comments("wellbeing", N_("Feelings, behaviour and friendships")),
            ),
        ),
        Step(
            "support",
            N_("Support"),
            (
                _comments("support_needed", N_("What support do you or the child need?")),
                Question(
                    "life_story_work",
                    AnswerType.CHOICE,
                    N_("Is life story work happening?"),
                    options=YES_NO_NOT_SURE,
                ),
            ),
        ),
        ADULT_VIEWS_STEP,
        ADULT_MEETING_STEP,
    ),
)

CURRENT_FORMS: dict[str, ConsultationForm] = {
    f.key: f for f in (UNDER_8, AGE_8_TO_12, AGE_13_TO_17, CARE_LEAVER, PARENT, CARER)
}
# Every version ever used, so old answers can always be shown with their questions.
ALL_FORMS: dict[tuple[str, int], ConsultationForm] = {
    (f.key, f.version): f for f in CURRENT_FORMS.values()
}


def form_for(age_band: AgeBand) -> ConsultationForm:
    return CURRENT_FORMS[age_band]


def form_version(key: str, version: int) -> ConsultationForm:
    return ALL_FORMS[(key, version)]
