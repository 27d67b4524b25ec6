"""The professionals' consultation forms: health, education and other professionals.

Short enough to answer on a phone in a few minutes, and every question optional: a
professional answers what they know and leaves the rest. Each form asks what only that
professional can tell the review, then the three questions every grown-up is asked
(``ADULT_VIEWS_STEP``) and whether they will come. ``ADULT_MEETING_STEP`` is not used:
its interpreter questions are for families, not for professionals.
"""

from __future__ import annotations

from portal.questionnaires.declarations.model import (
    N_,
    AnswerType,
    Option,
    Question,
    Questionnaire,
    Step,
)
from portal.questionnaires.declarations.shared import (
    ADULT_VIEWS_STEP,
    NO,
    YES,
    YES_NO_NOT_SURE,
)

# --- Options --------------------------------------------------------------------

NOT_KNOWN = Option("not_known", N_("Not known"))
YES_NO_NOT_KNOWN = (YES, NO, NOT_KNOWN)

# "per cent", not "%": templates translate a label as a format string (``text % {}``), where
# a lone "%" breaks the page.
ATTENDANCE_OPTIONS = (
    Option("95_or_more", N_("95 per cent or more")),
    Option("90_to_94", N_("90 to 94 per cent")),
    Option("below_90", N_("Below 90 per cent")),
    NOT_KNOWN,
)

EXCLUSION_OPTIONS = (
    NO,
    Option("suspended", N_("Yes, suspended")),
    Option("permanently_excluded", N_("Yes, permanently excluded")),
    NOT_KNOWN,
)

# --- Questions and steps shared by the professionals' forms ---------------------

_MONTH_AND_YEAR = N_("For example, March 2026")

PROFESSIONAL_MEETING_STEP = Step(
    "meeting",
    N_("The review meeting"),
    (
        Question(
            "attend",
            AnswerType.CHOICE,
            N_("Will you come to the review meeting?"),
            options=YES_NO_NOT_SURE,
        ),
    ),
)


# --- The forms ------------------------------------------------------------------

HEALTH = Questionnaire(
    key="professional_health",
    version=1,
    name=N_("Version for health professionals"),
    steps=(
        Step(
            "health_checks",
            N_("Health checks"),
            (
                Question(
                    "health_assessment_date",
                    AnswerType.SHORT_TEXT,
                    N_("When was the child's last health assessment?"),
                    hint=_MONTH_AND_YEAR,
                ),
                Question(
                    "health_assessment_up_to_date",
                    AnswerType.CHOICE,
                    N_("Is the health assessment up to date?"),
                    hint=N_(
                        "Children in care have one every 6 months until they are 5, "
                        "then once a year."
                    ),
                    options=YES_NO_NOT_KNOWN,
                ),
                Question(
                    "dental_check_up_to_date",
                    AnswerType.CHOICE,
                    N_("Is the child's dental check up to date?"),
                    options=YES_NO_NOT_KNOWN,
                ),
                Question(
                    "optician_check_up_to_date",
                    AnswerType.CHOICE,
                    N_("Is the child's eye test at the optician up to date?"),
                    options=YES_NO_NOT_KNOWN,
                ),
                Question(
                    "immunisations_up_to_date",
                    AnswerType.CHOICE,
                    N_("Are the child's immunisations up to date?"),
                    options=YES_NO_NOT_KNOWN,
                ),
            ),
        ),
        Step(
            "wellbeing_and_needs",
            N_("Wellbeing and health needs"),
            (
                Question(
                    "emotional_wellbeing",
                    AnswerType.TEXT,
                    N_("How is the child's emotional wellbeing?"),
                    hint=N_(
                        "Include the latest SDQ (Strengths and Difficulties Questionnaire) "
                        "score if you know it."
                    ),
                ),
                Question(
                    "health_concerns",
                    AnswerType.TEXT,
                    N_("Do you have any concerns about the child's health?"),
                    hint=N_(
                        "For example, a need that is not being met, or a referral or "
                        "appointment that is still waiting"
                    ),
                ),
            ),
        ),
        ADULT_VIEWS_STEP,
        PROFESSIONAL_MEETING_STEP,
    ),
)

EDUCATION = Questionnaire(
    key="professional_education",
    version=1,
    name=N_("Version for education professionals"),
    steps=(
        Step(
            "education_plan",
            N_("Education plan and attendance"),
            (
                Question(
                    "pep_date",
                    AnswerType.SHORT_TEXT,
                    N_("When was the child's latest Personal Education Plan (PEP) meeting?"),
                    hint=_MONTH_AND_YEAR,
                ),
                Question(
                    "attendance",
                    AnswerType.CHOICE,
                    N_("What is the child's attendance this school year?"),
                    options=ATTENDANCE_OPTIONS,
                ),
                Question(
                    "exclusions",
                    AnswerType.CHOICE,
                    N_("Has the child been suspended or excluded since the last review?"),
                    options=EXCLUSION_OPTIONS,
                ),
            ),
        ),
        Step(
            "progress_and_support",
            N_("Progress and support"),
            (
                Question(
                    "education_progress",
                    AnswerType.TEXT,
                    N_("How is the child getting on with their learning?"),
                    hint=N_("For example, against the targets in their PEP"),
                ),
                Question(
                    "support_in_place",
                    AnswerType.TEXT,
                    N_("What support is in place?"),
                    hint=N_(
                        "For example, tutoring, help from Pupil Premium Plus, or an "
                        "Education, Health and Care (EHC) plan"
                    ),
                ),
                Question(
                    "education_concerns",
                    AnswerType.TEXT,
                    N_("Do you have any concerns about the child's education?"),
                    hint=N_(
                        "For example, needs that are not being met, or a change of school "
                        "that may happen"
                    ),
                ),
            ),
        ),
        ADULT_VIEWS_STEP,
        PROFESSIONAL_MEETING_STEP,
    ),
)

# No question of its own about concerns: "What are you worried about?" in ADULT_VIEWS_STEP
# already asks it, and an unfocused second one would only be answered "see above".
OTHER = Questionnaire(
    key="professional_other",
    version=1,
    name=N_("Version for other professionals"),
    steps=(
        Step(
            "your_work",
            N_("Your work with the child"),
            (
                Question(
                    "involvement",
                    AnswerType.SHORT_TEXT,
                    N_("What is your role, and what do you do with the child?"),
                    hint=N_("For example, youth justice worker, meeting every week"),
                ),
            ),
        ),
        ADULT_VIEWS_STEP,
        PROFESSIONAL_MEETING_STEP,
    ),
)
