"""Whether the services the portal depends on answer, for /readyz."""

from __future__ import annotations

from contextlib import suppress

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db


def database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        with suppress(SQLAlchemyError):
            db.session.rollback()
        return False


def redis_answers(url: str) -> bool:
    import redis  # installed with flask-limiter[redis]

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
