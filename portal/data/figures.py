"""The participation figures, counted by the database.

Every function here is one aggregate query (GROUP BY with COUNT or SUM over CASE), for
the chosen period and the one before it at once: a row per period and group, never a
row per review, consultation or answer. Python only adds up those few rows. The
indexes they use are in migration 0009 (review by authority, status and day), in 0011
(children's invitations by review; consultations' sending by invitation, so that
neither table's rows are read) and the foreign-key indexes already there.

Each statement is built once for its shape and kept, its values given as parameters
(portal.data.figure_statements, with the scope, filters and periods).

Every query names the authority itself: the command line runs outside a request,
where the tenancy hook (portal.web.tenancy) adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    distinct,
    exists,
    func,
    literal,
    select,
)

from portal.data import caseload
from portal.data.figure_statements import (
    AUTHORITY,
    CURRENT,
    PREVIOUS,
    Filters,
    Periods,
    Scope,
    count_true,
    held_reviews,
    kept_statement,
    parameters,
    period_bucket,
    period_of,
    shape_of,
)
from portal.domain import report
from portal.domain.participation import ParticipationCode, ParticipationMeasure
from portal.extensions import db
from portal.models import (
    Answer,
    Child,
    Consultation,
    Document,
    DocumentReading,
    DocumentVersion,
    Invitation,
    InviteeRole,
    LocalAuthority,
    Review,
    ReviewFeedback,
    ReviewStatus,
    StaffRole,
    StaffUser,
)

# The scope, filters and periods are defined with the statements and used from here.
__all__ = [
    "CURRENT",
    "PREVIOUS",
    "Filters",
    "Periods",
    "Report",
    "Scope",
    "build_report",
    "count_children_said",
    "count_consultations",
    "count_everything",
    "count_feedback",
    "count_letters_and_plans",
    "count_reviews",
    "iros",
    "languages",
    "participation_measure",
    "raw_count",
]


def iros(local_authority_id: int) -> list[tuple[int, str]]:
    """The authority's IROs (and managers, who hold caseloads too), for the filter."""
    rows = db.session.execute(
        select(StaffUser.id, StaffUser.display_name)
        .where(
            StaffUser.local_authority_id == local_authority_id,
            StaffUser.role.in_([StaffRole.IRO, StaffRole.MANAGER]),
        )
        .order_by(StaffUser.display_name)
    )
    return [(row.id, row.display_name) for row in rows]


def languages(local_authority_id: int) -> list[str]:
    """The preferred languages of the authority's children, for the filter."""
    return list(
        db.session.scalars(
            select(Child.preferred_language)
            .distinct()
            .where(Child.local_authority_id == local_authority_id)
            .order_by(Child.preferred_language)
        )
    )


def _reviews_statement(scope: Scope) -> Select[Any]:
    bucket = period_bucket()
    code_columns = [
        count_true(Review.participation_code == code.value).label(code.value)
        for code in ParticipationCode
    ]
    return held_reviews(
        scope,
        bucket,
        func.count().label("held"),
        func.count(distinct(Review.child_id)).label("children"),
        func.count(Review.participation_code).label("coded"),
        count_true(Review.held_in_timescale.is_(True)).label("in_time"),
        func.count(Review.held_in_timescale).label("time_known"),
        count_true(Review.child_chaired.in_(["all", "part"])).label("chaired"),
        func.count(Review.child_chaired).label("chair_known"),
        *code_columns,
    ).group_by(bucket)


def count_reviews(scope: Scope, periods: Periods) -> dict[str, report.Counts]:
    """Reviews held, children, in timescale, chaired and each PN code, per period: one
    query, a row a period."""
    rows = db.session.execute(
        kept_statement(("reviews", shape_of(scope)), lambda: _reviews_statement(scope)),
        parameters(scope, periods),
    )
    counts = {CURRENT: report.Counts(), PREVIOUS: report.Counts()}
    for row in rows:
        c = counts[period_of(row.in_current)]
        mapping = row._mapping
        c.reviews_held = row.held
        c.children = row.children
        c.in_timescale = row.in_time
        c.timescale_recorded = row.time_known
        c.chaired = row.chaired
        c.chairing_recorded = row.chair_known
        c.codes = {code.value: mapping[code.value] for code in ParticipationCode}
        c.codes[""] = row.held - row.coded
    return counts


def _consultations_statement(scope: Scope) -> Select[Any]:
    bucket = period_bucket()
    return (
        held_reviews(
            scope,
            bucket,
            Invitation.role,
            Invitation.professional_kind,
            func.count(Invitation.id).label("invited"),
            func.count(Invitation.first_opened_at).label("opened"),
            func.count(Consultation.submitted_at).label("submitted"),
            count_true(Consultation.submitted_on_time.is_(True)).label("on_time"),
        )
        .join(Invitation, Invitation.review_id == Review.id)
        .outerjoin(Consultation, Consultation.invitation_id == Invitation.id)
        .where(Invitation.local_authority_id == AUTHORITY, Invitation.revoked_at.is_(None))
        .group_by(bucket, Invitation.role, Invitation.professional_kind)
    )


def count_consultations(scope: Scope, periods: Periods, counts: dict[str, report.Counts]) -> None:
    """Invited, opened, sent back and on time per role group, for reviews held."""
    rows = db.session.execute(
        kept_statement(("consultations", shape_of(scope)), lambda: _consultations_statement(scope)),
        parameters(scope, periods),
    )
    for row in rows:
        # A professional of no recorded kind (NULL or empty) is "other".
        group = report.role_group_key(row.role, row.professional_kind or "other")
        consultations = counts[period_of(row.in_current)].consultations
        before = consultations.get(group, (0, 0, 0, 0))
        consultations[group] = (
            before[0] + row.invited,
            before[1] + row.opened,
            before[2] + row.submitted,
            before[3] + row.on_time,
        )


def _children_said_statement(scope: Scope) -> Select[Any]:
    bucket = period_bucket()
    keys = [key for key, _counted in report.CHILDREN_SAID]
    return (
        held_reviews(scope, bucket, Answer.question_key, Answer.value, func.count().label("n"))
        # The children's invitations come from their own index (ix_invitation_children).
        .join(Invitation, Invitation.review_id == Review.id)
        .join(Consultation, Consultation.invitation_id == Invitation.id)
        .join(Answer, Answer.consultation_id == Consultation.id)
        .where(
            Invitation.local_authority_id == AUTHORITY,
            Invitation.role == InviteeRole.CHILD,
            Consultation.submitted_at.is_not(None),
            Answer.question_key.in_(keys),
        )
        .group_by(bucket, Answer.question_key, Answer.value)
    )


def count_children_said(scope: Scope, periods: Periods, counts: dict[str, report.Counts]) -> None:
    """Children's answers to four questions in consultations sent for reviews held."""
    rows = db.session.execute(
        kept_statement(("children_said", shape_of(scope)), lambda: _children_said_statement(scope)),
        parameters(scope, periods),
    )
    counted = dict(report.CHILDREN_SAID)
    for row in rows:
        said = counts[period_of(row.in_current)].children_said
        yes, answered = said.get(row.question_key, (0, 0))
        yes += row.n if row.value in counted[row.question_key] else 0
        said[row.question_key] = (yes, answered + row.n)


def _feedback_statement(scope: Scope) -> Select[Any]:
    bucket = period_bucket()
    columns: list[ColumnElement[Any]] = [bucket, func.count(ReviewFeedback.id).label("responses")]
    columns += [
        count_true(ReviewFeedback.how_was_it == face).label(f"face_{face}") for face in report.FACES
    ]
    for question in report.FEEDBACK_QUESTIONS:
        answer = getattr(ReviewFeedback, question)
        columns.append(count_true(answer == "yes").label(f"yes_{question}"))
        columns.append(func.count(answer).label(f"answered_{question}"))
    return (
        held_reviews(scope, *columns)
        .join(ReviewFeedback, ReviewFeedback.review_id == Review.id)
        .where(ReviewFeedback.local_authority_id == AUTHORITY)
        .group_by(bucket)
    )


def count_feedback(scope: Scope, periods: Periods, counts: dict[str, report.Counts]) -> None:
    """Feedback after reviews held: the faces, and yes out of answered per question."""
    rows = db.session.execute(
        kept_statement(("feedback", shape_of(scope)), lambda: _feedback_statement(scope)),
        parameters(scope, periods),
    )
    for row in rows:
        c = counts[period_of(row.in_current)]
        mapping = row._mapping
        c.feedback_responses = row.responses
        c.feedback_faces = {face: mapping[f"face_{face}"] for face in report.FACES}
        c.feedback_yes = {
            q: (mapping[f"yes_{q}"], mapping[f"answered_{q}"]) for q in report.FEEDBACK_QUESTIONS
        }


def _holds_documents(local_authority_id: int) -> bool:
    return bool(
        db.session.scalar(select(exists().where(Document.local_authority_id == local_authority_id)))
    )


def _start_of_day_after(day: date) -> datetime:
    # Published "by the day" means before the next day begins; UTC is close enough to
    # England's day for a count of days (the difference is an hour at most).
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def count_letters_and_plans(
    scope: Scope, periods: Periods, counts: dict[str, report.Counts]
) -> None:
    """Letters published (in timescale, opened by the child) and plans shared in time.

    Only when the authority has any plan or letter: otherwise they stay "not recorded".
    Working days are worked out once a distinct day held (at most one a day of the
    period), and joined to the reviews as a small table of deadlines.
    """
    la = scope.local_authority_id
    if not _holds_documents(la):
        return
    authority = db.session.get_one(LocalAuthority, la)
    values = parameters(scope, periods)
    days = list(
        db.session.scalars(
            kept_statement(
                ("days_held", shape_of(scope)),
                lambda: held_reviews(scope, Review.planned_on).distinct(),
            ),
            values,
        )
    )
    for c in counts.values():
        c.letters, c.plans_shared = (0, 0, 0), 0
    if not days:
        return
    deadlines = report.deadlines_for(
        days,
        caseload.working_calendar(),
        after=authority.letter_due_working_days,
        before=authority.plan_shared_working_days,
    )
    moment = DocumentVersion.published_at.type

    def by_day(index: int) -> ColumnElement[datetime]:
        # One WHEN a distinct day held (at most one a day of the two periods).
        return case(
            {
                day: literal(_start_of_day_after(both[index]), moment)
                for day, both in deadlines.items()
            },
            value=Review.planned_on,
        )

    letter_by, plan_by = by_day(0), by_day(1)
    first_published = (
        select(func.min(DocumentVersion.published_at))
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(
            Document.review_id == Review.id,
            Document.kind == "letter",
            Document.local_authority_id == la,
            # The full letter: a first version giving only the outcomes does not count.
            DocumentVersion.full_record.is_(True),
        )
        .correlate(Review)
        .scalar_subquery()
    )
    opened_by_child = exists().where(
        DocumentReading.document_id == Document.id,
        Document.review_id == Review.id,
        Document.kind == "letter",
        DocumentReading.invitation_id == Invitation.id,
        Invitation.role == InviteeRole.CHILD,
        DocumentReading.local_authority_id == la,
    )
    plan_shared = exists().where(
        DocumentVersion.document_id == Document.id,
        Document.child_id == Review.child_id,
        Document.kind == "plan",
        Document.local_authority_id == la,
        DocumentVersion.published_at < plan_by,
    )
    bucket = period_bucket()
    # Not kept: its deadlines are a WHEN for each day held.
    rows = db.session.execute(
        held_reviews(
            scope,
            bucket,
            func.count(first_published).label("published"),
            count_true(first_published < letter_by).label("in_time"),
            count_true(opened_by_child).label("opened"),
            count_true(plan_shared).label("plans"),
        ).group_by(bucket),
        values,
    )
    for row in rows:
        c = counts[period_of(row.in_current)]
        c.letters, c.plans_shared = (row.published, row.in_time, row.opened), row.plans


def count_everything(scope: Scope, periods: Periods) -> dict[str, report.Counts]:
    """All the report's counts for the period and the one before."""
    counts = count_reviews(scope, periods)
    count_consultations(scope, periods, counts)
    count_children_said(scope, periods, counts)
    count_feedback(scope, periods, counts)
    count_letters_and_plans(scope, periods, counts)
    return counts


def participation_measure(local_authority_id: int) -> ParticipationMeasure:
    chosen = db.session.scalar(
        select(LocalAuthority.participation_measure).where(LocalAuthority.id == local_authority_id)
    )
    try:
        return ParticipationMeasure(chosen or "")
    except ValueError:
        return ParticipationMeasure.PARTICIPATED


def raw_count(local_authority_id: int, periods: Periods) -> int:
    """One plain GROUP BY count over the same tables, for the benchmark to compare with."""
    rows = db.session.execute(
        select(Invitation.role, func.count(Consultation.id))
        .select_from(Review)
        .join(Invitation, Invitation.review_id == Review.id)
        .outerjoin(Consultation, Consultation.invitation_id == Invitation.id)
        .where(
            Review.local_authority_id == local_authority_id,
            Review.status == ReviewStatus.HELD,
            Review.planned_on.between(periods.previous.start, periods.current.end),
        )
        .group_by(Invitation.role)
    )
    return sum(n for _role, n in rows)


@dataclass(frozen=True)
class Report:
    """The participation section for a period beside the one before, ready to show."""

    periods: Periods
    measure: ParticipationMeasure
    current: report.Counts
    previous: report.Counts
    sections: list[tuple[str, list[report.Line]]]


def build_report(
    scope: Scope, periods: Periods, measure: ParticipationMeasure | None = None
) -> Report:
    """Count everything for ``scope`` and turn the counts into the report's figures."""
    chosen = measure or participation_measure(scope.local_authority_id)
    counts = count_everything(scope, periods)
    return Report(
        periods=periods,
        measure=chosen,
        current=counts[CURRENT],
        previous=counts[PREVIOUS],
        sections=report.sections(counts[CURRENT], counts[PREVIOUS], chosen),
    )
