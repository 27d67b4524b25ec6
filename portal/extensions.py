"""Flask extensions, created unbound so the app factory can configure them."""

from __future__ import annotations

import select
import sqlite3
from typing import Any

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter as _FlaskLimiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool

# Named constraints make migrations readable and portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# An execution option marking a statement built once and run again and again (a module
# constant taking its values as bind parameters): the tenant scope (portal.web.tenancy)
# then keeps that statement with its scope added, per authority, instead of adding it
# anew on every run.
REUSED_STATEMENT = "portal_reused_statement"


def reused(statement: Any) -> Any:
    """Mark a statement built once, at import, whose values all come as bind parameters."""
    return statement.execution_options(**{REUSED_STATEMENT: True})


def commit_keeping_what_is_loaded() -> None:
    """Commit what this request has written without expiring what it has loaded.

    A commit normally marks every loaded object as stale, so the next use of the
    invitation, its review, child, IRO and authority (or a caseload's children) reads
    each again, one query at a time. Use it only where they were read in this same
    transaction and what changed was changed through them (a session's last-seen time, a
    sign-in, a consultation started or sent), so they are still as the database has them.
    """
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()


class Limiter(_FlaskLimiter):
    """Flask-Limiter, without its work before every request when nothing applies to it.

    Flask-Limiter checks every request before its view runs, for limits that apply to
    all routes (application, default, blueprint or meta limits, or its fallback limits
    while Redis is unreachable). The portal has none of those: its limits are on the
    views that need them (signing in), checked by their decorators as the view is
    called. On every other page the check found nothing to do, at a cost of about a
    tenth of a millisecond a page. It is skipped only while there is nothing it could
    find; as soon as any such limit exists, every request is checked as before.
    """

    def _check_request_limit(
        self, callable_name: str | None = None, in_middleware: bool = True
    ) -> None:
        if in_middleware and callable_name is None and self._nothing_applies_to_every_route():
            return
        super()._check_request_limit(callable_name, in_middleware)

    def _nothing_applies_to_every_route(self) -> bool:
        try:
            manager = self.limit_manager
            return not (
                manager._application_limits
                or manager._default_limits
                or manager._blueprint_limits
                or manager.has_hints(request.endpoint or "")
                or self._meta_limits
                or (self._storage_dead and self._in_memory_fallback)
            )
        except AttributeError:  # a Flask-Limiter that keeps these elsewhere: check as usual
            return False


limiter = Limiter(key_func=get_remote_address, default_limits=[])


def server_has_hung_up(dbapi_connection: Any) -> bool:
    """Whether the server has closed this idle PostgreSQL connection, without asking it.

    A connection waiting in the pool has sent nothing, so the server has nothing to say
    to it: if its socket has something to read, that is the server's goodbye (when it
    restarts, fails over or ends the connection, it sends an error and closes). One
    poll of the socket, no round trip: unlike a ping, it costs microseconds. Anything
    else to read (a server setting's change of value) only costs a new connection.
    """
    pgconn = getattr(dbapi_connection, "pgconn", None)
    if pgconn is None:  # not psycopg (SQLite): nothing that can hang up
        return False
    if getattr(dbapi_connection, "closed", False) or getattr(dbapi_connection, "broken", False):
        return True
    try:
        descriptor = pgconn.socket
    except Exception:  # psycopg raises when the connection is no longer open
        return True
    poller = select.poll()
    poller.register(descriptor, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


@event.listens_for(Pool, "checkout")
def _replace_connections_the_server_closed(
    dbapi_connection: Any, _record: Any, _proxy: Any
) -> None:
    # The pool then opens a new connection in its place, so a request that follows a
    # database restart is answered instead of failing on a dead connection.
    if server_has_hung_up(dbapi_connection):
        raise DisconnectionError("the database server closed this connection")


@event.listens_for(Pool, "connect")
def _sqlite_write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    """SQLite (the demo and small deployments) keeps a write-ahead log.

    With its default rollback journal, every commit creates, syncs and deletes a journal
    file, and a writer blocks every reader of the database: under several server
    processes, pages wait on each child's save. With the log, readers go on while one
    process writes, and a commit appends to one file. ``synchronous=FULL`` keeps each
    commit on disk before the page says "saved", as the journal did: an answer is never
    lost to a power cut. (PostgreSQL has its own; a database in memory has no file.)
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()
