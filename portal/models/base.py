"""What every model is built on: UTC datetimes, sealed columns and the declarative base."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import DateTime, String, TypeDecorator
from sqlalchemy.engine import Dialect

from portal.domain.sealing import SecretBox
from portal.extensions import db

if TYPE_CHECKING:  # db.Model is built at run time; to a type checker it is our Base.
    from portal.extensions import Base as Model
else:
    Model = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use portal.models.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Sealed(TypeDecorator[str]):
    """Text encrypted before it is written and opened when read (see portal.domain.sealing)."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else _secret_box().seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else _secret_box().open(value)


def _secret_box() -> SecretBox:
    box: SecretBox = current_app.extensions["secret_box"]
    return box
