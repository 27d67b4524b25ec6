"""Options, questions and steps that several consultation forms ask alike."""

from __future__ import annotations

from portal.questionnaires.declarations.model import N_, AnswerType, Option, Question, Step

# --- Options --------------------------------------------------------------------

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


# --- Questions ------------------------------------------------------------------


def feeling_question(key: str, label: str, *, unsafe: bool = False) -> Question:
    """A question answered with a face; ``unsafe`` flags the sad faces to the IRO."""
    return Question(
        key=key,
        type=AnswerType.FACES,
        label=label,
        options=FACES,
        safety_values=UNSAFE_FACES if unsafe else frozenset(),
    )


def comments_question(key: str, label: str = N_("Tell us more (if you want to)")) -> Question:
    """A question answered in the person's own words."""
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
WHO_SHOULD = comments_question("who_should_be_there", N_("Who would you like to be there?"))
WHO_SHOULD_NOT = comments_question(
    "who_should_not_be_there", N_("Is there anyone you do not want there?")
)
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
WORKING_WELL = comments_question("working_well", N_("What is working well for you?"))
WORRIED_ABOUT = comments_question("worried_about", N_("What are you worried about?"))
NEEDS_TO_HAPPEN = comments_question("needs_to_happen", N_("What needs to happen?"))
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


# --- Steps shared by the grown-ups' forms -------------------------------------

ADULT_VIEWS_STEP = Step(
    "your_views",
    N_("Your views"),
    (
        comments_question("working_well", N_("What is working well for the child?")),
        comments_question("worried_about", N_("What are you worried about?")),
        comments_question("needs_to_happen", N_("What needs to happen next?")),
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
