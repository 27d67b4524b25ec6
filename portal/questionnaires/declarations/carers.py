"""The carer's consultation form."""

from __future__ import annotations

from portal.questionnaires.declarations.model import (
    N_,
    AnswerType,
    Question,
    Questionnaire,
    Step,
)
from portal.questionnaires.declarations.shared import (
    ADULT_MEETING_STEP,
    ADULT_VIEWS_STEP,
    YES_NO_NOT_SURE,
    comments_question,
)

CARER = Questionnaire(
    key="carer",
    version=1,
    name=N_("Version for carers"),
    steps=(
        Step(
            "progress",
            N_("How the child is doing"),
            (
                comments_question("health_progress", N_("Health")),
                comments_question("education_progress", N_("Education")),
                comments_question("family_time_progress", N_("Family time")),
                comments_question("wellbeing", N_("Feelings, behaviour and friendships")),
            ),
        ),
        Step(
            "support",
            N_("Support"),
            (
                comments_question("support_needed", N_("What support do you or the child need?")),
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
