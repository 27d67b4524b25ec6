"""The child's plan and letters, on their phone, from the same sign-in as their
consultation; parents and carers read those the IRO chose to share with them."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

from portal.data import documents as document_data
from portal.domain import documents as rules
from portal.extensions import db
from portal.families.reading.forms import QuestionForm, ReadForm
from portal.families.refusing import refuse
from portal.models import Document, ResponseKind
from portal.web import reading
from portal.web.people import current_invitation

bp = Blueprint("reading", __name__)
bp.record_once(lambda state: state.app.jinja_env.filters.update(shown_document=reading.shown))


@bp.get("/your-plan-and-letters")
def documents() -> str:
    invitation = current_invitation()
    return render_template(
        "families/reading/list.html",
        documents=document_data.documents_for(invitation),
        is_child=invitation.role == "child",
    )


def _theirs(document_id: int) -> Document:
    found = document_data.document_for(current_invitation(), document_id)
    if found is None:
        refuse("document", document_id)
    return found


def _page(document: Document, question_form: QuestionForm, *, thanked: bool = False) -> str:
    invitation = current_invitation()
    locale = str(get_locale())
    translation = document_data.current_translation(document, locale)
    published = document.published
    assert published is not None  # documents_for lists only published ones
    ties = [
        t for t in document.ties if rules.may_see_tied_answer(invitation.role, t.answer.audience)
    ]
    return render_template(
        "families/reading/document.html",
        document=document,
        body=translation.body_html if translation else published.body_html,
        body_lang=locale if translation else "en_GB",
        in_english_only=translation is None and not locale.startswith("en"),
        ties=ties,
        is_child=invitation.role == "child",
        read_form=ReadForm(),
        question_form=question_form,
        thanked=thanked,
    )


@bp.get("/read/<id:document_id>")
def document(document_id: int) -> str:
    found = _theirs(document_id)
    document_data.record_reading(found, current_invitation())
    db.session.commit()
    return _page(found, QuestionForm())


@bp.post("/read/<id:document_id>/read")
def have_read(document_id: int) -> Response:
    found = _theirs(document_id)
    if ReadForm().validate_on_submit():
        document_data.respond(
            found,
            current_invitation(),
            kind=ResponseKind.READ,
            message="",
            language=str(get_locale()),
        )
        db.session.commit()
        return redirect(url_for(".thanks", document_id=found.id))
    return redirect(url_for(".document", document_id=found.id))


@bp.post("/read/<id:document_id>/question")
def question(document_id: int) -> Response | str:
    found = _theirs(document_id)
    form = QuestionForm()
    if form.validate_on_submit():
        document_data.respond(
            found,
            current_invitation(),
            kind=ResponseKind.QUESTION,
            message=form.message.data or "",
            language=str(get_locale()),
        )
        db.session.commit()
        return redirect(url_for(".thanks", document_id=found.id))
    return _page(found, form)


@bp.get("/read/<id:document_id>/thanks")
def thanks(document_id: int) -> str:
    found = _theirs(document_id)
    return render_template("families/reading/thanks.html", document=found)
