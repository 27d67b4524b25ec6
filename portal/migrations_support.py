"""Keep migrations free of imports from the models they are a history of."""

from __future__ import annotations

from typing import Any

from sqlalchemy import TypeDecorator


def render_migration_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # A TypeDecorator is Python-side behaviour; the database only sees its impl.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False
