"""After PostgreSQL ends its connections (a restart, a failover), the next request is
answered, without pinging the server before every request (pool_pre_ping).

The tests that end connections are PostgreSQL only (the `postgres` mark): a SQLite file
cannot hang up, so the SQLite pass leaves them out and the PostgreSQL pass runs them.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from portal.config import DATABASE_POOL_RECYCLE_SECONDS, Settings
from portal.extensions import db, server_has_hung_up
from tests import factories
from tests.journeys import child_signs_in

END_EVERY_OTHER_CONNECTION = text(
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def _needs_postgres(app: Flask) -> str:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    assert url.startswith("postgresql"), "run with DATABASE_URL=postgresql://..."
    return str(url)


def _end_every_connection(url: str) -> int:
    """As a restart does, from outside the portal's pool."""
    engine = create_engine(url, poolclass=None)
    try:
        with engine.connect() as connection:
            ended = connection.execute(END_EVERY_OTHER_CONNECTION).scalar_one()
            connection.commit()
    finally:
        engine.dispose()
    return int(ended)


def test_postgres_connections_are_not_pinged_but_recycled() -> None:
    settings = Settings.from_environment(
        {"PORTAL_ENV": "test", "DATABASE_URL": "postgresql://portal@db.example/portal"}
    )
    options = settings.flask_config()["SQLALCHEMY_ENGINE_OPTIONS"]
    assert isinstance(options, dict)
    assert not options.get("pool_pre_ping")
    assert options["pool_recycle"] == DATABASE_POOL_RECYCLE_SECONDS
    sqlite = Settings.from_environment({"PORTAL_ENV": "test", "DATABASE_URL": "sqlite:///x"})
    assert sqlite.flask_config()["SQLALCHEMY_ENGINE_OPTIONS"] == {}


def test_a_sqlite_connection_never_counts_as_hung_up(app: Flask, database: None) -> None:
    with db.engine.connect() as connection:
        assert not server_has_hung_up(connection.connection.dbapi_connection)


@pytest.mark.postgres
def test_a_connection_the_server_ended_is_noticed_without_asking(
    app: Flask, database: None
) -> None:
    import psycopg

    url = _needs_postgres(app).replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as kept, psycopg.connect(url) as other:
        assert not server_has_hung_up(kept)
        pid = kept.info.backend_pid
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))
        other.execute("SELECT pg_sleep(0.2)")  # the backend exits and closes the socket
        assert server_has_hung_up(kept)


@pytest.mark.postgres
def test_the_request_after_postgres_ends_every_connection_is_answered(
    app: Flask, make_client
) -> None:
    url = _needs_postgres(app)
    _la, _iro, _kid, _review, issued = factories.world()
    child = make_client()
    first = child_signs_in(child, issued)
    assert child.get(first).status_code == 200
    db.session.close()

    assert _end_every_connection(url) >= 1
    # The second request finds only dead connections in the pool, and must succeed.
    assert child.get(first).status_code == 200
    assert child.get(first).status_code == 200
    # Saving a page too, on what is now a new connection.
    saved = child.submit(first, {})
    assert saved.status_code == 302


@pytest.mark.postgres
def test_a_restart_between_the_pools_check_and_the_first_query_is_survived(
    app: Flask, make_client, monkeypatch
) -> None:
    """The connection dies after the pool looked at it: the session lookup asks again."""
    import portal.extensions

    url = _needs_postgres(app)
    _la, _iro, _kid, _review, issued = factories.world()
    child = make_client()
    first = child_signs_in(child, issued)
    db.session.close()
    # The pool's check sees nothing wrong, as if the server's goodbye had not arrived yet.
    monkeypatch.setattr(portal.extensions, "server_has_hung_up", lambda _connection: False)
    assert _end_every_connection(url) >= 1
    assert child.get(first).status_code == 200


@pytest.mark.postgres
def test_postgres_never_compiles_the_portals_queries(app: Flask, database: None) -> None:
    """JIT compiling costs more than the portal's short queries could save."""
    from sqlalchemy import text

    with db.engine.connect() as connection:
        assert connection.execute(text("SHOW jit")).scalar() == "off"
