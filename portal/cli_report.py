"""`flask --app portal participation-report`: the figures as JSON or CSV, for scripts."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select

from portal.data import figures
from portal.domain.figures import Figure, PeriodProblem, ReportingPeriod, ReportingPeriodError
from portal.domain.participation import ParticipationMeasure
from portal.domain.spreadsheets import csv_text
from portal.extensions import db
from portal.models import LocalAuthority

PROBLEMS = {
    PeriodProblem.END_BEFORE_START: "--to is before --from.",
    PeriodProblem.TOO_LONG: "The period is longer than 10 years.",
    PeriodProblem.STARTS_TOO_EARLY: "The period starts before 14 October 1991.",
}


def _figure(figure: Figure | None) -> dict[str, Any] | None:
    if figure is None:
        return None
    return {
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "percentage": figure.display(),
        "definition": figure.definition,
    }


def _authorities(slug: str | None) -> list[LocalAuthority]:
    query = select(LocalAuthority).order_by(LocalAuthority.slug)
    if slug is not None:
        query = query.where(LocalAuthority.slug == slug)
    found = list(db.session.scalars(query))
    if slug is not None and not found:
        raise ValueError(f"No authority has the slug {slug!r}.")
    return found


def print_report(
    start: date, end: date, output: str, slug: str | None, definition: str | None
) -> str:
    try:
        current = ReportingPeriod(start, end)
        previous = current.previous()
    except ReportingPeriodError as error:
        raise ValueError(PROBLEMS[error.problem]) from error
    periods = figures.Periods(current, previous)
    measure = ParticipationMeasure(definition) if definition else None
    reports = []
    for authority in _authorities(slug):
        built = figures.build_report(figures.Scope(authority.id), periods, measure)
        reports.append((authority, built))
    if output == "csv":
        rows = []
        for authority, built in reports:
            for section, lines in built.sections:
                for line in lines:
                    for name, figure in (("current", line.current), ("previous", line.previous)):
                        period = current if name == "current" else previous
                        rows.append(
                            [
                                authority.slug,
                                section,
                                line.key,
                                period.start.isoformat(),
                                period.end.isoformat(),
                                *(
                                    ["not recorded", "", "", ""]
                                    if figure is None
                                    else [
                                        figure.numerator,
                                        figure.denominator,
                                        figure.display() or "",
                                        figure.definition,
                                    ]
                                ),
                            ]
                        )
        header = [
            "authority",
            "table",
            "figure",
            "from",
            "to",
            "numerator",
            "denominator",
            "percentage",
            "definition",
        ]
        return csv_text(header, rows)
    document = [
        {
            "authority": authority.slug,
            "from": current.start.isoformat(),
            "to": current.end.isoformat(),
            "previous_from": previous.start.isoformat(),
            "previous_to": previous.end.isoformat(),
            "participation_definition": built.measure.value,
            "reviews_held": built.current.reviews_held,
            "reviews_held_previous": built.previous.reviews_held,
            "reviews_without_code": built.current.codes.get("", 0),
            "children": built.current.children,
            "tables": {
                section: {
                    line.key: {"current": _figure(line.current), "previous": _figure(line.previous)}
                    for line in lines
                }
                for section, lines in built.sections
            },
        }
        for authority, built in reports
    ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
