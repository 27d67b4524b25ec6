"""The participation figures, counted by the database.

Every function here is one aggregate query (GROUP BY with COUNT or SUM over CASE), for
the chosen period and the one before it at once: a row per period and group, never a
row per review, consultation or answer. Python only adds up those few rows. The
indexes they use are in migration 0009 (review by authority, status and day), in 0011
(children's invitations by review; consultations' sending by invitation, so that
neither table's rows are read) and the foreign-key indexes already there.

Each statement is built once for its shape (which filters are set) with the authority,
the days and the filters' values as named parameters, and kept: building one (and
SQLAlchemy's key for its compiled form) cost about as much as the database's work at
10,000 consultations.

Every query names the authority itself: the command line runs outside a request,
where the tenancy hook (portal.web.tenancy) adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    bindparam,
    case,
    distinct,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.sql._typing import _ColumnsClauseArgument

from portal.data import caseload
from portal.domain import report
from portal.domain.figures import ReportingPeriod
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

CURRENT, PREVIOUS = "current", "previous"


@dataclass(frozen=True)
class Filters:
    """Narrowing the figures; None is "everyone". Gender and disability are not stored,
    so they cannot be filtered by."""

    iro_id: int | None = None
    age_band: report.ReportAgeBand | None = None
    uasc: bool | None = None
    language: str | None = None


@dataclass(frozen=True)
class Scope:
    """Whose figures: one authority, and within it one IRO's caseload or everyone."""

    local_authority_id: int
    caseload_of: int | None = None
    filters: Filters = Filters()


@dataclass(frozen=True)
class Periods:
    current: ReportingPeriod
    previous: ReportingPeriod


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


# The statements built so far, by function and shape (see _statement).
_built: dict[Hashable, Select[Any]] = {}


def _statement(key: Hashable, build: Callable[[], Select[Any]]) -> Select[Any]:
    """The statement for ``key``, built the first time. Its values are named parameters
    (see _parameters), so one statement serves every authority, period and filter value
    of its shape; statements are not changed once built, so threads may share them."""
    statement = _built.get(key)
    if statement is None:
        statement = _built[key] = build()
    return statement


def _shape(scope: Scope) -> Hashable:
    """What decides a statement's text: which filters are set (their values are
    parameters)."""
    f = scope.filters
    return (
        scope.caseload_of is not None,
        f.iro_id is not None,
        f.uasc,  # true, false or None: named in the text (``IS true`` takes no parameter)
        f.language is not None,
        f.age_band,  # a band has a lower bound of birth dates or none
    )


def _parameters(scope: Scope, periods: Periods) -> dict[str, Any]:
    """The values of the named parameters of _held_reviews and _bucket."""
    f = scope.filters
    values: dict[str, Any] = {
        "la": scope.local_authority_id,
        "previous_start": periods.previous.start,
        "current_start": periods.current.start,
        "current_end": periods.current.end,
        "caseload_of": scope.caseload_of,
        "iro_id": f.iro_id,
        "language": f.language,
    }
    if f.age_band is not None:
        # Age on the last day of the chosen period (as SSDA903 counts at 31 March).
        earliest, latest = report.born_between(f.age_band, periods.current.end)
        values |= {"born_after": earliest, "born_by": latest}
    return values


_LA = bindparam("la", type_=Integer)


def _bucket() -> ColumnElement[bool]:
    """True for a review held in the chosen period, false for one in the period before
    (the reviews counted are only those of the two). A plain comparison rather than a
    CASE naming the period: the database knows a true-or-false has two values, so it
    groups in memory; a CASE's values it guesses at hundreds, and PostgreSQL sorted
    every joined row on disk to group them."""
    return (Review.planned_on >= bindparam("current_start", type_=Date)).label("in_current")


def _period(in_current: bool) -> str:
    return CURRENT if in_current else PREVIOUS


def _held_reviews(scope: Scope, *columns: _ColumnsClauseArgument[Any]) -> Select[Any]:
    """Reviews held in either period, in scope, joined to their child for the filters;
    the values are named parameters (_parameters)."""
    query = (
        select(*columns)
        .select_from(Review)
        .where(
            Review.local_authority_id == _LA,
            Review.status == ReviewStatus.HELD,
            Review.planned_on >= bindparam("previous_start", type_=Date),
            Review.planned_on <= bindparam("current_end", type_=Date),
        )
    )
    f = scope.filters
    if scope.caseload_of is None and f == Filters():
        return query  # the whole service: no need to read each review's child
    query = query.join(Child, Child.id == Review.child_id).where(Child.local_authority_id == _LA)
    if scope.caseload_of is not None:
        query = query.where(Child.iro_id == bindparam("caseload_of", type_=Integer))
    if f.iro_id is not None:
        query = query.where(Child.iro_id == bindparam("iro_id", type_=Integer))
    if f.uasc is not None:
        query = query.where(Child.uasc.is_(f.uasc))
    if f.language is not None:
        query = query.where(Child.preferred_language == bindparam("language", type_=String))
    if f.age_band is not None:
        query = query.where(Child.date_of_birth <= bindparam("born_by", type_=Date))
        if report.BAND_AGES[f.age_band][1] is not None:
            query = query.where(Child.date_of_birth > bindparam("born_after", type_=Date))
    return query


def _count_true(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _reviews_statement(scope: Scope) -> Select[Any]:
    bucket = _bucket()
    code_columns = [
        _count_true(Review.participation_code == code.value).label(code.value)
        for code in ParticipationCode
    ]
    return _held_reviews(
        scope,
        bucket,
        func.count().label("held"),
        func.count(distinct(Review.child_id)).label("children"),
        func.count(Review.participation_code).label("coded"),
        _count_true(Review.held_in_timescale.is_(True)).label("in_time"),
        func.count(Review.held_in_timescale).label("time_known"),
        _count_true(Review.child_chaired.in_(["all", "part"])).label("chaired"),
        func.count(Review.child_chaired).label("chair_known"),
        *code_columns,
    ).group_by(bucket)


def count_reviews(scope: Scope, periods: Periods) -> dict[str, report.Counts]:
    """Reviews held, children, in timescale, chaired and each PN code, per period: one
    query, a row a period."""
    rows = db.session.execute(
        _statement(("reviews", _shape(scope)), lambda: _reviews_statement(scope)),
        _parameters(scope, periods),
    )
    counts = {CURRENT: report.Counts(), PREVIOUS: report.Counts()}
    for row in rows:
        c = counts[_period(row.in_current)]
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
    bucket = _bucket()
    return (
        _held_reviews(
            scope,
            bucket,
            Invitation.role,
            Invitation.professional_kind,
            func.count(Invitation.id).label("invited"),
            func.count(Invitation.first_opened_at).label("opened"),
            func.count(Consultation.submitted_at).label("submitted"),
            _count_true(Consultation.submitted_on_time.is_(True)).label("on_time"),
        )
        .join(Invitation, Invitation.review_id == Review.id)
        .outerjoin(Consultation, Consultation.invitation_id == Invitation.id)
        .where(Invitation.local_authority_id == _LA, Invitation.revoked_at.is_(None))
        .group_by(bucket, Invitation.role, Invitation.professional_kind)
    )


def count_consultations(scope: Scope, periods: Periods, counts: dict[str, report.Counts]) -> None:
    """Invited, opened, sent back and on time per role group, for reviews held."""
    rows = db.session.execute(
        _statement(("consultations", _shape(scope)), lambda: _consultations_statement(scope)),
        _parameters(scope, periods),
    )
    for row in rows:
        # A professional of no recorded kind (NULL or empty) is "other".
        group = report.role_group_key(row.role, row.professional_kind or "other")
        consultations = counts[_period(row.in_current)].consultations
        before = consultations.get(group, (0, 0, 0, 0))
        consultations[group] = (
            before[0] + row.invited,
            before[1] + row.opened,
            before[2] + row.submitted,
            before[3] + row.on_time,
        )


def _children_said_statement(scope: Scope) -> Select[Any]:
    bucket = _bucket()
    keys = [key for key, _counted in report.CHILDREN_SAID]
    return (
        _held_reviews(scope, bucket, Answer.question_key, Answer.value, func.count().label("n"))
        # The children's invitations come from their own index (ix_invitation_children).
        .join(Invitation, Invitation.review_id == Review.id)
        .join(Consultation, Consultation.invitation_id == Invitation.id)
        .join(Answer, Answer.consultation_id == Consultation.id)
        .where(
            Invitation.local_authority_id == _LA,
            Invitation.role == InviteeRole.CHILD,
            Consultation.submitted_at.is_not(None),
            Answer.question_key.in_(keys),
        )
        .group_by(bucket, Answer.question_key, Answer.value)
    )


def count_children_said(scope: Scope, periods: Periods, counts: dict[str, report.Counts]) -> None:
    """Children's answers to four questions in consultations sent for reviews held."""
    rows = db.session.execute(
        _statement(("children_said", _shape(scope)), lambda: _children_said_statement(scope)),
        _parameters(scope, periods),
    )
    counted = dict(report.CHILDREN_SAID)
    for row in rows:
        said = counts[_period(row.in_current)].children_said
        yes, answered = said.get(row.question_key, (0, 0))
        yes += row.n if row.value in counted[row.question_key] else 0
        said[row.question_key] = (yes, answered + row.n)


def _feedback_statement(scope: Scope) -> Select[Any]:
    bucket = _bucket()
    columns: list[ColumnElement[Any]] = [bucket, func.count(ReviewFeedback.id).label("responses")]
    columns += [
        _count_true(ReviewFeedback.how_was_it == face).label(f"face_{face}")
        for face in report.FACES
    ]
    for question in report.FEEDBACK_QUESTIONS:
        answer = getattr(ReviewFeedback, question)
        columns.append(_count_true(answer == "yes").label(f"yes_{question}"))
        columns.append(func.count(answer).label(f"answered_{question}"))
    return (
        _held_reviews(scope, *columns)
        .join(ReviewFeedback, ReviewFeedback.review_id == Review.id)
        .where(ReviewFeedback.local_authority_id == _LA)
        .group_by(bucket)
    )


def count_feedback(scope: Scope, periods: Periods, counts: dict[str, report.Counts]) -> None:
    """Feedback after reviews held: the faces, and yes out of answered per question."""
    rows = db.session.execute(
        _statement(("feedback", _shape(scope)), lambda: _feedback_statement(scope)),
        _parameters(scope, periods),
    )
    for row in rows:
        c = counts[_period(row.in_current)]
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
    parameters = _parameters(scope, periods)
    days = list(
        db.session.scalars(
            _statement(
                ("days_held", _shape(scope)),
                lambda: _held_reviews(scope, Review.planned_on).distinct(),
            ),
            parameters,
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
    bucket = _bucket()
    # Not kept: its deadlines are a WHEN for each day held.
    rows = db.session.execute(
        _held_reviews(
            scope,
            bucket,
            func.count(first_published).label("published"),
            _count_true(first_published < letter_by).label("in_time"),
            _count_true(opened_by_child).label("opened"),
            _count_true(plan_shared).label("plans"),
        ).group_by(bucket),
        parameters,
    )
    for row in rows:
        c = counts[_period(row.in_current)]
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
