"""Every query is scoped to the signed-in person's local authority, in one place.

Once a request knows whose it is (a child's invitation or a member of staff), every
ORM query, update and delete on a record that belongs to an authority gets
``local_authority_id = <theirs>`` added by SQLAlchemy itself. New code cannot forget
the filter: it would have to go out of its way to avoid it. The data layer still
narrows further (an IRO's own caseload, a child's own consultation).
"""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.orm.util import LoaderCriteriaOption
from sqlalchemy.sql.base import Executable

from portal.data.tenant_scope import TENANT_KEY, current_tenant
from portal.extensions import REUSED_STATEMENT
from portal.models import (
    AnswerAudienceChange,
    AuditEvent,
    Child,
    Consultation,
    ContactSignInLink,
    Delivery,
    Document,
    DocumentReading,
    DocumentResponse,
    DocumentTie,
    DocumentTranslation,
    DocumentVersion,
    ImportBatch,
    Invitation,
    LocalAuthority,
    Review,
    ReviewFeedback,
    ReviewStatusChange,
    StaffUser,
)

OWNED_BY_AN_AUTHORITY: tuple[type[Any], ...] = (
    Child,
    Review,
    Invitation,
    Consultation,
    StaffUser,
    AuditEvent,
    ReviewStatusChange,
    Delivery,
    ImportBatch,
    AnswerAudienceChange,
    ContactSignInLink,
    Document,
    DocumentVersion,
    DocumentTranslation,
    DocumentTie,
    DocumentReading,
    DocumentResponse,
    ReviewFeedback,
)


def set_tenant(local_authority_id: int) -> None:
    g.setdefault(TENANT_KEY, local_authority_id)


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: ORMExecuteState) -> None:
    tenant = current_tenant()
    if tenant is None or state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = scoped(state.statement, tenant)


# A statement built once and marked as reused (portal.extensions.reused) gets its scope
# added once per authority and kept: adding the options makes a new statement whose
# cache key SQLAlchemy must work out again on every run, which cost more than the query.
# The kept statement is the very one that would be built each time (the same options on
# the same statement), so nothing changes but the work. Keys hold the statement itself,
# so an id is never reused by another; the limit is a guard against a statement marked
# by mistake: beyond it, statements are scoped afresh each time, as unmarked ones are.
_SCOPED: dict[tuple[int, Executable], Executable] = {}
_SCOPED_LIMIT = 1024


def scoped(statement: Executable, tenant: int) -> Executable:
    """``statement`` with ``tenant``'s scope: every authority-owned table it touches is
    narrowed to that authority's rows."""
    if not statement.get_execution_options().get(REUSED_STATEMENT):
        return statement.options(*tenant_criteria(tenant))
    key = (tenant, statement)
    found = _SCOPED.get(key)
    if found is None:
        found = statement.options(*tenant_criteria(tenant))
        if len(_SCOPED) < _SCOPED_LIMIT:
            _SCOPED[key] = found
    return found


# One tuple of options per authority, built once a process: building ten loader
# criteria (each analyses its lambda) cost more than running a page's queries. The
# options hold nothing but the authority's id, so sharing them between threads and
# requests is safe; there are only ever as many as there are authorities.
_CRITERIA: dict[int, tuple[LoaderCriteriaOption, ...]] = {}


def tenant_criteria(tenant: int) -> tuple[LoaderCriteriaOption, ...]:
    """The loader criteria that scope every ORM statement to ``tenant``."""
    found = _CRITERIA.get(tenant)
    if found is None:
        found = _CRITERIA[tenant] = _build_criteria(tenant)
    return found


def _build_criteria(tenant: int) -> tuple[LoaderCriteriaOption, ...]:
    options = [
        with_loader_criteria(
            model, lambda cls: cls.local_authority_id == tenant, include_aliases=True
        )
        for model in OWNED_BY_AN_AUTHORITY
    ]
    options.append(
        with_loader_criteria(LocalAuthority, lambda cls: cls.id == tenant, include_aliases=True)
    )
    return tuple(options)
