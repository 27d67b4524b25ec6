"""Fixtures: an app on a migrated database (SQLite by default, PostgreSQL with
DATABASE_URL), emptied between tests, and a test client that audits every page."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from portal import create_app
from portal.config import Settings
from portal.extensions import db, limiter
from tests.audit import audit_html

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` show what only PostgreSQL can (real concurrent writers, a
    pg_dump and restore); tests marked `sqlite`, SQLite's own settings. Each pass leaves
    the other's out rather than skipping them: `.ci/run` runs both passes, and the
    PostgreSQL one fails if there is no PostgreSQL."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    other = "sqlite" if on_postgres else "postgres"
    kept = [item for item in items if item.get_closest_marker(other) is None]
    left_out = [item for item in items if item.get_closest_marker(other) is not None]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def _database_url(tmp: Path) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'test.sqlite3'}"


def _with_driver(url: str) -> str:
    return (
        url.replace("postgresql://", "postgresql+psycopg://", 1)
        if url.startswith("postgresql://")
        else url
    )


def _unreachable(error: Exception) -> None:
    message = f"PostgreSQL at DATABASE_URL is not reachable: {error}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _worker_database(url: str, worker: str) -> str:
    """With parallel workers (pytest-xdist), each empties and migrates a database of its
    own beside DATABASE_URL's, made on first use: the suite's tests own the whole
    database they run on, so two workers must never share one."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(_with_driver(url))
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # pragma: no cover - depends on the machine
        _unreachable(error)
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(_with_driver(url))
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except Exception as error:  # pragma: no cover - depends on the machine
        _unreachable(error)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    with tempfile.TemporaryDirectory() as tmp:
        url = _database_url(Path(tmp))
        if url.startswith("postgres"):
            worker = os.environ.get("PYTEST_XDIST_WORKER")
            if worker:
                url = _worker_database(url, worker)
            _reset_postgres(url)
        settings = Settings.from_environment(
            {**os.environ, "PORTAL_ENV": "test", "DATABASE_URL": url}
        )
        application = create_app(
            settings,
            TESTING=True,
            # Cheap hashing keeps the suite fast; production uses Argon2's defaults.
            ARGON2_PARAMETERS={"time_cost": 1, "memory_cost": 64},
        )
        with application.app_context():
            from flask_migrate import upgrade

            upgrade()
        yield application
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def database(app: Flask) -> Iterator[None]:
    """An app context on an empty (migrated) database; emptied again afterwards."""
    limiter.reset()
    app.extensions["uncommitted"] = []
    with app.app_context():
        yield
        assert app.extensions["uncommitted"] == [], "a request left changes uncommitted"
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()


class AuditingClient(FlaskClient):
    """Every HTML page it receives is checked (see tests/audit.py)."""

    expected_lang: str | None = None

    def open(self, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        # Each request gets its own app context (so its own `g` and database session), as
        # in production; otherwise it would share the test's and see its leftovers.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        if response.mimetype == "text/html" and response.status_code not in (204, 302):
            audit_html(response.get_data(as_text=True), expected_lang=self.expected_lang)
        return response

    def csrf_token(self, url: str, **kwargs: Any) -> str:
        page = self.get(url, **kwargs)
        match = CSRF_INPUT.search(page.get_data(as_text=True))
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def submit(self, url: str, data: dict[str, Any], *, from_url: str | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
        """Post a form as a browser would: with the token from the page it is on."""
        token = self.csrf_token(from_url or url, headers=kwargs.get("headers"))
        return self.post(url, data={**data, "csrf_token": token}, **kwargs)


@pytest.fixture
def client(app: Flask, database: None) -> FlaskClient:
    app.test_client_class = AuditingClient
    return app.test_client()


@pytest.fixture
def make_client(app: Flask, database: None):  # type: ignore[no-untyped-def]
    def factory() -> AuditingClient:
        app.test_client_class = AuditingClient
        return app.test_client()  # type: ignore[return-value]

    return factory
