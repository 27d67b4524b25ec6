"""The demo `make run` prints: every person in the table can sign in as it says."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from portal import demo
from portal.extensions import db
from portal.models import StaffUser


def test_the_demo_staff_sign_in_with_the_printed_password_and_demo_code(app: Flask, client) -> None:
    runner = app.test_cli_runner()
    seeded = runner.invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    assert demo.DEMO_TOTP_SECRET in seeded.output and "lee.admin@eastwold.example" in seeded.output
    assert seeded.output.startswith("Demo data created.")
    # Again, as every `make run` does after `make db` seeded: only the guide.
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and again.output.startswith("Demo sign-in"), again.output
    staff = {s.email: s for s in db.session.scalars(select(StaffUser))}
    assert staff["chris.iro@eastwold.example"].totp_secret is None  # shows enrolment
    assert staff["priya.manager@eastwold.example"].role == "manager"

    code = runner.invoke(args=["demo-code"]).output.strip()
    assert len(code) == 6 and code.isdigit()
    client.submit(
        "/staff/sign-in",
        {"email": "priya.manager@eastwold.example", "password": demo.DEMO_STAFF_PASSWORD},
    )
    signed_in = client.submit("/staff/sign-in/code", {"code": code})
    assert signed_in.headers["Location"] == "/staff/"
    caseload = client.get("/staff/").text
    assert "Amir" in caseload and "Dawit" in caseload and "Noor" not in caseload  # not Westmere


def test_the_demo_tells_a_realistic_story_of_deadlines(app: Flask, database: None) -> None:
    from portal.data.caseload import working_calendar
    from portal.domain.timescales import (
        Timeliness,
        next_review_due,
        timeliness,
        today_in_england,
    )
    from portal.models import Child, LocalAuthority

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    calendar = working_calendar()
    today = today_in_england()
    eastwold = db.session.scalar(select(LocalAuthority).where(LocalAuthority.slug == "eastwold"))
    seen = {}
    for child in db.session.scalars(select(Child).where(Child.local_authority_id == eastwold.id)):
        for review in child.reviews:
            # Every meeting on a working day, after school.
            assert calendar.is_working_day(review.planned_on), (child.preferred_name, review)
            assert review.planned_time is not None and review.planned_time.hour >= 15
        held = [r.planned_on for r in child.reviews if r.status == "held"]
        due = next_review_due(child.came_into_care_on, held, calendar)
        planned = [r for r in child.reviews if r.status != "held"]
        assert len(planned) == 1 and planned[0].kind == due.kind.value, child.preferred_name
        seen[child.preferred_name] = timeliness(due.due_by, today, calendar)
    # A mix, as a real caseload has: mostly on track, some due soon, one overdue.
    assert list(seen.values()).count(Timeliness.OVERDUE) == 1
    assert list(seen.values()).count(Timeliness.DUE_SOON) >= 2
    assert list(seen.values()).count(Timeliness.ON_TRACK) >= 3


def test_the_demo_has_a_year_of_figures_worth_looking_at(app: Flask, database: None) -> None:
    from portal.data import figures
    from portal.domain.figures import ReportingPeriod
    from portal.domain.timescales import today_in_england
    from portal.models import LocalAuthority

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    eastwold = db.session.scalar(select(LocalAuthority).where(LocalAuthority.slug == "eastwold"))
    today = today_in_england()
    current = ReportingPeriod.financial_year_containing(today)
    if (today - current.start).days < 150:  # early in a year little is held yet
        current = current.previous()
    report = figures.build_report(
        figures.Scope(eastwold.id), figures.Periods(current, current.previous())
    )
    counts = report.current
    assert counts.reviews_held >= 30
    assert counts.codes["PN0"] > 0
    taking_part = sum(counts.codes[f"PN{n}"] for n in range(1, 7))
    out_of = taking_part + counts.codes["PN7"]
    assert 0.5 < taking_part / out_of < 1
    assert counts.feedback_responses > 0 and sum(counts.feedback_faces.values()) > 0
    assert report.previous.reviews_held >= 30
