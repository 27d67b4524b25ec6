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
    assert "already there" in runner.invoke(args=["seed-demo"]).output
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
