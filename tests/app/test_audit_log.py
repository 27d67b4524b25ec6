"""Managers read, filter and download the audit trail; nobody can change it."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.data import audit
from portal.extensions import db
from portal.models import AuditAction, AuditEvent, StaffRole, StaffUser
from tests import factories
from tests.journeys import staff_signs_in

TRAIL = "/staff/audit/"
EXPORT = "/staff/audit/export.csv"


def _signed_in_manager(client):  # type: ignore[no-untyped-def]
    la = factories.authority()
    manager = factories.staff(la, role=StaffRole.MANAGER, name="Mo Manager")
    db.session.commit()
    staff_signs_in(client, manager.email)
    return la, manager


def _event(
    staff: StaffUser,
    action: AuditAction,
    detail: str,
    *,
    at: datetime | None = None,
    subject: tuple[str, int] | None = None,
) -> AuditEvent:
    event = audit.record(
        staff,
        action,
        subject_type=subject[0] if subject else None,
        subject_id=subject[1] if subject else None,
        from_address="192.0.2.7",
        detail=detail,
    )
    if at is not None:
        event.at = at
    return event


def _boxes(name: str, day: str, month: str, year: str) -> dict[str, str]:
    """A day as its Day, Month and Year boxes put it in the query string."""
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def _markers(page: str) -> set[str]:
    return set(re.findall(r"marker-[a-z0-9-]+", page))


def _trail() -> list[tuple[str, str]]:
    return [
        (e.action, e.detail) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    ]


def test_the_trail_lists_the_authoritys_events_newest_first_and_viewing_is_recorded(
    client,
) -> None:
    la, manager = _signed_in_manager(client)
    iro = factories.staff(la, name="Ira Officer")
    _event(iro, AuditAction.VIEWED_CHILD, "marker-older", subject=("child", 41))
    _event(iro, AuditAction.PRINTED_CONSULTATION, "marker-newer", subject=("consultation", 7))
    outsider = factories.staff(factories.authority(), name="Otto Outsider")
    _event(outsider, AuditAction.VIEWED_CHILD, "marker-elsewhere")
    db.session.commit()

    page = client.get(TRAIL).text
    assert _markers(page) == {"marker-older", "marker-newer"}
    assert "Otto Outsider" not in page
    assert page.index("marker-newer") < page.index("marker-older")
    row = re.search(r"<tr>(?:(?!</tr>).)*marker-older(?:(?!</tr>).)*</tr>", page, re.S)
    assert row is not None
    for shown in (iro.display_name, "Viewed a child’s record", "Child 41", "192.0.2.7"):
        assert shown in row.group(0)

    viewed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.VIEWED_AUDIT_TRAIL)
    ).one()
    assert viewed.staff_user_id == manager.id and viewed.local_authority_id == la.id


def test_the_filters_filter(client) -> None:
    la, manager = _signed_in_manager(client)
    ann = factories.staff(la, name="Ann")
    bea = factories.staff(la, name="Bea")
    june_15_late = datetime(2024, 6, 15, 23, 30, tzinfo=UTC)  # 16 June 00:30 in London
    _event(ann, AuditAction.VIEWED_CHILD, "marker-ann-child-5", subject=("child", 5))
    _event(ann, AuditAction.VIEWED_REVIEW, "marker-ann-review-5", subject=("review", 5))
    _event(bea, AuditAction.VIEWED_CHILD, "marker-bea-child-6", subject=("child", 6))
    _event(bea, AuditAction.INVITED, "marker-bea-june", at=june_15_late)
    _event(bea, AuditAction.INVITED, "marker-bea-may", at=datetime(2024, 5, 1, 9, tzinfo=UTC))
    db.session.commit()

    def shown(**filters: str) -> set[str]:
        response = client.get(TRAIL, query_string=filters)
        assert response.status_code == 200
        assert "There is a problem" not in response.text
        return _markers(response.text)

    assert shown(who=str(ann.id)) == {"marker-ann-child-5", "marker-ann-review-5"}
    assert shown(action="viewed_child") == {"marker-ann-child-5", "marker-bea-child-6"}
    assert shown(record_type="child") == {"marker-ann-child-5", "marker-bea-child-6"}
    assert shown(record_number="5") == {"marker-ann-child-5", "marker-ann-review-5"}
    assert shown(record_type="child", record_number=" 5 ") == {"marker-ann-child-5"}
    assert shown(who=str(bea.id), action="viewed_child") == {"marker-bea-child-6"}
    # Whole days in London time, typed into the boxes (in any digits).
    june_16 = {**_boxes("from_day", "16", "6", "2024"), **_boxes("to_day", "16", "06", "2024")}
    assert shown(**june_16) == {"marker-bea-june"}
    assert (
        shown(**_boxes("from_day", "1", "6", "2024"), **_boxes("to_day", "15", "6", "2024"))
        == set()
    )
    assert shown(**_boxes("to_day", "٣١", "٥", "٢٠٢٤")) == {"marker-bea-may"}
    # A day in one value, as older links have it.
    assert shown(from_day="1/5/2024", to_day="2024-05-01") == {"marker-bea-may"}
    assert shown(action="exported") == set()


def test_filters_are_kept_on_the_page_links_and_pages_hold_50(client) -> None:
    la, manager = _signed_in_manager(client)
    iro = factories.staff(la)
    for n in range(120):
        _event(iro, AuditAction.VIEWED_CHILD, f"marker-{n:03d}", subject=("child", n + 1))
    _event(iro, AuditAction.VIEWED_REVIEW, "marker-not-a-child")
    db.session.commit()

    since_2000 = _boxes("from_day", "1", "1", "2000")
    first = client.get(TRAIL, query_string={"action": "viewed_child", **since_2000}).text
    assert len(_markers(first)) == 50 and "marker-119" in first and "marker-070" in first
    assert "Newer events" not in first
    older = re.search(r'href="([^"]+)" rel="next"', first)
    assert older is not None
    link = older.group(1).replace("&amp;", "&")
    assert "action=viewed_child" in link and "page=2" in link
    for name, typed in since_2000.items():
        assert f"{name}={typed}" in link
    download = re.search(r'href="([^"]+export[^"]+)"', first)
    assert download is not None and "from_day-year=2000" in download.group(1)

    second = client.get(link).text
    assert len(_markers(second)) == 50 and "marker-069" in second and "marker-020" in second
    third = client.get(TRAIL, query_string={"action": "viewed_child", "page": "3"}).text
    assert len(_markers(third)) == 20 and "marker-000" in third
    assert 'rel="next"' not in third and 'rel="prev"' in third
    assert "action=viewed_child" in re.search(r'href="([^"]+)" rel="prev"', third).group(1)  # type: ignore[union-attr]
    # Nonsense page numbers are the first page, or an empty one: never an error.
    for page in ("0", "-4", "abc", "99999999999999999999"):
        assert client.get(TRAIL, query_string={"page": page}).status_code == 200


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (_boxes("from_day", "29", "2", "2023"), "Date must be a real date"),
        (_boxes("to_day", "31", "13", "2024"), "Date must be a real date"),
        (_boxes("from_day", "yesterday", "", ""), "Date must include a month and year"),
        (_boxes("from_day", "1", "1", "99999"), "Year must include 4 numbers"),
        (_boxes("to_day", "1", "1", "0001"), "Year must be between 1900 and 2999"),
        ({"from_day": "yesterday"}, "Date must be a real date"),  # one value, from a link
        (
            {**_boxes("from_day", "2", "6", "2024"), **_boxes("to_day", "1", "6", "2024")},
            "must be the same as or after",
        ),
        ({"record_number": "12abc"}, "Enter a record number in digits"),
        ({"record_number": "99999999999"}, "Enter a record number in digits"),
        ({"who": "999999"}, "Choose one of the options shown"),
        ({"action": "deleted_everything"}, "Choose one of the options shown"),
        ({"record_type": "\x00"}, "Choose one of the options shown"),
    ],
)
def test_bad_filters_get_clear_errors_not_failures(
    client, filters: dict[str, str], message: str
) -> None:
    _signed_in_manager(client)
    for url in (TRAIL, EXPORT):
        response = client.get(url, query_string=filters)
        assert response.status_code == 200
        assert response.mimetype == "text/html"
        assert message in response.text
        assert "<title>Error:" in response.text
    for name, typed in filters.items():
        if typed and name not in ("from_day", "who", "action", "record_type"):
            assert f'name="{name}"' in response.text
            assert f'value="{typed}"' in response.text  # what was typed is shown back
    actions = {action for action, _detail in _trail()}
    assert AuditAction.EXPORTED not in actions and AuditAction.VIEWED_AUDIT_TRAIL not in actions


def test_another_authoritys_staff_are_not_a_filter_choice(client) -> None:
    _signed_in_manager(client)
    outsider = factories.staff(factories.authority(), name="Otto Outsider")
    _event(outsider, AuditAction.VIEWED_CHILD, "marker-elsewhere")
    db.session.commit()
    assert "Otto Outsider" not in client.get(TRAIL).text
    refused = client.get(TRAIL, query_string={"who": str(outsider.id)})
    assert "Choose one of the options shown" in refused.text
    assert "marker-elsewhere" not in refused.text


def test_the_download_has_every_matching_event_with_formulas_defused(client) -> None:
    la, manager = _signed_in_manager(client)
    iro = factories.staff(la, name='=HYPERLINK("http://evil.example")')
    _event(iro, AuditAction.IMPORTED, "=cmd|' /C calc'!A0", subject=("import_batch", 3))
    _event(iro, AuditAction.VIEWED_CHILD, "marker-plain", subject=("child", 9))
    _event(iro, AuditAction.VIEWED_REVIEW, "@SUM(1+1)")
    db.session.commit()

    download = client.get(EXPORT, query_string={"who": str(iro.id)})
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    text = download.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["When (UTC)", "Member of staff", "Email address", "What they did"]
    details = [row[7] for row in rows[1:]]
    assert details == ["'@SUM(1+1)", "marker-plain", "'=cmd|' /C calc'!A0"]
    assert all(row[1].startswith("'=HYPERLINK") for row in rows[1:])
    plain = rows[2]
    assert plain[3:7] == ["Viewed a child’s record", "Child", "9", "192.0.2.7"]
    assert plain[2] == iro.email

    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORTED)
    ).one()
    assert exported.staff_user_id == manager.id
    assert "audit trail" in exported.detail and f"staff={iro.id}" in exported.detail


def test_nothing_can_change_or_delete_the_trail(client) -> None:
    la, manager = _signed_in_manager(client)
    _event(manager, AuditAction.VIEWED_CHILD, "marker-kept", subject=("child", 1))
    db.session.commit()
    before = _trail()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(TRAIL).text).group(1)  # type: ignore[union-attr]
    before = _trail()
    for url in (TRAIL, EXPORT, f"{TRAIL}1", f"{TRAIL}events/1"):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code in (404, 405), f"{method} {url}"
    assert _trail() == before


@pytest.mark.parametrize("role", [StaffRole.IRO])
def test_an_iro_cannot_read_the_trail(client, role: StaffRole) -> None:
    la = factories.authority()
    iro = factories.staff(la, role=role)
    db.session.commit()
    staff_signs_in(client, iro.email)
    assert client.get(TRAIL).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert AuditAction.EXPORTED not in {action for action, _ in _trail()}


def test_an_administrator_can_read_the_trail(client) -> None:
    la = factories.authority()
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    _event(admin, AuditAction.CHANGED_SETTINGS, "marker-settings", subject=("local_authority", 1))
    db.session.commit()
    staff_signs_in(client, admin.email)
    page = client.get(TRAIL).text
    assert "marker-settings" in page and "Service settings 1" in page
