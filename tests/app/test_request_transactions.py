"""A request that only read ends its transaction with COMMIT, which on PostgreSQL keeps
the connection's prepared statements (portal.web.request_transactions); anything else
ends as before, rolled back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event, inspect, select, text, update

from portal.extensions import db
from portal.models import Child
from portal.web.request_transactions import _commit_what_only_read
from tests import factories
from tests.journeys import child_signs_in


@pytest.fixture
def endings(app: Flask, database: None) -> Iterator[list[str]]:
    """How each transaction on the portal's engine ends, in order."""
    seen: list[str] = []

    def committed(_connection: object) -> None:
        seen.append("commit")

    def rolled_back(_connection: object) -> None:
        seen.append("rollback")

    engine = db.engine
    event.listen(engine, "commit", committed)
    event.listen(engine, "rollback", rolled_back)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", committed)
        event.remove(engine, "rollback", rolled_back)


def _name_of(child_id: int) -> str:
    db.session.remove()
    return db.session.scalar(select(Child.preferred_name).where(Child.id == child_id)) or ""


def test_a_page_that_only_read_is_committed_not_rolled_back(
    make_client, endings: list[str]
) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    child = make_client()
    page = child_signs_in(child, issued)
    endings.clear()
    assert child.get(page).status_code == 200
    assert endings == ["commit"]


def test_a_transaction_that_read_is_committed(app: Flask, database: None, endings) -> None:
    _la, _iro, kid, _review, _issued = factories.world()
    with app.app_context():
        db.session.scalar(select(Child.preferred_name).where(Child.id == kid.id))
        endings.clear()
        _commit_what_only_read(None)
        assert endings == ["commit"]
        assert not db.session().in_transaction()


def test_what_was_read_is_not_marked_stale_by_that_commit(app: Flask, database: None) -> None:
    # The session is closed straight after: expiring each loaded object would be work
    # for nothing. The session's own setting is left as it was, for the next commit.
    _la, _iro, kid, _review, _issued = factories.world()
    with app.app_context():
        child = db.session.get(Child, kid.id)
        assert child is not None
        _commit_what_only_read(None)
        assert "preferred_name" in inspect(child).dict
        assert not inspect(child).expired_attributes
        assert db.session().expire_on_commit


def test_a_write_left_uncommitted_is_still_undone(app: Flask, database: None, endings) -> None:
    _la, _iro, kid, _review, _issued = factories.world()
    before = _name_of(kid.id)
    with app.app_context():
        db.session.execute(update(Child).where(Child.id == kid.id).values(preferred_name="Zed"))
        db.session.scalar(select(Child.id))  # a read after the write changes nothing
        endings.clear()
        _commit_what_only_read(None)
        assert endings == []
    assert endings == ["rollback"]
    assert _name_of(kid.id) == before


def test_unsaved_objects_and_failed_requests_are_rolled_back(
    app: Flask, database: None, endings
) -> None:
    _la, _iro, kid, _review, _issued = factories.world()
    before = _name_of(kid.id)
    with app.app_context():
        found = db.session.get(Child, kid.id)
        assert found is not None
        found.preferred_name = "Zed"  # changed, never flushed or saved
        endings.clear()
        _commit_what_only_read(None)
        assert endings == []
    assert endings == ["rollback"]
    assert _name_of(kid.id) == before
    # A request that failed: its app context ends with the error.
    with pytest.raises(RuntimeError), app.app_context():
        db.session.scalar(select(Child.id))
        endings.clear()
        raise RuntimeError("the view failed")
    assert endings == ["rollback"]


def test_a_transaction_that_sent_nothing_is_left_alone(
    app: Flask, database: None, endings: list[str]
) -> None:
    """No connection is opened just to end it (with the database down, that would wait
    for the connection to fail)."""
    checkouts: list[object] = []

    def checked_out(*_args: object) -> None:
        checkouts.append(_args)

    event.listen(db.engine.pool, "checkout", checked_out)
    try:
        with app.app_context():
            db.session().begin()
            endings.clear()
            _commit_what_only_read(None)
            assert db.session().in_transaction()
        assert endings == [] and checkouts == []
    finally:
        event.remove(db.engine.pool, "checkout", checked_out)


def test_a_statement_that_is_not_a_select_counts_as_a_write(
    app: Flask, database: None, endings
) -> None:
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.execute(text("SAVEPOINT before_anything"))
        endings.clear()
        _commit_what_only_read(None)
        assert endings == []


@pytest.mark.postgres
def test_on_postgresql_a_pages_statements_stay_prepared(
    app: Flask, make_client, endings: list[str]
) -> None:
    """psycopg prepares a statement run five times on a connection, and forgets them all
    when the connection rolls back: pages that end in a commit keep them."""
    _la, _iro, _kid, _review, issued = factories.world()
    child = make_client()
    page = child_signs_in(child, issued)
    # One connection from here on (the pool hands its connections out in turn, and
    # psycopg counts a statement's runs on each), so the check below is on the one
    # every page used.
    db.session.remove()
    db.engine.dispose()
    for _ in range(7):
        assert child.get(page).status_code == 200
    with app.app_context():
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
        db.session.commit()
    assert any("FROM sign_in_session" in statement for statement in prepared), prepared
