"""The participation portal: an app factory and nothing else."""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from babel import numbers
from babel.support import NullTranslations
from flask import Flask, g, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from portal.config import PROJECT_ROOT, Settings
from portal.domain import languages
from portal.domain.credentials import SecretHasher
from portal.domain.sealing import SecretBox
from portal.extensions import babel, csrf, db, limiter, migrate
from portal.migrations_support import render_migration_item
from portal.web import errors, frame_parts, people, security
from portal.web.keys import secret_keys
from portal.web.request_log import init_request_log
from portal.web.request_transactions import init_request_transactions


class _RedactTokens(logging.Filter):
    """Personal-link tokens must never reach a log line."""

    _token = re.compile(r"(/i/)[A-Za-z0-9_\-]+")

    def _redact(self, value: object) -> object:
        return self._token.sub(r"\1[redacted]", value) if isinstance(value, str) else value

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._redact(record.msg)
        # Werkzeug logs with a tuple of arguments, gunicorn's access log with a dict.
        if isinstance(record.args, dict):
            record.args = {key: self._redact(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(self._redact(value) for value in record.args)
        return True


class RecordIdConverter(IntegerConverter):
    """Record ids in URLs, bounded so a huge number is a 404, not a database error."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=2**31 - 1)


def _static_version(static_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(static_dir.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    settings = settings or Settings.from_environment()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings.flask_config())
    app.config.update(overrides)
    app.extensions["secret_hasher"] = SecretHasher(
        pepper_keys=secret_keys(app.config), **app.config.get("ARGON2_PARAMETERS", {})
    )
    app.extensions["secret_box"] = SecretBox(secret_keys(app.config))
    ready = languages.readiness(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    app.extensions["portal_languages"] = {code: languages.describe(code) for code in ready.families}
    app.extensions["staff_languages"] = {code: languages.describe(code) for code in ready.staff}
    app.config["STATIC_VERSION"] = _static_version(Path(app.static_folder or "static"))

    if settings.trusted_proxy_hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_proxy_hops, x_proto=settings.trusted_proxy_hops
        )
    app.url_map.converters["id"] = RecordIdConverter
    db.init_app(app)
    init_request_transactions(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        compare_type=True,
        render_as_batch=True,  # SQLite can only alter tables by copying them
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    # Templates call gettext dozens of times a page; look the catalogue up once a request.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        _page_gettext, _page_ngettext, newstyle=True
    )
    # The same, called directly: `_` no longer goes through jinja's alias and wrapper.
    app.jinja_env.globals.update(
        _=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext
    )

    logging.getLogger("werkzeug").addFilter(_RedactTokens())
    logging.getLogger("gunicorn.access").addFilter(_RedactTokens())

    security.init_security(app)
    init_request_log(app)
    errors.init_errors(app)
    app.before_request(people.load_signed_in_person)
    app.context_processor(_page_context)
    app.jinja_env.globals.update(
        asset=_asset_url,
        phone_link=frame_parts.phone_link,
        language_items=frame_parts.language_items,
    )
    app.jinja_env.filters.update(
        format_review_date=lambda day: _in_own_digits(format_date(day, format="long")),
        format_when=lambda moment: _in_own_digits(format_datetime(moment, format="medium")),
        language_name=_language_name,
        format_decimal=_format_decimal,
        # A name in another script inside a sentence must not reorder the words around it.
        isolate=lambda value: Markup("<bdi>{}</bdi>").format(value),
    )

    from portal import cli, cli_translation
    from portal.families import bp as families_bp
    from portal.staff import bp as staff_bp
    from portal.web.views import bp as frame_bp

    app.register_blueprint(frame_bp)
    app.register_blueprint(families_bp)
    app.register_blueprint(staff_bp)
    cli.init_cli(app)
    cli_translation.init_translation_cli(app)
    from portal.notifications.queue import queue_answers

    app.extensions.setdefault("readiness_checks", {})["queue"] = lambda: queue_answers(app)
    if app.testing:
        app.teardown_request(_note_uncommitted_changes)
    return app


def _note_uncommitted_changes(_error: BaseException | None) -> None:
    """Transactions are explicit: tests fail if a request leaves changes unsaved."""
    from flask import current_app

    pending = db.session.new | db.session.dirty | db.session.deleted
    if pending:
        current_app.extensions.setdefault("uncommitted", []).append(
            (request.path, sorted(type(o).__name__ for o in pending))
        )


def _page_translations() -> NullTranslations:
    translations = g.get("page_translations")
    if translations is None:
        translations = g.page_translations = get_translations()
    return translations


def _page_gettext(message: str) -> str:
    return _page_translations().ugettext(message)


def _page_ngettext(singular: str, plural: str, count: int) -> str:
    return _page_translations().ungettext(singular, plural, count)


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    """jinja2.ext.i18n's "newstyle" gettext, without its two extra calls a string."""
    translations = _page_translations()
    if not variables and eval_ctx.autoescape:
        # Most of a page's messages have no variables: each is the same Markup every
        # time in a language, so it is looked up and formatted once per catalogue.
        kept = _plain_messages(translations)
        found = kept.get(string)
        if found is None:
            found = kept[string] = Markup(translations.ugettext(string)) % {}  # noqa: S704 - the catalogue, trusted as jinja does
        return found
    translated = translations.ugettext(string)
    if eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704 - the catalogue, trusted as jinja does
    # Always a format string, with or without variables, as in jinja's newstyle gettext.
    return translated % variables


def _plain_messages(translations: NullTranslations) -> dict[str, Markup]:
    """The messages without variables of one catalogue, as shown: one dict per catalogue
    (Flask-Babel keeps a catalogue per language for the app's life)."""
    kept: dict[str, Markup] | None = getattr(translations, "_portal_plain_messages", None)
    if kept is None:
        kept = {}
        translations._portal_plain_messages = kept  # type: ignore[attr-defined]
    return kept


@pass_eval_context
def _template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    translated = _page_translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704 - the catalogue, trusted as jinja does
    return translated % variables


def _format_decimal(number: Any, format: str | None = None) -> str:
    """Flask-Babel's format_decimal, remembered: each page shows "page 3 of 12"."""
    if format is not None:
        return format_decimal(number, format)
    return _decimal_in(number, str(get_locale() or languages.DEFAULT_LOCALE))


@lru_cache(maxsize=4096)
def _decimal_in(number: Any, locale: str) -> str:
    return languages.native_digits(locale, numbers.format_decimal(number, locale=locale))


def _in_own_digits(text: str) -> str:
    """Dates in the page's own digits (Persian for Dari, Farsi and Pashto)."""
    return languages.native_digits(str(get_locale() or languages.DEFAULT_LOCALE), text)


def _select_locale() -> str:
    from flask import current_app

    # Staff pages only in a language whose every message is translated; families' pages
    # in any whose public messages are (portal.domain.languages).
    offered = current_app.extensions[
        "staff_languages" if _audience() == "staff" else "portal_languages"
    ]
    for key in (people.CHOSEN_LOCALE, people.INVITATION_LOCALE):
        chosen = session.get(key)
        if chosen in offered:
            return str(chosen)
    accepted = [value for value, _quality in request.accept_languages]
    return languages.best_match(accepted, offered) or languages.DEFAULT_LOCALE


def _page_context() -> dict[str, Any]:
    from flask import current_app

    from portal.web.page import page_context

    audience = _audience()
    offered = current_app.extensions[
        "staff_languages" if audience == "staff" else "portal_languages"
    ]
    code = str(get_locale() or languages.DEFAULT_LOCALE)
    language = offered.get(code) or languages.describe(code)
    frame = page_context()
    authority = frame["local_authority"]
    if authority is not None and g.get("staff_user") is None:
        # Children and families see the languages their authority offers (and the one
        # they are reading now); staff may use any the portal has.
        enabled = set(authority.enabled_languages.split()) | {languages.DEFAULT_LOCALE, code}
        offered = {key: value for key, value in offered.items() if key in enabled}
    return {
        # The objects themselves rather than Flask's proxies to them: a page reads
        # request, session and g a hundred times, each time through the proxy otherwise.
        "request": cast(Any, request)._get_current_object(),
        "session": cast(Any, session)._get_current_object(),
        "g": cast(Any, g)._get_current_object(),
        "languages": offered,
        "language": language,
        "static_version": current_app.config["STATIC_VERSION"],
        "signed_in_invitation": g.get("invitation"),
        "signed_in_staff": g.get("staff_user"),
        "audience": audience,
        "staff_can": _staff_can,
        "view_endpoints": current_app.view_functions,
        **frame,
    }


def _audience() -> str:
    """Whose page this is, from the blueprint that drew it: "staff" or "families"."""
    blueprint = request.blueprint or ""
    if blueprint == "staff" or blueprint.startswith("staff."):
        return "staff"
    if not blueprint and g.get("staff_user") is not None:
        return "staff"  # an error page, shown to someone signed in as staff
    return "families"


def _staff_can(capability: str) -> bool:
    from portal.domain.access import Capability, can

    staff = g.get("staff_user")
    return staff is not None and can(staff.role, Capability(capability))


def _asset_url(filename: str) -> str:
    """A static file's versioned URL, without url_for's work on every page."""
    from flask import current_app

    version = current_app.config["STATIC_VERSION"]
    return f"{request.script_root}/static/{filename}?v={version}"


def _language_name(code: str) -> str:
    """A language's name in the reader's language, e.g. "Arabic" on an English page."""
    from babel import Locale

    reader = get_locale() or Locale.parse(languages.DEFAULT_LOCALE)
    try:
        return Locale.parse(code).get_display_name(reader) or code
    except (ValueError, TypeError):
        return code
