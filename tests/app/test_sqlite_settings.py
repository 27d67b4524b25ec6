"""SQLite, the demo's database, keeps a write-ahead log with every commit synced to disk:
readers are not blocked by a save, and an answer reported saved survives a power cut."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from portal.extensions import db

pytestmark = pytest.mark.sqlite


def test_each_sqlite_connection_logs_ahead_and_syncs_every_commit(
    app: Flask, database: None
) -> None:
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_a_reader_is_not_blocked_while_another_connection_writes(
    app: Flask, database: None
) -> None:
    with db.engine.connect() as writer, db.engine.connect() as reader:
        writer.execute(text("CREATE TABLE IF NOT EXISTS scratch_wal (n INTEGER)"))
        writer.commit()
        writer.execute(text("INSERT INTO scratch_wal VALUES (1)"))  # a write not yet committed
        # With a rollback journal this read would wait for the writer (then time out).
        assert reader.execute(text("SELECT count(*) FROM scratch_wal")).scalar() == 0
        writer.commit()
        assert reader.execute(text("SELECT count(*) FROM scratch_wal")).scalar() in (0, 1)
        reader.rollback()
        assert reader.execute(text("SELECT count(*) FROM scratch_wal")).scalar() == 1
        writer.execute(text("DROP TABLE scratch_wal"))
        writer.commit()


def test_the_daily_deletion_also_gathers_sqlites_statistics(app: Flask, database: None) -> None:
    """Its planner uses indexes well only with them (the figures read indexes, not rows)."""
    from tests import factories

    factories.world()
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS sqlite_stat1"))
    result = app.test_cli_runner().invoke(args=["delete-expired"])
    assert result.exit_code == 0, result.output
    with db.engine.connect() as connection:
        analysed = set(connection.execute(text("SELECT tbl FROM sqlite_stat1")).scalars())
    assert {"invitation", "review", "child"} <= analysed
