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


def test_authenticator_keys_are_sealed_in_the_database_and_opened_on_downgrade(
    app, database
) -> None:
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from tests import factories

    person = factories.staff(factories.authority(), enrolled=True)
    db.session.commit()
    stored = text("SELECT totp_secret FROM staff_user WHERE id = :id")
    sealed = db.session.scalar(stored, {"id": person.id})
    assert factories.TOTP_SECRET not in sealed
    db.session.expire_all()
    assert db.session.get(type(person), person.id).totp_secret == factories.TOTP_SECRET
    db.session.remove()

    # A database from before sealing holds keys in plain text; upgrading seals them.
    downgrade(revision="0003_staff_workspace")
    assert db.session.scalar(stored, {"id": person.id}) == factories.TOTP_SECRET
    db.session.remove()
    upgrade()
    resealed = db.session.scalar(stored, {"id": person.id})
    assert resealed != factories.TOTP_SECRET and factories.TOTP_SECRET not in resealed
    assert db.session.get(type(person), person.id).totp_secret == factories.TOTP_SECRET
