"""The portal's PostgreSQL cursors describe their columns only when asked
(portal.postgres_cursor), and then exactly as psycopg's own cursors do."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from flask import Flask

from portal.extensions import db
from portal.postgres_cursor import LazyDescriptionCursor

pytestmark = pytest.mark.postgres

# Columns of many kinds, one without a name, a null: whatever psycopg says of each.
MIXED = (
    "SELECT 1 AS whole, 'تقرير'::text AS words, 12.50::numeric(10, 2) AS money,"
    " now() AS moment, true AS yes, NULL::varchar(20) AS nothing, 2 + 2,"
    " ARRAY[1, 2] AS many"
)


def _conninfo(app: Flask) -> str:
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    assert url.startswith("postgresql"), "run with DATABASE_URL=postgresql://..."
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _described(description: Any) -> list[tuple[Any, ...]]:
    return [
        (
            column.name,
            column.type_code,
            column.display_size,
            column.internal_size,
            column.precision,
            column.scale,
            column.null_ok,
            tuple(column),
        )
        for column in description
    ]


def test_the_portals_connections_use_the_lazy_cursor(app: Flask, database: None) -> None:
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        assert isinstance(cursor, LazyDescriptionCursor)
    finally:
        connection.close()


def test_columns_are_described_as_psycopg_describes_them(app: Flask, database: None) -> None:
    conninfo = _conninfo(app)
    with (
        psycopg.connect(conninfo) as plain,
        psycopg.connect(conninfo, cursor_factory=LazyDescriptionCursor) as lazy,
    ):
        expected = plain.execute(MIXED).description
        got = lazy.execute(MIXED).description
        assert expected is not None and got is not None
        assert len(got) == len(expected) == 8
        assert _described(got) == _described(expected)
        assert _described(got[-3:]) == _described(expected[-3:])
        assert got[6].name == "?column?"
        assert [column.name for column in got][:2] == ["whole", "words"]


def test_a_description_kept_describes_its_own_result(app: Flask, database: None) -> None:
    with psycopg.connect(_conninfo(app), cursor_factory=LazyDescriptionCursor) as lazy:
        cursor = lazy.cursor()
        first = cursor.execute("SELECT 1 AS one, 'a' AS letter").description
        cursor.execute("SELECT 2.5::float8 AS other")
        assert first is not None
        assert [(c.name, c.type_code) for c in first] == [("one", 23), ("letter", 25)]
        assert [c.name for c in cursor.description or []] == ["other"]


def test_statements_without_rows_have_no_description(app: Flask, database: None) -> None:
    with psycopg.connect(_conninfo(app), cursor_factory=LazyDescriptionCursor) as lazy:
        cursor = lazy.cursor()
        cursor.execute("CREATE TEMPORARY TABLE scratch (n int)")
        assert cursor.description is None
        cursor.execute("INSERT INTO scratch VALUES (1)")
        assert cursor.description is None
        empty = cursor.execute("SELECT").description
        assert empty is not None and len(empty) == 0 and list(empty) == []
        rows = cursor.execute("SELECT n FROM scratch").fetchall()
        assert rows == [(1,)]
