"""Error pages in the person's language, never a stack trace."""

from __future__ import annotations

from contextlib import suppress

from flask import Flask, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from portal.extensions import db


def message_page(status: int, title: str, message: str) -> tuple[str, int]:
    """A page with a heading and one message, in the person's language."""
    return render_template("frame/error.html", title=title, message=message), status


def _forget_the_database() -> None:
    """Nothing of this request may reach the database again, which may be down."""
    with suppress(SQLAlchemyError):
        db.session.rollback()
    g.database_unavailable = True
    g.invitation = None
    g.staff_user = None
    g.pop("page_frame", None)


def init_errors(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(error: HTTPException) -> tuple[str, int]:
        return message_page(
            400,
            _("Something went wrong with that request"),
            _("Go back, check what you entered and try again."),
        )

    @app.errorhandler(CSRFError)
    def form_expired(error: CSRFError) -> ResponseReturnValue:
        recover = app.extensions.get("unaccepted_posts", {}).get(request.endpoint)
        if recover is not None and request.view_args is not None:
            return recover(request.view_args)
        return message_page(
            400,
            _("This page timed out"),
            _(
                "For your safety, pages stop working after a while. Go back, refresh "
                "the page and try again."
            ),
        )

    @app.errorhandler(403)
    @app.errorhandler(404)
    def not_found(error: HTTPException) -> tuple[str, int]:
        # 403 is shown as 404 too: it should not reveal that something exists.
        return message_page(
            404, _("Page not found"), _("If you typed the web address, check it is correct.")
        )

    @app.errorhandler(405)
    def not_allowed(error: HTTPException) -> tuple[str, int]:
        return message_page(
            405, _("Page not found"), _("If you typed the web address, check it is correct.")
        )

    @app.errorhandler(409)
    def conflict(error: HTTPException) -> tuple[str, int]:
        return message_page(
            409,
            _("That has already changed"),
            _("Someone may have changed it at the same time. Go back and check it again."),
        )

    @app.errorhandler(413)
    def too_large(error: HTTPException) -> tuple[str, int]:
        return message_page(
            413,
            _("That was too much to send at once"),
            _("Go back and make your answer shorter, then try again."),
        )

    @app.errorhandler(429)
    def too_many(error: HTTPException) -> tuple[str, int]:
        return message_page(
            429,
            _("Too many tries"),
            _("Wait 15 minutes and try again. If you need help now, contact your IRO."),
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error: Exception) -> tuple[str, int]:
        # Drawn from the request alone: the frame must not ask the database again.
        _forget_the_database()
        show_back = app.extensions.get("when_database_unavailable", {}).get(request.endpoint)
        if request.method == "POST" and show_back is not None and request.view_args is not None:
            page = show_back(request.view_args)
            if page is not None:
                return page, 503
        return message_page(
            503,
            _("Sorry, the service is not available just now"),
            _("Nothing you saved before is lost. Wait a minute and try again."),
        )

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        _forget_the_database()
        return message_page(
            500,
            _("Sorry, there is a problem with the service"),
            _("Your saved answers are safe. Try again later."),
        )
