"""Children, reviews on statutory timescales, the caseload page and the review's inbox."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from portal.data.invitations import refresh_due_dates
from portal.domain.timescales import WorkingCalendar
from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    Child,
    Consultation,
    Review,
    ReviewStatusChange,
    SafetyConcern,
    StaffRole,
    StaffUser,
    utcnow,
)
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in

TODAY = date.today()  # noqa: DTZ011


def _signed_in_iro(client, role: StaffRole = StaffRole.IRO):  # type: ignore[no-untyped-def]
    la = factories.authority()
    iro = factories.staff(la, role=role)
    db.session.commit()
    staff_signs_in(client, iro.email)
    return la, iro


def _boxes(name: str, day: date | tuple[str, str, str]) -> dict[str, str]:
    """A date as the Day, Month and Year boxes send it."""
    typed = (str(day.day), str(day.month), str(day.year)) if isinstance(day, date) else day
    return dict(zip((f"{name}-day", f"{name}-month", f"{name}-year"), typed, strict=True))


def _shown_in_boxes(page: str, name: str) -> tuple[str, str, str]:
    found = dict(re.findall(rf'name="{name}-(day|month|year)"[^>]*value="([^"]*)"', page))
    return (found["day"], found["month"], found["year"])


def _child_form(**overrides: object) -> dict[str, object]:
    """The form as sent; a date is typed into its boxes, or sent as one value (a string)."""
    form: dict[str, object] = {
        "preferred_name": "Kit",
        **_boxes("date_of_birth", date(2013, 5, 4)),
        **_boxes("came_into_care_on", TODAY - timedelta(days=10)),
        "uasc": "y",
        "preferred_language": "ar",
        "communication_needs": ["interpreter", "easy_read"],
    }
    for name, value in overrides.items():
        if isinstance(value, date | tuple):
            form.update(_boxes(name, value))  # type: ignore[arg-type]
        else:
            for box in _boxes(name, ("", "", "")):
                form.pop(box, None)
            form[name] = value
    return form


def _actions() -> list[str]:
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_an_iro_adds_a_child_to_their_own_caseload(client) -> None:
    la, iro = _signed_in_iro(client)
    other = factories.staff(la)
    db.session.commit()
    # An IRO cannot put the child on someone else's caseload by posting another id. The
    # date of birth is typed in Arabic-Indic digits.
    added = client.submit(
        "/staff/children/new",
        _child_form(iro_id=str(other.id), date_of_birth=("٤", "٠٥", "٢٠١٣")),
    )
    assert added.status_code == 302
    child = db.session.scalars(select(Child)).one()
    assert (child.preferred_name, child.date_of_birth, child.uasc) == (
        "Kit",
        date(2013, 5, 4),
        True,
    )
    assert child.preferred_language == "ar" and child.needs == ["interpreter", "easy_read"]
    assert child.iro_id == iro.id and child.local_authority_id == la.id
    page = client.get(added.headers["Location"]).text
    assert "Kit" in page and "Interpreter, Easy read" in page
    # The first review is due 20 working days after coming into care.
    due = WorkingCalendar().add_working_days(child.came_into_care_on, 20)
    assert f"Initial review, {due.day} {due.strftime('%B')} {due.year}" in page
    assert AuditAction.CREATED_CHILD in _actions() and AuditAction.VIEWED_CHILD in _actions()


def test_bad_child_details_get_clear_errors_and_keep_what_was_typed(client) -> None:
    _signed_in_iro(client)
    cases = [
        ({"preferred_name": ""}, "Enter the child's preferred name"),
        ({"preferred_name": "x" * 101}, "100 characters or fewer"),
        ({"date_of_birth": ("", "", "")}, "Enter the child's date of birth"),
        ({"date_of_birth": ("31", "2", "2013")}, "Date must be a real date"),
        ({"date_of_birth": ("29", "2", "2023")}, "Date must be a real date"),
        ({"date_of_birth": ("4", "", "2013")}, "Date must include a month"),
        ({"date_of_birth": ("", "", "2013")}, "Date must include a day and month"),
        ({"date_of_birth": ("4", "5", "13")}, "Year must include 4 numbers"),
        ({"date_of_birth": ("4", "5", "1813")}, "Year must be between 1900 and 2999"),
        ({"date_of_birth": TODAY + timedelta(days=3)}, "today or in the past"),
        ({"date_of_birth": "31/02/2013"}, "Date must be a real date"),  # one value, from a script
        ({"came_into_care_on": ("", "", "")}, "Enter the date they came into care"),
        ({"came_into_care_on": date(2012, 1, 1)}, "before they were born"),
        ({"preferred_language": "xx"}, "Not a valid choice"),
        ({"communication_needs": ["telepathy"]}, "not a valid choice"),
    ]
    for change, message in cases:
        page = client.submit(
            "/staff/children/new", _child_form(**{"preferred_name": "Rüya 🌟", **change})
        )
        assert page.status_code == 200, change
        assert message.lower() in page.text.lower(), change
        assert "<title>Error:" in page.text
    assert db.session.scalars(select(Child)).all() == []
    kept = client.submit(
        "/staff/children/new", _child_form(preferred_name="Rüya\x00 🌟\u202e", date_of_birth="nope")
    )
    assert 'value="Rüya 🌟\u202e"' in kept.text


def test_a_date_is_three_boxes_and_its_error_links_to_the_box_to_fix(client) -> None:
    _signed_in_iro(client)
    blank = client.get("/staff/children/new").text
    assert 'type="date"' not in blank
    assert re.search(
        r'<fieldset class="fieldset" aria-describedby="date_of_birth-hint">\s*'
        r'<legend class="fieldset__legend">Date of birth</legend>\s*'
        r'<p class="hint" id="date_of_birth-hint">For example, 27 3 2007</p>',
        blank,
    )
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        assert f'<label class="date-input__label" for="date_of_birth-{part}">' in blank
        box = re.search(rf'<input [^>]*id="date_of_birth-{part}"[^>]*>', blank)
        assert box is not None
        for attribute in (
            f'name="date_of_birth-{part}"',
            'type="text"',
            'inputmode="numeric"',
            f'class="input input--width-{width}"',
        ):
            assert attribute in box.group(0), (part, attribute)

    def marked(page: str) -> list[str]:
        return re.findall(
            r'class="input input--width-\d input--error" id="date_of_birth-(\w+)"', page
        )

    # One message for the date, inline and in the summary, which links to the box to fix.
    page = client.submit("/staff/children/new", _child_form(date_of_birth=("4", "", "13"))).text
    assert '<a href="#date_of_birth-month">Date must include a month</a>' in page
    assert 'aria-describedby="date_of_birth-hint date_of_birth-error"' in page
    assert re.search(r'id="date_of_birth-error">.*Date must include a month</p>', page)
    assert marked(page) == ["month"]
    assert _shown_in_boxes(page, "date_of_birth") == ("4", "", "13")  # as typed
    # A fault with the date as a whole marks every box, and the summary links to Day.
    future = client.submit(
        "/staff/children/new", _child_form(date_of_birth=TODAY + timedelta(days=3))
    ).text
    assert '<a href="#date_of_birth-day">The date must be today or in the past</a>' in future
    assert marked(future) == ["day", "month", "year"]


def test_planning_a_review_suggests_the_statutory_date_and_status_moves_need_reasons(
    client,
) -> None:
    la, iro = _signed_in_iro(client)
    kid, _review = factories.child(la, iro, name="Jo")
    db.session.delete(_review)
    db.session.commit()
    form = client.get(f"/staff/children/{kid.id}/reviews/new").text
    due = WorkingCalendar().add_working_days(kid.came_into_care_on, 20)
    assert _shown_in_boxes(form, "planned_on") == (str(due.day), str(due.month), str(due.year))
    assert 'value="initial" selected' in form
    made = client.submit(
        f"/staff/children/{kid.id}/reviews/new",
        {
            "kind": "initial",
            **_boxes("planned_on", due),
            "planned_time": "16:00",
            "venue": "School",
        },
    )
    review = db.session.scalars(select(Review)).one()
    assert made.headers["Location"] == f"/staff/reviews/{review.id}"
    assert (review.status, review.venue, review.planned_time.hour) == ("planned", "School", 16)
    url = f"/staff/reviews/{review.id}/status"
    no_reason = client.submit(
        url, {"status": "rearranged", "reason": ""}, from_url=f"/staff/reviews/{review.id}"
    )
    assert "Say why the review" in no_reason.text
    no_date = client.submit(
        url,
        {"status": "rearranged", "reason": "Child unwell"},
        from_url=f"/staff/reviews/{review.id}",
    )
    assert "Enter the new date" in no_date.text
    later = due + timedelta(days=7)
    client.submit(
        url,
        {"status": "rearranged", "reason": "Child unwell", **_boxes("new_date", later)},
        from_url=f"/staff/reviews/{review.id}",
    )
    db.session.refresh(review)
    assert (review.status, review.planned_on, review.status_reason) == (
        "rearranged",
        later,
        "Child unwell",
    )
    page = client.get(f"/staff/reviews/{review.id}").text
    assert "planned after it" in page and "Child unwell" in page
    client.submit(url, {"status": "held", "reason": ""}, from_url=f"/staff/reviews/{review.id}")
    changes = db.session.scalars(select(ReviewStatusChange).order_by(ReviewStatusChange.id)).all()
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("planned", "rearranged"),
        ("rearranged", "held"),
    ]
    assert all(c.changed_by_id == iro.id for c in changes)
    # Held is final: no status form, and a forged post is refused.
    assert "Change the status" not in client.get(f"/staff/reviews/{review.id}").text
    token = client.csrf_token(f"/staff/reviews/{review.id}")
    assert (
        client.post(
            url, data={"status": "cancelled", "reason": "x", "csrf_token": token}
        ).status_code
        == 409
    )
    # The child's next review is now the second, due 3 months after this one.
    assert "Second review" in client.get(f"/staff/children/{kid.id}").text


def test_the_caseload_shows_deadlines_invitations_and_what_is_missing(client, make_client) -> None:
    la, iro = _signed_in_iro(client)
    overdue, overdue_review = factories.child(la, iro, name="Overdue Olu")
    overdue.came_into_care_on = TODAY - timedelta(days=120)
    overdue_review.planned_on = TODAY + timedelta(days=5)
    fine, fine_review = factories.child(la, iro, name="Fine Fen")
    fine.came_into_care_on = TODAY - timedelta(days=400)
    held = Review(
        local_authority_id=la.id,
        child=fine,
        kind="subsequent",
        status="held",
        planned_on=TODAY - timedelta(days=30),
    )
    db.session.add(held)
    fine_review.planned_on = TODAY + timedelta(days=60)
    issued = factories.invitation(fine_review, name="Fine Fen")
    factories.invitation(fine_review, name="Carer Cai", role="carer")
    db.session.commit()
    child_client = make_client()
    first = child_signs_in(child_client, issued)
    page = client.get("/staff/").text
    assert page.index("Overdue Olu") < page.index("Fine Fen")  # the overdue one first
    overdue_row = page[page.index("Overdue Olu") : page.index("Fine Fen")]
    assert "Overdue" in overdue_row and "Child not invited" in overdue_row
    assert "Planned after the statutory date" in overdue_row
    fine_row = page[page.index("Fine Fen") :]
    assert "On track" in fine_row and "0 in, 2 missing" in fine_row
    cid = first.split("/")[2]
    child_client.submit(f"/consultation/{cid}/check", {}, from_url=f"/consultation/{cid}/check")
    review_page = client.get(f"/staff/reviews/{fine_review.id}").text
    assert "Started" in review_page or "Submitted" in review_page
    assert "Invited" in review_page  # the carer has not opened theirs


def test_an_iro_sees_their_own_and_covered_caseloads_only_and_a_manager_sees_all(
    client, make_client
) -> None:
    la = factories.authority()
    me, away, other = factories.staff(la), factories.staff(la), factories.staff(la)
    manager = factories.staff(la, role=StaffRole.MANAGER)
    factories.child(la, me, name="Mine Mo")
    factories.child(la, away, name="Covered Cy")
    theirs, _ = factories.child(la, other, name="Others Ola")
    away.away, away.covered_by_id = True, me.id
    db.session.commit()
    staff_signs_in(client, me.email)
    page = client.get("/staff/").text
    assert "Mine Mo" in page and "Covered Cy" in page and "Others Ola" not in page
    assert client.get(f"/staff/children/{theirs.id}").status_code == 404
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.DENIED)
    ).one()
    assert (denied.subject_type, denied.subject_id, denied.staff_user_id) == (
        "child",
        theirs.id,
        me.id,
    )
    boss = make_client()
    staff_signs_in(boss, manager.email)
    everyone = boss.get("/staff/").text
    assert all(name in everyone for name in ("Mine Mo", "Covered Cy", "Others Ola"))
    only_other = boss.get(f"/staff/?iro={other.id}").text
    assert "Others Ola" in only_other and "Mine Mo" not in only_other


def test_a_manager_reassigns_a_child_and_it_is_audited(client) -> None:
    la, manager = _signed_in_iro(client, role=StaffRole.MANAGER)
    first, second = factories.staff(la), factories.staff(la)
    kid, _ = factories.child(la, first, name="Moving Max")
    db.session.commit()
    form = _child_form(preferred_name="Moving Max", iro_id=str(second.id))
    client.submit(f"/staff/children/{kid.id}/edit", form)
    assert db.session.get(Child, kid.id).iro_id == second.id
    assert AuditAction.REASSIGNED_CHILD in _actions()


def test_administrators_do_not_see_children(client) -> None:
    la, admin = _signed_in_iro(client, role=StaffRole.ADMINISTRATOR)
    kid, review = factories.child(la, factories.staff(la))
    db.session.commit()
    for url in ("/staff/", f"/staff/children/{kid.id}", f"/staff/reviews/{review.id}"):
        assert client.get(url).status_code == 404, url


def test_the_printable_record_has_the_answers_and_is_audited(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world()
    child = make_client()
    first = child_signs_in(child, issued)
    cid = int(first.split("/")[2])
    child.submit(first, {"meeting_where": "At the café ☕"})
    staff_signs_in(client, iro.email)
    page = client.get(f"/staff/consultations/{cid}/print")
    assert page.status_code == 200
    assert "At the café ☕" in page.text and "Record of views" in page.text
    assert "Printed" in page.text and "data-print hidden" in page.text
    printed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.PRINTED_CONSULTATION)
    ).one()
    assert printed.subject_id == cid


def test_submitted_late_is_shown_when_views_come_after_they_were_due(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world()
    carer = factories.invitation(review, role="carer", name="Cora Carer")
    db.session.commit()
    who = make_client()
    first = child_signs_in(who, carer)
    cid = first.split("/")[2]
    from portal.models import Consultation

    consultation = db.session.get(Consultation, int(cid))
    consultation.status = "submitted"
    consultation.submitted_at = utcnow()
    review.planned_on = TODAY + timedelta(days=2)  # carers' views were due 5 days before
    refresh_due_dates(review)
    db.session.commit()
    staff_signs_in(client, iro.email)
    page = client.get(f"/staff/reviews/{review.id}").text
    assert "Submitted late" in page
    assert db.session.get(StaffUser, iro.id) is not None


def test_bad_review_details_get_clear_errors_and_keep_what_was_typed(client) -> None:
    la, iro = _signed_in_iro(client)
    kid, review = factories.child(la, iro, name="Jo")
    db.session.commit()
    url = f"/staff/reviews/{review.id}/edit"
    before = (review.planned_on, review.venue)
    cases = [
        ({**_boxes("planned_on", ("30", "2", "2027"))}, "Date must be a real date"),
        ({**_boxes("planned_on", ("", "", ""))}, "Enter the date of the review"),
        ({"planned_time": "25:99"}, "Not a valid time"),
        ({"venue": "v" * 201}, "200 characters or fewer"),
        ({"kind": "imaginary"}, "Not a valid choice"),
    ]
    for change, message in cases:
        form = {
            "kind": "subsequent",
            **_boxes("planned_on", date(2027, 3, 1)),
            "venue": "Café ☕ مدرسة",
            **change,
        }
        page = client.submit(url, form)
        assert page.status_code == 200 and message in page.text, change
        assert "<title>Error:" in page.text
        if "venue" not in change:
            assert 'value="Café ☕ مدرسة"' in page.text
    db.session.refresh(review)
    assert (review.planned_on, review.venue) == before


def test_wtforms_own_messages_are_translated_too(client) -> None:
    from pathlib import Path

    from babel.support import Translations

    translations = Path(__file__).resolve().parents[2] / "translations"

    la, iro = _signed_in_iro(client)
    kid, review = factories.child(la, iro)
    db.session.commit()
    for language in ("ar", "ti"):
        client.get(f"/language/{language}")
        client.expected_lang = language
        form = {"kind": "imaginary", "planned_on": "2027-03-01", "planned_time": "25:99"}
        page = client.submit(f"/staff/reviews/{review.id}/edit", form).text
        gettext = Translations.load(str(translations), [language]).gettext
        for message in ("Not a valid choice.", "Not a valid time value."):
            assert gettext(message) != message and gettext(message) in page, (language, message)


def _past_reviews(kid, count: int, *, concern_in: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """``count`` held reviews before the next one, each with a consultation sent."""
    for number in range(count):
        held = date.today() - timedelta(days=180 * (number + 1))  # noqa: DTZ011
        review = Review(
            local_authority_id=kid.local_authority_id,
            child=kid,
            kind="subsequent",
            planned_on=held,
            status="held",
            held_on=held,
        )
        db.session.add(review)
        db.session.flush()
        issued = factories.invitation(review, name=kid.preferred_name)
        consultation = Consultation(
            local_authority_id=kid.local_authority_id,
            invitation_id=issued.invitation.id,
            form_key="age_13_to_17_meeting",
            form_version=1,
            status="submitted",
        )
        db.session.add(consultation)
        db.session.flush()
        if number == concern_in:
            db.session.add(SafetyConcern(consultation_id=consultation.id, question_key="safe"))
    db.session.commit()


def test_the_caseload_reads_past_reviews_dates_not_their_invitations(client) -> None:
    """Years of past reviews cost the page nothing more, and an open safety concern from
    any of them still puts the child first."""
    from sqlalchemy import event

    la = factories.authority()
    iro = factories.staff(la)
    calm, _next = factories.child(la, iro, name="Ash")
    worried, _next2 = factories.child(la, iro, name="Blake")
    factories.invitation(_next, name="Ash")
    db.session.commit()
    assert staff_signs_in(client, iro.email).status_code == 302

    def statements_for_caseload() -> tuple[int, str]:
        seen: list[str] = []

        def note(*args) -> None:  # type: ignore[no-untyped-def]
            seen.append(args[2])

        event.listen(db.engine, "before_cursor_execute", note)
        try:
            page = client.get("/staff/")
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
        assert page.status_code == 200
        return len(seen), page.get_data(as_text=True)

    few, _page = statements_for_caseload()
    _past_reviews(calm, 12)
    _past_reviews(worried, 12, concern_in=7)
    many, page = statements_for_caseload()
    assert many == few
    # Blake's concern, raised at a review long past, is still first on the page.
    assert page.index("Blake") < page.index("Ash")
    assert "Blake said they may not be safe" in page
