"""The schema comes only from migrations, and they match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db


def test_models_and_migrations_agree(app, database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "run `flask --app portal db migrate` and review the result"


def test_text_in_any_script_round_trips_through_the_database(app, database) -> None:
    from portal.models import LocalAuthority

    name = "ትግርኛ العربية 😀 \u202eRLO"
    db.session.add(
        LocalAuthority(
            slug="x",
            name=name,
            service_name=name,
            iro_team_phone="1",
            iro_team_email="x@example",
            advocacy_service_name="a",
            advocacy_phone="2",
        )
    )
    db.session.commit()
    db.session.expire_all()
    assert db.session.query(LocalAuthority).one().name == name
