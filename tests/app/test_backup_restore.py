"""The backup in docs/backup.md restores: every consultation and answer comes back exactly.

This runs the real tools the IT team runs (pg_dump, createdb, pg_restore, dropdb) against
the database the suite is using, restores into a fresh database beside it, compares, and
drops that database again. PostgreSQL only (the `postgres` mark): the SQLite pass leaves it
out, and the PostgreSQL pass runs it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from portal.extensions import db
from tests import factories
from tests.conftest import IN_CI
from tests.journeys import child_signs_in

TOOLS = ("pg_dump", "pg_restore", "createdb", "dropdb")
pytestmark = pytest.mark.postgres

ARABIC = "أريد أن أبقى مع أخي، وأحب مدرستي كثيرًا 🏫"
TIGRINYA = "ምስ ሓወይ ክነብር እደሊ። ቤት ትምህርተይ ይፈቱ እየ። 🙂"
EMOJI = "😀👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 and a flag 🇬🇧"
OVERRIDES = "file \u202egnp.exe\u202c, zero\u200bwidth\u200d and \u2067إلى\u2069 ok"
LONG = ("Paragraph ٢ ✨ " * 1000)[:10_000]


@pytest.fixture
def suite_database(app: Flask, database: None) -> URL:
    """The PostgreSQL database the suite runs on (DATABASE_URL), as a URL for libpq."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"PostgreSQL client tools missing: {', '.join(missing)} (postgresql-client)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return url.set(drivername="postgresql")


def _libpq_environment(url: URL) -> dict[str, str]:
    """Where the server is, as the PostgreSQL tools read it (no password on a command line)."""
    env = {**os.environ}
    for name, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
    ):
        if value is not None:
            env[name] = str(value)
    return env


def _run(*command: str, env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr}"


@pytest.fixture
def restore_database(suite_database: URL) -> Iterator[URL]:
    """A fresh, empty database next to the suite's, dropped afterwards whatever happens."""
    name = f"{suite_database.database}_restore_{secrets.token_hex(4)}"
    env = _libpq_environment(suite_database)
    _run("createdb", name, env=env)
    try:
        yield suite_database.set(database=name)
    finally:
        _run("dropdb", "--if-exists", name, env=env)


def _everything_in(url: URL) -> dict[str, list[dict[str, object]]]:
    """Every row of the consultations, answers and the schema version, in a fixed order."""
    engine = create_engine(url.set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            return {
                table: [dict(row._mapping) for row in connection.execute(text(query))]
                for table, query in {
                    "consultation": "SELECT * FROM consultation ORDER BY id",
                    "answer": "SELECT * FROM answer ORDER BY id",
                    "alembic_version": "SELECT version_num FROM alembic_version",
                }.items()
            }
    finally:
        engine.dispose()


def _children_have_their_say(make_client) -> None:  # type: ignore[no-untyped-def]
    """Three children answer through the portal, in Arabic, Tigrinya and English."""
    for language, views in (
        ("ar", {"working_well": ARABIC, "worried_about": OVERRIDES, "needs_to_happen": EMOJI}),
        ("ti", {"working_well": TIGRINYA, "worried_about": LONG, "needs_to_happen": ARABIC}),
        ("en_GB", {"working_well": EMOJI, "worried_about": TIGRINYA}),
    ):
        *_rest, issued = factories.world(language=language)
        child = make_client()
        first = child_signs_in(child, issued)
        cid = first.split("/")[2]
        saved = child.submit(f"/consultation/{cid}/your_views", views, from_url=first)
        assert saved.status_code == 302, saved.get_data(as_text=True)
        child.submit(f"/consultation/{cid}/home", {"feel_safe_home": "no"}, from_url=first)
        child.submit(f"/consultation/{cid}/only_for_iro", {"only_for_iro": LONG}, from_url=first)


def test_a_custom_format_dump_restores_every_consultation_and_answer_exactly(
    make_client, suite_database: URL, restore_database: URL, tmp_path: Path
) -> None:
    _children_have_their_say(make_client)
    db.session.commit()  # nothing of ours open while the dump is taken
    before = _everything_in(suite_database)
    assert len(before["consultation"]) == 3
    # Saved exactly in the first place: views, "not safe at home", and words only for the IRO.
    assert {ARABIC, TIGRINYA, EMOJI, OVERRIDES, LONG} <= {a["value"] for a in before["answer"]}
    assert len(before["answer"]) == 5 + 5 + 4

    # The commands in docs/backup.md: a custom-format dump, then a restore into a new database.
    dump = tmp_path / "portal.dump"
    env = _libpq_environment(suite_database)
    _run("pg_dump", "--format=custom", f"--file={dump}", str(suite_database.database), env=env)
    assert dump.stat().st_size > 0
    _run(
        "pg_restore",
        "--no-owner",
        "--exit-on-error",
        f"--dbname={restore_database.database}",
        str(dump),
        env=env,
    )

    # Then, as after any restore, the schema is brought up to the release's (a no-op here).
    upgraded = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "portal", "db", "upgrade"],
        env={
            **os.environ,
            "PORTAL_ENV": "test",
            "DATABASE_URL": restore_database.render_as_string(hide_password=False),
        },
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert upgraded.returncode == 0, upgraded.stderr

    after = _everything_in(restore_database)
    assert after["alembic_version"] == before["alembic_version"] != []
    assert after["consultation"] == before["consultation"]
    assert after["answer"] == before["answer"]
    assert sum(a["value"] == LONG for a in after["answer"]) == 4
    assert len(LONG) == 10_000
