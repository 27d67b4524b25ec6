"""Writing to a child: the plan in words they understand and the IRO's letter after a
review, with a plain-language assistant, a phone-sized preview, translations and
"you said, we did". Views are thin: rules in portal.domain.documents, storage in
portal.data.documents."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.data import caseload
from portal.data import documents as document_data
from portal.domain import documents as rules
from portal.domain.access import Capability
from portal.domain.languages import DEFAULT_LOCALE, Language
from portal.domain.plain_language import PlainLanguageReport, check
from portal.domain.plain_markup import to_html
from portal.domain.timescales import today_in_england
from portal.extensions import db
from portal.models import AuditAction, Document, DocumentKind, LocalAuthority
from portal.notifications.documents import tell_readers
from portal.questionnaires.presenting import AnsweredQuestion, answered_questions
from portal.staff import auditing, reachable
from portal.staff.writing.forms import DraftForm, PublishForm, TranslationForm, decisions_from
from portal.web import reading
from portal.web.people import capability_required, current_staff

bp = Blueprint("writing", __name__)
# A long paste (from Word, say) can be several times the portal's usual 1 MB limit on a
# request: it is mostly formatting that cleaning removes, and refusing it with the
# generic "too large" page would lose what was written. Raised here, for this area
# only, before the form is read (CSRF checking reads it in the app's first hook).
WRITING_REQUEST_BYTES = 4 * 1024 * 1024


@bp.url_value_preprocessor
def _room_for_a_long_paste(endpoint: str | None, values: dict[str, object] | None) -> None:
    request.max_content_length = WRITING_REQUEST_BYTES
    request.max_form_memory_size = WRITING_REQUEST_BYTES


bp.record_once(lambda state: state.app.jinja_env.filters.update(shown_document=reading.shown))


def _assistant(text: str, authority: LocalAuthority) -> PlainLanguageReport:
    return check(
        text,
        goal_reading_age=authority.reading_age_goal,
        glossary=rules.parse_glossary(authority.glossary),
    )


def _words_to_tie(review_id: int | None) -> list[AnsweredQuestion]:
    """The child's answers in their own words, in form order, to tie decisions to."""
    consultation = document_data.child_consultation(review_id)
    if consultation is None:
        return []
    return [answered for answered in answered_questions(consultation) if answered.is_text]


def _editor_page(
    document: Document | None, form: DraftForm, *, child_id: int, review_id: int | None
) -> str:
    authority = current_staff().local_authority
    answers = _words_to_tie(review_id)
    ties = {t.answer_id: t.decision for t in document.ties} if document is not None else {}
    return render_template(
        "staff/writing/editor.html",
        document=document,
        form=form,
        report=_assistant(form.body.data or "", authority),
        answers=answers,
        decisions={**ties, **decisions_from(request.form, [a.answer for a in answers])}
        if request.method == "POST"
        else ties,
        child_id=child_id,
        review_id=review_id,
    )


def _edit(
    document: Document | None, start: str, *, child_id: int, review_id: int | None
) -> Response | str | tuple[str, int]:
    """The editor for a new or existing document; saving creates it the first time."""
    staff = current_staff()
    if request.method == "GET":
        form = DraftForm(
            data={
                "body": document.draft_text if document else start,
                "revision": str(document.revision) if document else "0",
                "for_parents": document.for_parents if document else False,
                "for_carers": document.for_carers if document else False,
            }
        )
        if document is not None:
            auditing.record(AuditAction.VIEWED_DOCUMENT, "document", document.id)
            db.session.commit()
        return _editor_page(document, form, child_id=child_id, review_id=review_id)
    form = DraftForm()
    if not form.validate_on_submit():
        return _editor_page(document, form, child_id=child_id, review_id=review_id)
    if document is None:
        child = reachable.child(child_id)
        document = (
            document_data.start_letter(reachable.review(review_id))
            if review_id is not None
            else document_data.start_plan(child, today_in_england())
        )
    saved = document_data.save_draft(
        document,
        form.body.data or "",
        seen_revision=form.seen_revision,
        staff=staff,
        for_parents=bool(form.for_parents.data),
        for_carers=bool(form.for_carers.data),
    )
    if not saved.ok:
        db.session.rollback()
        return render_template(
            "staff/writing/clash.html",
            document=document,
            form=form,
            their_text=saved.their_text,
            their_name=saved.their_name,
            their_revision=document.revision,
        ), 409
    document_data.set_ties(
        document, decisions_from(request.form, document_data.child_answers(document))
    )
    auditing.record(AuditAction.SAVED_DOCUMENT, "document", document.id)
    db.session.commit()
    if request.form.get("then") == "preview":
        return redirect(url_for(".preview", document_id=document.id))
    flash(_("Saved. Nobody else can read it until you publish it."))
    return redirect(_editor_url(document))


def _editor_url(document: Document) -> str:
    if document.kind == DocumentKind.LETTER and document.review_id is not None:
        return url_for(".letter", review_id=document.review_id)
    return url_for(".plan", child_id=document.child_id)


@bp.route("/children/<id:child_id>/plan", methods=["GET", "POST"])
@capability_required(Capability.WRITE_TO_CHILDREN)
def plan(child_id: int) -> Response | str | tuple[str, int]:
    child = reachable.child(child_id)
    start = rules.starting_text(
        rules.plan_headings(document_data.is_care_leaver(child, today_in_england()))
    )
    return _edit(document_data.plan_of(child), start, child_id=child.id, review_id=None)


@bp.route("/reviews/<id:review_id>/letter", methods=["GET", "POST"])
@capability_required(Capability.WRITE_TO_CHILDREN)
def letter(review_id: int) -> Response | str | tuple[str, int]:
    review = reachable.review(review_id)
    start = rules.starting_text(rules.LETTER_HEADINGS)
    return _edit(
        document_data.letter_of(review), start, child_id=review.child_id, review_id=review.id
    )


def _reachable_document(document_id: int) -> Document:
    document = document_data.document_by_id(document_id)
    if document is None:
        auditing.refuse("document", document_id)
    reachable.child(document.child_id)  # refuses, and records, a child out of reach
    return document


@bp.get("/documents/<id:document_id>/preview")
@capability_required(Capability.WRITE_TO_CHILDREN)
def preview(document_id: int) -> str:
    document = _reachable_document(document_id)
    auditing.record(AuditAction.VIEWED_DOCUMENT, "document", document.id)
    db.session.commit()
    return _preview_page(document, PublishForm())


def _preview_page(document: Document, form: PublishForm) -> str:
    authority = current_staff().local_authority
    report = _assistant(document.draft_text, authority)
    return render_template(
        "staff/writing/preview.html",
        document=document,
        body=document.draft_html,
        ties=document.ties,
        report=report,
        form=form,
        edit_url=_editor_url(document),
    )


@bp.post("/documents/<id:document_id>/publish")
@capability_required(Capability.WRITE_TO_CHILDREN)
def publish(document_id: int) -> Response | str:
    document = _reachable_document(document_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return redirect(url_for(".preview", document_id=document.id))
    report = _assistant(document.draft_text, current_staff().local_authority)
    if report.above_goal and not form.above_goal_confirmed.data:
        # Never a block: a second, deliberate confirmation.
        form.above_goal_confirmed.errors.append(
            _("Tick the box to publish it as it is, or make it easier to read first.")
        )
        return _preview_page(document, form)
    version = document_data.publish(
        document,
        current_staff(),
        reading_age=report.reading_age,
        above_goal_confirmed=bool(report.above_goal and form.above_goal_confirmed.data),
        full_record=not (document.kind == DocumentKind.LETTER and form.outcomes_only.data),
    )
    auditing.record(
        AuditAction.PUBLISHED_DOCUMENT, "document", document.id, detail=f"version {version.number}"
    )
    db.session.commit()
    tell_readers(document, version)  # never raises: the page goes on
    flash(_("Published. The child can read it now."))
    return redirect(url_for(".published", document_id=document.id))


@bp.get("/documents/<id:document_id>")
@capability_required(Capability.WRITE_TO_CHILDREN)
def published(document_id: int) -> str:
    """Where a document has got to: versions, translations, who opened it, replies."""
    document = _reachable_document(document_id)
    auditing.record(AuditAction.VIEWED_DOCUMENT, "document", document.id)
    responses = document_data.responses_to(document)
    document_data.mark_seen(responses)
    db.session.commit()
    calendar = caseload.working_calendar()
    review = document.review
    return render_template(
        "staff/writing/document.html",
        document=document,
        readings=document_data.readings(document),
        responses=responses,
        translatable=_translatable_languages(),
        letter_due_on=document_data.letter_due_on(review, calendar) if review else None,
        outcomes_timeliness=document_data.outcomes_timeliness(review, calendar, today_in_england())
        if review
        else None,
        timeliness=document_data.letter_timeliness(review, calendar, today_in_england())
        if review
        else None,
        edit_url=_editor_url(document),
    )


def _translatable_languages() -> list[Language]:
    authority = current_staff().local_authority
    offered: dict[str, Language] = current_app.extensions["portal_languages"]
    enabled = set(authority.enabled_languages.split())
    return [item for code, item in offered.items() if code != DEFAULT_LOCALE and code in enabled]


@bp.route("/documents/<id:document_id>/translation", methods=["GET", "POST"])
@capability_required(Capability.WRITE_TO_CHILDREN)
def translation(document_id: int) -> Response | str:
    document = _reachable_document(document_id)
    language = request.args.get("language", "")
    chosen = next((item for item in _translatable_languages() if item.code == language), None)
    if chosen is None or document.published is None:
        auditing.refuse("document", document.id)
    found = next((t for t in document.translations if t.language == chosen.code), None)
    form = (
        TranslationForm()
        if request.method == "POST"
        else TranslationForm(data={"body": found.body_text if found else ""})
    )
    if form.validate_on_submit():
        document_data.save_translation(document, chosen.code, form.body.data or "", current_staff())
        auditing.record(AuditAction.SAVED_TRANSLATION, "document", document.id, detail=chosen.code)
        db.session.commit()
        flash(_("The translation is saved. The child now reads it in their language."))
        return redirect(url_for(".published", document_id=document.id))
    return render_template(
        "staff/writing/translation.html",
        document=document,
        # Not "language": the page frame's own name for the page's language.
        into=chosen,
        form=form,
        outdated=found is not None
        and document.published is not None
        and found.of_version != document.published.number,
        preview=to_html(form.body.data or "") if form.body.data else "",
    )


@bp.post("/writing/assistant")
@capability_required(Capability.WRITE_TO_CHILDREN)
def assistant() -> dict[str, object]:
    """The same checks as the preview, as staff type (the page works without this)."""
    text = (request.form.get("text") or "")[:200_000]
    report = _assistant(text, current_staff().local_authority)
    return {
        "html": render_template("staff/writing/_assistant.html", report=report),
    }
