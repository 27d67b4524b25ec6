"""Commands for operators: `flask --app portal seed-demo`, `demo-code`, `send-reminders`,
`reseal-secrets`, `reset-two-factor`, `delete-expired-parked-answers`, `delete-expired`,
`worker`, `participation-report`."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask, current_app

from portal import demo
from portal.domain import two_factor
from portal.domain.timescales import today_in_england


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
        # Kept data is the usual case (`make db` seeds, then every `make run` calls this):
        # say something only when something was made.
        if created:
            click.echo("Demo data created.")
        click.echo(demo.sign_in_guide(base_url))

    @app.cli.command("demo-code")
    def demo_code_command() -> None:
        """Print the demo staff accounts' current authenticator code."""
        if current_app.config["PORTAL_ENV"] not in ("development", "test"):
            raise click.ClickException("Only for the demo: run it with PORTAL_ENV=development.")
        step = two_factor.step_at(datetime.now(UTC))
        click.echo(two_factor.code_at(demo.DEMO_TOTP_SECRET, step))

    @app.cli.command("reseal-secrets")
    def reseal_secrets_command() -> None:
        """After a new SECRET_KEY: seal stored authenticator keys with it."""
        from portal.data.two_factor import reseal_all
        from portal.extensions import db

        count = reseal_all()
        db.session.commit()
        click.echo(f"Sealed {count} authenticator keys with the current SECRET_KEY.")

    @app.cli.command("reset-two-factor")
    @click.argument("email")
    def reset_two_factor_command(email: str) -> None:
        """Make a member of staff set up two-factor sign-in again at their next sign-in.

        For when no administrator can sign in to do it, for example after SECRET_KEY was
        changed without the old key in SECRET_KEY_FALLBACKS.
        """
        from portal.data import accounts, audit
        from portal.extensions import db
        from portal.models import AuditAction

        staff = accounts.staff_by_email(email)
        if staff is None:
            raise click.ClickException("No staff account has that email address.")
        accounts.reset_two_factor(staff)
        audit.record_by_operator(
            staff.local_authority_id,
            AuditAction.RESET_TWO_FACTOR,
            subject_type="staff_user",
            subject_id=staff.id,
        )
        db.session.commit()
        click.echo(f"{staff.email} will set up two-factor sign-in when they next sign in.")

    # Reminders before consultations are due (portal.notifications.reminders).
    @app.cli.command("send-reminders")
    @click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Act as if today were this day (YYYY-MM-DD). Default: today in the UK.",
    )
    def send_reminders_command(today: datetime | None) -> None:
        """Send the reminders due today, by email and text message, for cron.

        Each reminder goes at most once, even if two runs overlap. Invitations sent
        as printed letters are not reminded automatically: the IRO follows them up.
        """
        from portal.notifications.reminders import send_due_reminders

        day = today.date() if today else today_in_england()
        counts = send_due_reminders(day)
        click.echo(
            f"Reminders for {day.isoformat()}: {counts.queued} queued for the worker, "
            f"{counts.sent} sent, {counts.failed} failed, "
            f"{counts.already_sent} already sent before."
        )

    @app.cli.command("delete-expired-parked-answers")
    def delete_expired_parked_answers_command() -> None:
        """Delete answers kept from ended sessions once they are a day old, for cron.

        A child who signs in again within 24 hours gets them back; after that they are
        never shown, so there is no reason to keep them.
        """
        from portal.data.parked_answers import delete_expired_parked_answers
        from portal.extensions import db
        from portal.models import utcnow

        count = delete_expired_parked_answers(utcnow())
        db.session.commit()
        click.echo(f"Deleted {count} expired parked answers.")

    @app.cli.command("delete-expired")
    def delete_expired_command() -> None:
        """Delete what is past each authority's retention periods, for cron (daily).

        The periods are each authority's settings (portal.domain.retention explains the
        defaults). Each authority's deletions are one transaction, recorded in its audit
        trail with the counts only; an authority that fails is rolled back and reported,
        and the others still run.
        """
        from portal.data import audit
        from portal.data.retention import all_authorities, delete_expired
        from portal.extensions import db
        from portal.models import AuditAction, LocalAuthority, utcnow

        now = utcnow()
        failed = []
        for authority_id, slug in all_authorities():
            try:
                authority = db.session.get_one(LocalAuthority, authority_id)
                deleted = delete_expired(authority, now)
                event = audit.record_by_operator(
                    authority_id,
                    AuditAction.DELETED_EXPIRED,
                    subject_type="local_authority",
                    subject_id=authority_id,
                )
                event.detail = deleted.summary()
                db.session.commit()
            except Exception as error:
                db.session.rollback()
                failed.append(slug)
                click.echo(f"{slug}: nothing deleted ({type(error).__name__})", err=True)
            else:
                click.echo(f"{slug}: {deleted.summary()}")
        _refresh_sqlite_statistics()
        if failed:
            raise click.ClickException(f"Nothing was deleted for {', '.join(failed)}.")

    @app.cli.command("participation-report")
    @click.option("--from", "start", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
    @click.option("--to", "end", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
    @click.option("--format", "output", type=click.Choice(["json", "csv"]), default="json")
    @click.option("--authority", "slug", default=None, help="The authority's slug.")
    @click.option(
        "--definition",
        type=click.Choice(["participated", "views_conveyed", "attended"]),
        default=None,
        help="The participation rate to lead with. Default: the authority's choice.",
    )
    def participation_report_command(
        start: datetime, end: datetime, output: str, slug: str | None, definition: str | None
    ) -> None:
        """Print the annual report's participation figures for a period, beside the one
        before: every figure with its numerator, denominator and definition.

        Counts under 5 are printed: this is for the authority's own analysts. Anything
        published must go through the report page or its CSV, which suppress them.
        """
        from portal.cli_report import print_report

        try:
            click.echo(print_report(start.date(), end.date(), output, slug, definition), nl=False)
        except ValueError as error:
            raise click.ClickException(str(error)) from error

    # The worker that sends queued invitations, reminders and alerts (portal.notifications).
    @app.cli.command("worker")
    @click.option(
        "--workers",
        type=click.IntRange(1, 32),
        default=2,
        show_default=True,
        help="How many messages to send at the same time.",
    )
    def worker_command(workers: int) -> None:
        """Send the emails and text messages waiting in the queue, until stopped.

        Run it beside the web server (`make run` does). The queue is QUEUE_URL, else
        Redis at REDIS_URL, else a SQLite file beside the database. SIGTERM lets the
        messages being sent finish first.
        """
        from portal.notifications.queue import QueueError, run_worker

        try:
            run_worker(current_app._get_current_object(), workers=workers)  # type: ignore[attr-defined]
        except QueueError as error:
            raise click.ClickException(str(error)) from error


def _refresh_sqlite_statistics() -> None:
    """SQLite plans its queries from statistics that only ``ANALYZE`` gathers (with
    them, the participation figures read indexes instead of every invitation). Kept
    quick on a large file by sampling (``analysis_limit``). PostgreSQL gathers its own
    (autovacuum)."""
    from sqlalchemy import text

    from portal.extensions import db

    if db.engine.dialect.name == "sqlite":
        with db.engine.begin() as connection:
            connection.execute(text("PRAGMA analysis_limit=1000"))
            connection.execute(text("ANALYZE"))
