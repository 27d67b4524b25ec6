"""The parent's consultation form."""

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

PARENT = Questionnaire(
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
                comments_question("plan_comments", N_("What do you think of the plan?")),
            ),
        ),
        Step(
            "family_time",
            N_("Family time"),
            (
                comments_question(
                    "family_time_comments",
                    N_("How is family time going? Would you change anything?"),
                ),
            ),
        ),
        ADULT_VIEWS_STEP,
        ADULT_MEETING_STEP,
    ),
)
