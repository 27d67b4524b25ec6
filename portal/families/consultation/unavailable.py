"""When the database cannot be reached, a child's page of answers is shown back to them.

Nothing here touches the database: the questionnaire and step come from the posted
form and the URL, the labels from the declarations in memory.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from portal.questionnaires import builder
from portal.questionnaires.declarations import form_version


def show_posted_answers_back(view_args: dict[str, Any]) -> str | None:
    key, _sep, version = request.form.get("questionnaire", "").partition(":")
    try:
        questionnaire = form_version(key, int(version))
    except (KeyError, ValueError):
        return None
    step = questionnaire.step(str(view_args.get("step_key", "")))
    if step is None:
        return None
    form = builder.step_form(questionnaire, step, formdata=request.form)
    return render_template(
        "families/consultation/try_again.html",
        questionnaire=questionnaire,
        step=step,
        form=form,
    )
