"""The signed-in person's authority, for the few statements no ORM hook sees.

portal.web.tenancy narrows every ORM statement to the signed-in person's authority by
itself. A few statements on the hottest path run as plain SQL on the session's
connection instead, because the ORM's work on them cost more than the statement
(portal.data.consultations). Each compares its table's authority with ``:tenant``
(``of_the_tenant``), and ``run_scoped`` binds it from the request: it refuses to run a
statement without that comparison, or a request that has no signed-in authority, so the
scope cannot be dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from flask import g, has_app_context
from sqlalchemy import ColumnElement, CursorResult, Select, Table, bindparam
from sqlalchemy.sql.dml import UpdateBase

from portal.extensions import db

TENANT_KEY = "local_authority_id"
TENANT_PARAMETER = "tenant"

Scopable = UpdateBase | Select[*tuple[Any, ...]]


class NoTenant(LookupError):
    """A scoped statement was asked to run where nobody's authority is known."""


def current_tenant() -> int | None:
    return g.get(TENANT_KEY) if has_app_context() else None


def of_the_tenant(table: Table) -> ColumnElement[bool]:
    """The condition that keeps ``table``'s rows to the signed-in person's authority."""
    return table.c.local_authority_id == bindparam(TENANT_PARAMETER)


def run_scoped(statement: Scopable, parameters: Mapping[str, Any]) -> CursorResult[Any]:
    """Run ``statement``, built with ``of_the_tenant``, for the signed-in authority only."""
    if TENANT_PARAMETER not in _parameters_of(statement):
        raise ValueError("a scoped statement must compare its authority with :tenant")
    tenant = current_tenant()
    if tenant is None:
        raise NoTenant("no signed-in authority to scope this statement to")
    return db.session.connection().execute(statement, {**parameters, TENANT_PARAMETER: tenant})


# Statements are built once, at import: each is checked once, not compiled every run.
@lru_cache(maxsize=64)
def _parameters_of(statement: Scopable) -> frozenset[str]:
    return frozenset(statement.compile().binds)
