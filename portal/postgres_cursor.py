"""A psycopg cursor whose column descriptions are made only when someone reads them.

psycopg builds a ``Column`` object for every column of every result as soon as
``cursor.description`` is read, and SQLAlchemy reads it after every statement. But for
a statement it has run before (every page's are), SQLAlchemy keeps what it learnt of
the columns from the first run and only asks whether there is a description and how
long it is. A page's 90-odd columns were made and thrown away on every request, about
a fifteenth of its CPU time on PostgreSQL (``bench/hot_path.py --postgresql``).

Here ``description`` answers those questions at once and makes the ``Column`` objects,
the very ones psycopg makes, the first time anyone looks inside. They are made from the
result the description was taken of, so reading it after the cursor has moved on to
another statement still describes the first. ``tests/app/test_postgres_cursor.py``
checks it against psycopg's own description, so an upgrade of psycopg that changes how
columns are described fails there rather than in production.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

import psycopg
from psycopg import pq
from psycopg._column import Column

_ROWS = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.SINGLE_TUPLE, pq.ExecStatus.TUPLES_CHUNK)


class _ResultTaken:
    """What ``Column`` reads of a cursor, as it was when the description was taken."""

    __slots__ = ("_encoding", "adapters", "pgresult")

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self.pgresult = cursor.pgresult
        self._encoding = cursor._encoding
        self.adapters = cursor.adapters


class LazyDescription(Sequence[Column]):
    __slots__ = ("_columns", "_count", "_taken")

    def __init__(self, cursor: psycopg.Cursor[Any], count: int) -> None:
        self._taken = _ResultTaken(cursor)
        self._count = count
        self._columns: list[Column] | None = None

    def _made(self) -> list[Column]:
        if self._columns is None:
            self._columns = [Column(self._taken, n) for n in range(self._count)]  # type: ignore[arg-type]
        return self._columns

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Column: ...
    @overload
    def __getitem__(self, index: slice) -> list[Column]: ...
    def __getitem__(self, index: int | slice) -> Column | list[Column]:
        return self._made()[index]

    def __iter__(self) -> Iterator[Column]:
        return iter(self._made())

    def __repr__(self) -> str:
        return repr(self._made())


class LazyDescriptionCursor(psycopg.Cursor[Any]):
    @property
    def description(self) -> LazyDescription | None:  # type: ignore[override]
        result = self.pgresult
        # As psycopg's own: a description if the result has columns, or is rows of none.
        if result and (result.nfields or result.status in _ROWS):
            return LazyDescription(self, result.nfields)
        return None
