"""Consultation forms declared as data.

Each form is a list of steps (one topic a page), each step a list of questions.
Text is English, marked with ``N_`` so that ``pybabel extract`` finds it; it is
translated when a page is drawn. A form's ``version`` is stored with every
answer: when a form changes, give it a new version and keep the old one in
``ALL_FORMS`` (through ``registry.RETIRED_FORMS``) so that old answers keep the
questions they answered.
"""

from portal.questionnaires.declarations.children import HOME_STEP
from portal.questionnaires.declarations.model import (
    N_,
    AnswerType,
    Option,
    Question,
    Questionnaire,
    Step,
)
from portal.questionnaires.declarations.registry import (
    ALL_FORMS,
    CURRENT_FORMS,
    ROLES_WITHOUT_A_FORM,
    form_for,
    form_for_role,
    form_version,
)
from portal.questionnaires.declarations.shared import FEEL_SAFE_HOME, WORKING_WELL

__all__ = [
    "ALL_FORMS",
    "CURRENT_FORMS",
    "FEEL_SAFE_HOME",
    "HOME_STEP",
    "N_",
    "ROLES_WITHOUT_A_FORM",
    "WORKING_WELL",
    "AnswerType",
    "Option",
    "Question",
    "Questionnaire",
    "Step",
    "form_for",
    "form_for_role",
    "form_version",
]
