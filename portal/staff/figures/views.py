"""The participation figures an IRO annual report needs: on screen, printable, as CSV.

Managers see the whole service, IROs their own caseload. A period (the financial year
by default) is shown beside the one before it; every figure carries its definition,
numerator and denominator. On screen, a group of fewer than 5 children shows no
figures; the printable report and the CSV, which are made to be passed on, hide every
count under 5 as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.data import figures as data
from portal.domain.access import Capability, can
from portal.domain.figures import (
    SUPPRESSION_THRESHOLD,
    Figure,
    PeriodProblem,
    ReportingPeriod,
    ReportingPeriodError,
    format_points,
)
from portal.domain.languages import describe
from portal.domain.participation import ParticipationMeasure
from portal.domain.report import ReportAgeBand, not_coded
from portal.domain.spreadsheets import csv_text
from portal.domain.timescales import today_in_england
from portal.extensions import db
from portal.models import AuditAction
from portal.staff import auditing
from portal.staff.figures import charts, words
from portal.staff.figures.forms import FiguresFilterForm
from portal.web.people import capability_required, current_staff

bp = Blueprint("figures", __name__, url_prefix="/figures")


def _period_message(problem: PeriodProblem) -> str:
    if problem is PeriodProblem.END_BEFORE_START:
        return _("The end of the period must be the same as or after its start")
    if problem is PeriodProblem.TOO_LONG:
        return _("The period must be 10 years or shorter")
    return _("The period must start on or after 14 October 1991")


@dataclass(frozen=True)
class Chosen:
    form: FiguresFilterForm
    scope: data.Scope
    periods: data.Periods | None
    measure: ParticipationMeasure
    whole_service: bool
    query: dict[str, str]


def _choose() -> Chosen:
    """The filters asked for, kept to what this person may see: an IRO always their
    own caseload; an IRO named that is not in the authority is ignored."""
    staff = current_staff()
    la = staff.local_authority_id
    whole_service = can(staff.role, Capability.SEE_WHOLE_SERVICE)
    form = FiguresFilterForm(request.args)
    form.offer(iros=data.iros(la) if whole_service else [], languages=data.languages(la))
    form.validate()
    start, end = form.days()
    default = ReportingPeriod.financial_year_containing(today_in_england())
    periods = None
    if not form.errors:
        try:
            current = ReportingPeriod(start or default.start, end or default.end)
            periods = data.Periods(current, current.previous())
        except ReportingPeriodError as error:
            form.to_day.errors = [*form.to_day.errors, _period_message(error.problem)]
    if periods is not None:
        form.from_day.data, form.to_day.data = periods.current.start, periods.current.end
    iro = form.chosen(form.iro) if whole_service else None
    band = form.chosen(form.age_band)
    uasc = form.chosen(form.uasc)
    language = form.chosen(form.language)
    definition = form.chosen(form.definition)
    for field, value in ((form.iro, iro), (form.age_band, band), (form.uasc, uasc)):
        field.data = value or ""
    form.language.data = language or ""
    measure = ParticipationMeasure(definition) if definition else data.participation_measure(la)
    form.definition.data = measure.value
    filters = data.Filters(
        iro_id=int(iro) if iro else None,
        age_band=ReportAgeBand(band) if band else None,
        uasc={"yes": True, "no": False}.get(uasc or ""),
        language=language,
    )
    scope = data.Scope(la, caseload_of=None if whole_service else staff.id, filters=filters)
    query = {
        key: value
        for key, value in {
            "from_day": periods.current.start.isoformat() if periods else "",
            "to_day": periods.current.end.isoformat() if periods else "",
            "iro": iro or "",
            "age_band": band or "",
            "uasc": uasc or "",
            "language": language or "",
            "definition": measure.value,
        }.items()
        if value
    }
    return Chosen(form, scope, periods, measure, whole_service, query)


def _value_text(figure: Figure | None, *, hidden: bool) -> str:
    if figure is None:
        return _("Not recorded")
    if hidden:
        return _("Hidden: fewer than 5")
    shown = figure.display()
    if shown is None:
        return _("None to count")
    return _(
        "%(percentage)s (%(numerator)s of %(denominator)s)",
        percentage=shown,
        numerator=figure.numerator,
        denominator=figure.denominator,
    )


def _change_text(now: Figure | None, before: Figure | None, *, hidden: bool) -> str:
    if now is None or before is None or hidden:
        return "—"
    change = now.change_from(before)
    if change is None:
        return "—"
    return _("%(points)s percentage points", points=format_points(change))


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    definition: str
    now: str
    before: str
    change: str
    commentary: str


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    rows: list[Row]
    chart: charts.Chart | None


def _hide_group(children: int) -> bool:
    return 0 < children < SUPPRESSION_THRESHOLD


def _tables(report: data.Report, *, for_export: bool, with_commentary: bool = False) -> list[Table]:
    """The report's tables as shown. On screen a group of fewer than 5 children hides
    all; in the printable report every count under 5 is hidden too. The sentence on
    each figure only where it is shown (the printable report)."""
    hide_now = _hide_group(report.current.children)
    hide_before = _hide_group(report.previous.children)
    rtl = describe(str(get_locale() or "en_GB")).direction == "rtl"
    tables = []
    for section, lines in report.sections:
        rows = []
        bars = []
        for line in lines:
            now_hidden = hide_now or (
                for_export and line.current is not None and line.current.suppressed()
            )
            before_hidden = hide_before or (
                for_export and line.previous is not None and line.previous.suppressed()
            )
            name = words.name_of(line.key)
            now_text = _value_text(line.current, hidden=now_hidden)
            if not with_commentary:
                commentary = ""
            elif now_hidden:
                commentary = _("Hidden: fewer than 5.")
            else:
                commentary = words.commentary(
                    line.key, line.current, None if before_hidden else line.previous
                )
            rows.append(
                Row(
                    key=line.key,
                    name=name,
                    definition=words.definition_of(line.key),
                    now=now_text,
                    before=_value_text(line.previous, hidden=before_hidden),
                    change=_change_text(
                        line.current, line.previous, hidden=now_hidden or before_hidden
                    ),
                    commentary=commentary,
                )
            )
            bars.append((name, None if now_hidden else line.current, now_text))
        title = str(words.SECTION_TITLE[section])
        chart = charts.bar_chart(
            f"chart-{section}",
            title,
            _(
                "Bar chart of the percentages for this period in the table “%(title)s”. "
                "The numbers are in the table.",
                title=title,
            ),
            bars,
            rtl=rtl,
        )
        tables.append(Table(section, title, rows, chart))
    return tables


def _render(
    template: str, chosen: Chosen, *, for_export: bool, with_commentary: bool = False
) -> str:
    report = None
    tables: list[Table] = []
    if chosen.periods is not None:
        report = data.build_report(chosen.scope, chosen.periods, chosen.measure)
        tables = _tables(report, for_export=for_export, with_commentary=with_commentary)
    return render_template(
        template,
        form=chosen.form,
        report=report,
        tables=tables,
        whole_service=chosen.whole_service,
        query=chosen.query,
        not_coded=not_coded(report.current) if report else 0,
        hidden_group=report is not None and _hide_group(report.current.children),
        threshold=SUPPRESSION_THRESHOLD,
    )


@bp.get("/")
@capability_required(Capability.SEE_FIGURES)
def dashboard() -> str:
    chosen = _choose()
    page = _render("staff/figures/dashboard.html", chosen, for_export=False)
    auditing.record(AuditAction.VIEWED_FIGURES, detail=_audit_detail(chosen))
    db.session.commit()
    return page


@bp.get("/report")
@capability_required(Capability.SEE_FIGURES)
def printable() -> str:
    chosen = _choose()
    page = _render("staff/figures/report.html", chosen, for_export=True, with_commentary=True)
    auditing.record(AuditAction.EXPORTED_FIGURES, detail="report " + _audit_detail(chosen))
    db.session.commit()
    return page


@bp.get("/figures.csv")
@capability_required(Capability.SEE_FIGURES)
def export() -> Response | str:
    chosen = _choose()
    if chosen.periods is None:
        return _render("staff/figures/dashboard.html", chosen, for_export=False)
    report = data.build_report(chosen.scope, chosen.periods, chosen.measure)
    header = [
        _("Table"),
        _("Figure"),
        _("Definition"),
        _("From"),
        _("To"),
        _("Numerator"),
        _("Denominator"),
        _("Percentage"),
    ]
    rows: list[list[object]] = []
    hidden_text = _("Hidden: fewer than 5")
    for (_section, lines), table in zip(
        report.sections, _tables(report, for_export=True), strict=True
    ):
        for line, row in zip(lines, table.rows, strict=True):
            for figure, period in (
                (line.current, chosen.periods.current),
                (line.previous, chosen.periods.previous),
            ):
                children = (
                    report.current.children
                    if period is chosen.periods.current
                    else (report.previous.children)
                )
                cells: list[object]
                if figure is None:
                    cells = [_("Not recorded"), "", ""]
                elif figure.suppressed() or _hide_group(children):
                    cells = [hidden_text, hidden_text, hidden_text]
                else:
                    cells = [figure.numerator, figure.denominator, figure.display() or ""]
                rows.append(
                    [
                        table.title,
                        row.name,
                        row.definition,
                        period.start.isoformat(),
                        period.end.isoformat(),
                        *cells,
                    ]
                )
    filename = f"participation-{chosen.periods.current.start}-{chosen.periods.current.end}.csv"
    auditing.record(AuditAction.EXPORTED_FIGURES, detail=filename)
    db.session.commit()
    return Response(
        csv_text(header, rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _audit_detail(chosen: Chosen) -> str:
    return " ".join(f"{key}={value}" for key, value in chosen.query.items())[:300]
