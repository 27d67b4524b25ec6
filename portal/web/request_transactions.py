"""A request that only read from the database ends its transaction with COMMIT.

Every request runs in one transaction; Flask-SQLAlchemy ends it, at the end of the
request, by rolling it back. A request that saved something has already committed, so
that rollback only ends a transaction that read. But psycopg forgets every prepared
statement of a connection when it rolls back (a rolled-back transaction might have
dropped what they refer to), so on PostgreSQL nothing a page reads was ever prepared:
the frame's six-table join and each page's other queries were parsed and planned again
on every request. The database server spent about 1 ms of CPU on each page that way,
against 0.3 ms with its statements prepared (``bench/hot_path.py``-style measurement in
the note of issue 14).

For a transaction that only read, COMMIT and ROLLBACK are the same: nothing to keep,
nothing to undo, and either releases its locks. So a request's transaction is
committed when it is plainly one of those: the request did not fail, the session holds
no unsaved objects, and no statement but a SELECT was sent on its connection since the
transaction began (written down by the engine events below). Anything else ends as
before, with the rollback, so a half-done save that a view left uncommitted is still
undone.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, SessionTransaction

from portal.extensions import commit_keeping_what_is_loaded, db

WROTE = "portal_wrote_since_begin"
# The connection a session's transaction runs on, once it has one: a transaction that
# never sent a statement has none, and asking for one would open a connection (with the
# database down, wait for it to fail) only to end it.
CONNECTION = "portal_transaction_connection"
_READS_ONLY = re.compile(r"\s*SELECT\b", re.IGNORECASE)


@event.listens_for(Engine, "begin")
def _nothing_written_yet(connection: Connection) -> None:
    connection.info[WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_a_write(
    connection: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    # Anything that is not a SELECT counts as a write: an INSERT, UPDATE or DELETE, a
    # statement that begins WITH, a SAVEPOINT, a SET. Only a plain read may be committed.
    if not connection.info.get(WROTE) and not _READS_ONLY.match(statement):
        connection.info[WROTE] = True


@event.listens_for(Session, "after_begin")
def _remember_the_connection(
    session: Session, _transaction: SessionTransaction, connection: Connection
) -> None:
    session.info.setdefault(CONNECTION, connection)


@event.listens_for(Session, "after_transaction_end")
def _forget_the_connection(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(CONNECTION, None)


def init_request_transactions(app: Flask) -> None:
    # Teardown functions run in the reverse of the order they were added: this one,
    # added after Flask-SQLAlchemy's, runs before it closes (and rolls back) the session.
    app.teardown_appcontext(_commit_what_only_read)


def _commit_what_only_read(error: BaseException | None) -> None:
    if error is not None or not db.session.registry.has():
        return
    session = db.session()
    connection: Connection | None = session.info.get(CONNECTION)
    if (
        connection is None
        or connection.invalidated
        or not session.is_active  # a statement failed: the transaction must roll back
        or session.new
        or session.dirty
        or session.deleted
        or connection.info.get(WROTE, True)
    ):
        return
    # Should the commit fail, the session's own rollback follows, as before. Nothing
    # loaded is marked stale, as a commit otherwise does object by object: the session
    # is closed next, so that work would be wasted (about 2% of a page's instructions,
    # bench/instructions.py).
    with contextlib.suppress(Exception):
        commit_keeping_what_is_loaded()
