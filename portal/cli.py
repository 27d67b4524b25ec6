"""Commands for operators: `flask --app portal seed-demo`."""

from __future__ import annotations

import click
from flask import Flask, current_app

from portal import demo


def init_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
    def seed_demo_command(base_url: str) -> None:
        """Create fictional demo data and print how to sign in."""
        if current_app.config["PORTAL_ENV"] not in ("development", "test"):
            raise click.ClickException(
                "The demo has fixed codes and passwords: run it only with PORTAL_ENV=development."
            )
        hasher = current_app.extensions["secret_hasher"]
        created = demo.seed_demo(
            code_key=current_app.config["SECRET_KEY"],
            password_hash=hasher.hash_password(demo.DEMO_STAFF_PASSWORD),
        )
        click.echo("Demo data created." if created else "Demo data was already there.")
        click.echo(demo.sign_in_guide(base_url))
