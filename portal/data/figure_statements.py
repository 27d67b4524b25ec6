"""What every participation figure's statement shares: whose figures (the scope and its
filters), for which two periods, the reviews held in them, and the statements kept.

Each statement is built once for its shape (which filters are set) with the authority,
the days and the filters' values as named parameters, and kept: building one (and
SQLAlchemy's key for its compiled form) cost about as much as the database's work at
10,000 consultations. The figures themselves are in portal.data.figures.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, Select, String, bindparam, case, func, select
from sqlalchemy.sql._typing import _ColumnsClauseArgument

from portal.domain import report
from portal.domain.figures import ReportingPeriod
from portal.models import Child, Review, ReviewStatus

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


# The statements built so far, by function and shape (see kept_statement).
_built: dict[Hashable, Select[Any]] = {}


def kept_statement(key: Hashable, build: Callable[[], Select[Any]]) -> Select[Any]:
    """The statement for ``key``, built the first time. Its values are named parameters
    (see parameters), so one statement serves every authority, period and filter value
    of its shape; statements are not changed once built, so threads may share them."""
    statement = _built.get(key)
    if statement is None:
        statement = _built[key] = build()
    return statement


def shape_of(scope: Scope) -> Hashable:
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


def parameters(scope: Scope, periods: Periods) -> dict[str, Any]:
    """The values of the named parameters of held_reviews and period_bucket."""
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


AUTHORITY = bindparam("la", type_=Integer)


def period_bucket() -> ColumnElement[bool]:
    """True for a review held in the chosen period, false for one in the period before
    (the reviews counted are only those of the two). A plain comparison rather than a
    CASE naming the period: the database knows a true-or-false has two values, so it
    groups in memory; a CASE's values it guesses at hundreds, and PostgreSQL sorted
    every joined row on disk to group them."""
    return (Review.planned_on >= bindparam("current_start", type_=Date)).label("in_current")


def period_of(in_current: bool) -> str:
    return CURRENT if in_current else PREVIOUS


def held_reviews(scope: Scope, *columns: _ColumnsClauseArgument[Any]) -> Select[Any]:
    """Reviews held in either period, in scope, joined to their child for the filters;
    the values are named parameters (see parameters)."""
    query = (
        select(*columns)
        .select_from(Review)
        .where(
            Review.local_authority_id == AUTHORITY,
            Review.status == ReviewStatus.HELD,
            Review.planned_on >= bindparam("previous_start", type_=Date),
            Review.planned_on <= bindparam("current_end", type_=Date),
        )
    )
    f = scope.filters
    if scope.caseload_of is None and f == Filters():
        return query  # the whole service: no need to read each review's child
    query = query.join(Child, Child.id == Review.child_id).where(
        Child.local_authority_id == AUTHORITY
    )
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


def count_true(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
