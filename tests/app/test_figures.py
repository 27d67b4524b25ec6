"""The participation figures reproduce what published annual reports say, from records
built to match them; and bad input (a period reversed or 50 years long, another
authority's IRO, an empty period, reviews with no code, feedback twice) does no harm."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.exc import IntegrityError

from portal.data import figures
from portal.domain.figures import ReportingPeriod
from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    Child,
    Consultation,
    Invitation,
    LocalAuthority,
    Review,
    ReviewFeedback,
    StaffRole,
    StaffUser,
)
from tests import factories
from tests.journeys import staff_signs_in

YEAR_2018 = ReportingPeriod(date(2018, 4, 1), date(2019, 3, 31))
_ids = itertools.count(1)


def _children_and_reviews(
    la: LocalAuthority,
    iro: StaffUser,
    count: int,
    *,
    held_on: date = date(2018, 10, 1),
    codes: list[str | None] | None = None,
    born: date = date(2006, 1, 1),
    uasc: bool = False,
    language: str = "en_GB",
) -> list[int]:
    """``count`` children with one review held each; returns the review ids. Inserted in
    bulk: the figures are about thousands of records."""
    first = next(_ids) * 100_000
    db.session.execute(
        insert(Child),
        [
            {
                "id": first + n,
                "local_authority_id": la.id,
                "preferred_name": f"C{n}",
                "date_of_birth": born,
                "came_into_care_on": date(2015, 1, 1),
                "uasc": uasc,
                "preferred_language": language,
                "communication_needs": "",
                "iro_id": iro.id,
            }
            for n in range(count)
        ],
    )
    codes = codes or [None] * count
    db.session.execute(
        insert(Review),
        [
            {
                "id": first + n,
                "local_authority_id": la.id,
                "child_id": first + n,
                "kind": "subsequent",
                "planned_on": held_on,
                "status": "held",
                "participation_code": codes[n],
                "venue": "",
                "status_reason": "",
                "attendees": "",
            }
            for n in range(count)
        ],
    )
    return [first + n for n in range(count)]


def _invitations(
    la: LocalAuthority,
    reviews: list[int],
    role: str,
    invited: int,
    submitted: int,
    kind: str | None = None,
) -> list[int]:
    first = next(_ids) * 100_000
    now = datetime(2018, 9, 1, tzinfo=UTC)
    db.session.execute(
        insert(Invitation),
        [
            {
                "id": first + n,
                "local_authority_id": la.id,
                "review_id": reviews[n % len(reviews)],
                "role": role,
                "professional_kind": kind,
                "invitee_name": "X",
                "language": "en_GB",
                "token_digest": f"t{first + n}",
                "code_digest": f"c{first + n}",
                "failed_secret_attempts": 0,
                "expires_at": now,
                "created_at": now,
                "contact_email": "",
                "contact_phone": "",
                "channel": "letter",
                "due_on": date(2018, 9, 30),
                "first_opened_at": now if n < submitted + 3 else None,
            }
            for n in range(invited)
        ],
    )
    if not submitted:
        return [first + n for n in range(invited)]
    db.session.execute(
        insert(Consultation),
        [
            {
                "id": first + n,
                "local_authority_id": la.id,
                "invitation_id": first + n,
                "form_key": "x",
                "form_version": 1,
                "status": "submitted",
                "started_at": now,
                "updated_at": now,
                "submitted_at": now,
                "submitted_on_time": n % 2 == 0,
            }
            for n in range(submitted)
        ],
    )
    return [first + n for n in range(invited)]


def _report(la: LocalAuthority, **filters: object) -> figures.Report:
    scope = figures.Scope(la.id, filters=figures.Filters(**filters))  # type: ignore[arg-type]
    return figures.build_report(scope, figures.Periods(YEAR_2018, YEAR_2018.previous()))


def _line(report: figures.Report, key: str):  # type: ignore[no-untyped-def]
    return next(line for _s, lines in report.sections for line in lines if line.key == key)


CHESHIRE_EAST_2018_19 = [
    # role, kind, sent, returned, as the report printed it
    ("child", None, 680, 85, "12.5%"),  # printed 13%
    ("professional", "health", 536, 164, "30.6%"),  # printed 31%
    ("professional", "education", 641, 249, "38.8%"),
    ("parent", None, 695, 87, "12.5%"),
    ("carer", None, 679, 197, "29.0%"),
    ("professional", "other", 447, 29, "6.5%"),  # printed 6.4%: the report rounded loosely
]


def test_cheshire_east_consultation_returns_per_role(app, database) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    reviews = _children_and_reviews(la, iro, 700)
    for role, kind, sent, returned, _shown in CHESHIRE_EAST_2018_19:
        _invitations(la, reviews, role, sent, returned, kind)
    db.session.commit()
    report = _report(la)
    for role, kind, sent, returned, shown in CHESHIRE_EAST_2018_19:
        group = f"{role}.{kind}" if kind else role
        figure = _line(report, f"consultations.{group}.submitted").current
        assert (figure.numerator, figure.denominator, figure.display()) == (returned, sent, shown)
    assert _line(report, "consultations.child.submitted").current.display(places=0) == "13%"


def test_north_yorkshire_feedback_counts_those_who_answered(app, database) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    reviews = _children_and_reviews(la, iro, 50)
    invitations = _invitations(la, reviews, "child", 50, 0)
    faces = ["great"] * 23 + ["good"] * 24 + ["okay"] * 3
    answers = {  # yes, of those answering (the rest answered no, or skipped)
        "right_place": (47, 50),
        "right_day": (41, 50),
        "right_time": (40, 48),
        "asked_who_should_come": (34, 50),
    }
    rows = []
    for n, invitation in enumerate(invitations):
        row = {
            "local_authority_id": la.id,
            "invitation_id": invitation,
            "review_id": reviews[n],
            "role": "child",
            "how_was_it": faces[n],
            "make_it_better": "",
            "anonymous": False,
            "language": "en_GB",
            "sent_at": datetime(2018, 11, 1, tzinfo=UTC),
        }
        for question, (yes, answered) in answers.items():
            row[question] = "yes" if n < yes else "no" if n < answered else None
        rows.append(row)
    db.session.execute(insert(ReviewFeedback), rows)
    db.session.commit()
    report = _report(la)
    shown = {key: _line(report, f"feedback.{key}").current for key in ["great", "good", *answers]}
    assert shown["great"].display(places=0) == "46%"
    assert shown["good"].display(places=0) == "48%"
    assert shown["right_place"].display(places=0) == "94%"
    assert shown["right_day"].display(places=0) == "82%"
    assert (shown["right_time"].numerator, shown["right_time"].denominator) == (40, 48)
    assert shown["right_time"].display(places=0) == "83%"
    assert shown["asked_who_should_come"].display(places=0) == "68%"

    # Feedback twice for one invitation: the database keeps one.
    with pytest.raises(IntegrityError):
        db.session.execute(insert(ReviewFeedback), [rows[0]])
    db.session.rollback()


def test_a_pn_mix_with_pn0_left_out_and_reviews_with_no_code_shown(app, database) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    mix = (
        ["PN0"] * 20
        + ["PN1"] * 40
        + ["PN2"] * 5
        + ["PN3"] * 5
        + ["PN4"] * 10
        + ["PN5"] * 5
        + ["PN6"] * 30
        + ["PN7"] * 5
        + [None] * 7
    )
    _children_and_reviews(la, iro, len(mix), codes=mix)
    db.session.commit()
    report = _report(la)
    participated = _line(report, "participation.participated").current
    attended = _line(report, "participation.attended").current
    assert (participated.numerator, participated.denominator) == (95, 100)
    assert participated.display() == "95.0%"
    assert (attended.numerator, attended.denominator) == (60, 100)
    assert report.current.reviews_held == 127
    assert report.current.codes[""] == 7  # not recorded, and not a code
    views = figures.build_report(
        figures.Scope(la.id),
        figures.Periods(YEAR_2018, YEAR_2018.previous()),
        figures.ParticipationMeasure.VIEWS_CONVEYED,
    )
    assert _line(views, "participation.views_conveyed").current.numerator == 85


def _signed_in(client, role: StaffRole = StaffRole.MANAGER):  # type: ignore[no-untyped-def]
    la = factories.authority()
    person = factories.staff(la, role=role)
    db.session.commit()
    staff_signs_in(client, person.email)
    return la, person


PERIOD = {"from_day": "2018-04-01", "to_day": "2019-03-31"}


def test_the_page_shows_each_figure_with_its_definition_and_counts(client) -> None:
    la, manager = _signed_in(client)
    mix = ["PN1"] * 40 + ["PN6"] * 50 + ["PN7"] * 10 + [None] * 3
    reviews = _children_and_reviews(la, manager, len(mix), codes=mix)
    _invitations(la, reviews, "child", 80, 20)
    db.session.commit()
    page = client.get("/staff/figures/", query_string=PERIOD).text
    assert "90.0% (90 of 100)" in page
    assert "codes PN1 to PN6 out of PN1 to PN7" in page
    assert "25.0% (20 of 80)" in page
    assert "Reviews held with no participation code recorded" in page
    assert "Not recorded" in page  # letters and plans: no documents held yet
    assert "Gender and disability are not recorded" in page
    assert '<svg class="figure-chart__svg" role="img"' in page
    assert client.get("/staff/figures/report", query_string=PERIOD).status_code == 200
    assert db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == AuditAction.VIEWED_FIGURES)
    ).all()


def test_the_csv_hides_counts_under_5_and_is_safe_in_a_spreadsheet(client) -> None:
    la, manager = _signed_in(client)
    manager.display_name = "=HYPERLINK(evil)"
    mix = ["PN1"] * 97 + ["PN7"] * 3
    _children_and_reviews(la, manager, len(mix), codes=mix)
    db.session.commit()
    response = client.get("/staff/figures/figures.csv", query_string=PERIOD)
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    by_figure = {(r[1], r[3]): r for r in rows[1:]}
    pn7 = by_figure[("PN7: Child did not come and their views were not given", "2018-04-01")]
    assert pn7[5:] == ["Hidden: fewer than 5"] * 3
    pn1 = by_figure[("PN1: Child came to the meeting and spoke for themselves", "2018-04-01")]
    assert pn1[5:] == ["97", "100", "97.0%"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_group_of_fewer_than_5_children_shows_no_figures(client) -> None:
    la, manager = _signed_in(client)
    _children_and_reviews(la, manager, 3, codes=["PN1", "PN1", "PN7"])
    db.session.commit()
    page = client.get("/staff/figures/", query_string=PERIOD).text
    assert "fewer than 5 children" in page
    assert "66.7%" not in page and "(2 of 3)" not in page


def test_an_iro_sees_only_their_caseload_and_another_authoritys_iro_is_ignored(client) -> None:
    la, iro = _signed_in(client, StaffRole.IRO)
    colleague = factories.staff(la)
    other = factories.authority()
    outsider = factories.staff(other)
    _children_and_reviews(la, iro, 10, codes=["PN1"] * 10)
    _children_and_reviews(la, colleague, 20, codes=["PN7"] * 20)
    _children_and_reviews(other, outsider, 30, codes=["PN6"] * 30)
    db.session.commit()
    page = client.get("/staff/figures/", query_string={**PERIOD, "iro": colleague.id}).text
    assert "100.0% (10 of 10)" in page  # their own, whatever the filter says
    assert colleague.display_name not in page

    manager = factories.staff(la, role=StaffRole.MANAGER)
    db.session.commit()
    client.post("/staff/sign-out", data={"csrf_token": client.csrf_token("/staff/figures/")})
    staff_signs_in(client, manager.email)
    everyone = client.get("/staff/figures/", query_string=PERIOD).text
    assert "33.3% (10 of 30)" in everyone
    leaked = client.get("/staff/figures/", query_string={**PERIOD, "iro": outsider.id}).text
    assert "33.3% (10 of 30)" in leaked  # ignored: the whole service, nothing of theirs
    assert outsider.display_name not in leaked and "(30 of 30)" not in leaked
    one = client.get("/staff/figures/", query_string={**PERIOD, "iro": colleague.id}).text
    assert "0.0% (0 of 20)" in one


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (
            {"from_day": "2019-03-31", "to_day": "2018-04-01"},
            "The end of the period must be the same as or after its start",
        ),
        (
            {"from_day": "1970-04-01", "to_day": "2019-03-31"},
            "The period must start on or after 14 October 1991",
        ),
        (
            {"from_day": "2000-04-01", "to_day": "2050-03-31"},
            "The period must be 10 years or shorter",
        ),
    ],
)
def test_a_bad_period_is_an_error_not_a_report(client, period, message) -> None:
    _signed_in(client)
    page = client.get("/staff/figures/", query_string=period)
    assert page.status_code == 200
    assert message in page.text
    assert "<title>Error:" in page.text
    assert client.get("/staff/figures/figures.csv", query_string=period).mimetype == "text/html"


def test_an_empty_period_shows_no_reviews_and_no_division_error(client) -> None:
    _signed_in(client)
    page = client.get("/staff/figures/", query_string=PERIOD).text
    assert "No reviews were held in this period." in page
    assert "None to count" in page


def test_filters_by_uasc_language_and_age_band(app, database) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    _children_and_reviews(
        la, iro, 6, codes=["PN1"] * 6, uasc=True, language="ar", born=date(2002, 6, 1)
    )  # 16 on 31 March 2019
    _children_and_reviews(la, iro, 9, codes=["PN7"] * 9, born=date(2012, 6, 1))  # 6
    db.session.commit()
    assert _report(la, uasc=True).current.reviews_held == 6
    assert _report(la, language="ar").current.reviews_held == 6
    assert (
        _report(la, age_band=figures.report.ReportAgeBand.AGE_16_AND_OVER).current.reviews_held == 6
    )
    assert _report(la, age_band=figures.report.ReportAgeBand.AGE_5_TO_9).current.reviews_held == 9
    assert _report(la, uasc=False).current.reviews_held == 9


def test_a_statement_kept_for_its_shape_takes_each_reports_own_values(app, database) -> None:
    """Statements are built once a shape and kept: the authority, the period and the
    filters' values are parameters, so the next report of that shape gets its own."""
    la, other = factories.authority(), factories.authority()
    iro, second_iro, their_iro = factories.staff(la), factories.staff(la), factories.staff(other)
    _children_and_reviews(la, iro, 6, language="ar", born=date(2002, 6, 1))
    _children_and_reviews(la, second_iro, 7, language="pl", born=date(2012, 6, 1))
    _children_and_reviews(la, iro, 5, held_on=date(2017, 10, 1))
    _children_and_reviews(other, their_iro, 9)
    db.session.commit()
    bands = figures.report.ReportAgeBand
    counted = [
        (_report(la).current.reviews_held, 13),
        (_report(other).current.reviews_held, 9),
        (_report(la, iro_id=iro.id).current.reviews_held, 6),
        (_report(la, iro_id=second_iro.id).current.reviews_held, 7),
        (_report(la, language="ar").current.reviews_held, 6),
        (_report(la, language="pl").current.reviews_held, 7),
        (_report(la, age_band=bands.AGE_16_AND_OVER).current.reviews_held, 6),
        (_report(la, age_band=bands.AGE_5_TO_9).current.reviews_held, 7),
        (_report(la, age_band=bands.UNDER_5).current.reviews_held, 0),
    ]
    assert [n for n, _expected in counted] == [expected for _n, expected in counted]
    later = ReportingPeriod(date(2019, 4, 1), date(2020, 3, 31))
    scope = figures.Scope(la.id)
    moved = figures.build_report(scope, figures.Periods(later, later.previous()))
    assert (moved.current.reviews_held, moved.previous.reviews_held) == (0, 13)
    before = YEAR_2018.previous()
    earlier = figures.build_report(scope, figures.Periods(before, before.previous()))
    assert (earlier.current.reviews_held, earlier.previous.reviews_held) == (5, 0)


def test_the_command_prints_every_figure_as_json_and_csv(app, database) -> None:
    la = factories.authority(slug="cheshire-east")
    other = factories.authority(slug="elsewhere")
    iro = factories.staff(la)
    reviews = _children_and_reviews(la, iro, 700)
    _invitations(la, reviews, "child", 680, 85)
    _children_and_reviews(other, factories.staff(other), 5, codes=["PN1"] * 5)
    db.session.commit()
    runner = app.test_cli_runner()
    args = ["participation-report", "--from", "2018-04-01", "--to", "2019-03-31"]
    result = runner.invoke(args=[*args, "--format", "json", "--authority", "cheshire-east"])
    assert result.exit_code == 0, result.output
    [printed] = json.loads(result.output)
    child = printed["tables"]["consultations"]["consultations.child.submitted"]["current"]
    assert (child["numerator"], child["denominator"], child["percentage"]) == (85, 680, "12.5%")
    assert "definition" in child
    assert printed["tables"]["letters"]["letters.published"]["current"] is None
    as_csv = runner.invoke(args=[*args, "--format", "csv"])
    assert as_csv.exit_code == 0
    assert "elsewhere" in as_csv.output and "cheshire-east" in as_csv.output
    reversed_period = runner.invoke(
        args=["participation-report", "--from", "2019-03-31", "--to", "2018-04-01"]
    )
    assert reversed_period.exit_code != 0 and "--to is before --from" in reversed_period.output
    unknown = runner.invoke(args=[*args, "--authority", "nowhere"])
    assert unknown.exit_code != 0


def test_letters_are_counted_only_once_the_portal_holds_some(app, database) -> None:
    from portal.models import Document, DocumentVersion

    la = factories.authority()
    iro = factories.staff(la)
    reviews = _children_and_reviews(la, iro, 10, held_on=date(2018, 10, 1))
    assert _line(_report(la), "letters.published").current is None
    review = db.session.get(Review, reviews[0])
    letter = Document(
        local_authority_id=la.id, child_id=review.child_id, review_id=review.id, kind="letter"
    )
    db.session.add(letter)
    db.session.flush()
    version = DocumentVersion(
        local_authority_id=la.id,
        document_id=letter.id,
        number=1,
        body_html="<p>x</p>",
        published_at=datetime(2018, 10, 3, 9, tzinfo=UTC),
    )
    if hasattr(DocumentVersion, "body_text"):  # the plans-and-letters work is still landing
        version.body_text = "x"
    db.session.add(version)
    db.session.commit()
    line = _line(_report(la), "letters.published").current
    assert (line.numerator, line.denominator) == (1, 10)
    assert _line(_report(la), "letters.in_timescale").current.numerator == 1
    assert _line(_report(la), "plans.shared").current.numerator == 0


def test_the_first_day_of_the_period_is_in_it_and_a_professional_of_no_kind_is_other(
    app, database
) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    first_day = _children_and_reviews(la, iro, 6, held_on=YEAR_2018.start)
    day_before = _children_and_reviews(la, iro, 7, held_on=date(2018, 3, 31))
    _children_and_reviews(la, iro, 8, held_on=YEAR_2018.end)
    _invitations(la, first_day, "professional", 6, 2, kind=None)
    _invitations(la, first_day, "professional", 5, 1, kind="")
    _invitations(la, first_day, "professional", 4, 3, kind="other")
    _invitations(la, first_day, "professional", 3, 3, kind="health")
    _invitations(la, day_before, "professional", 7, 7, kind=None)
    db.session.commit()
    report = _report(la)
    assert (report.current.reviews_held, report.previous.reviews_held) == (14, 7)
    other = _line(report, "consultations.professional.other.submitted")
    assert (other.current.numerator, other.current.denominator) == (6, 15)
    assert (other.previous.numerator, other.previous.denominator) == (7, 7)
    health = _line(report, "consultations.professional.health.submitted").current
    assert (health.numerator, health.denominator) == (3, 3)


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_the_page_counts_both_periods_in_four_statements_however_many_records(
    client,
) -> None:
    """Reviews, consultations, what children said and feedback: one aggregate statement
    each, for the period and the one before at once; more records, the same statements."""
    la, manager = _signed_in(client)
    seen_for = []
    for children in (10, 30):
        reviews = _children_and_reviews(la, manager, children, codes=["PN1"] * children)
        _invitations(la, reviews, "child", children, children // 2)
        _invitations(la, reviews, "carer", children, children // 3)
        db.session.commit()
        with _statements() as seen:
            page = client.get("/staff/figures/", query_string=PERIOD)
        assert page.status_code == 200
        # The sign-in session's own reads and writes are the session's business.
        seen_for.append([s for s in seen if "sign_in_session" not in s])
    few, many = seen_for
    assert len(few) == len(many), (few, many)
    counting = [s for s in many if re.search(r"FROM review\b", s)]
    assert len(counting) == 4, counting
    assert all(s.startswith("SELECT") and "GROUP BY" in s for s in counting)
