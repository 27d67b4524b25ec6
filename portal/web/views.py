"""Pages every area shares: language choice, leaving quickly, keeping a session alive."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, g, redirect, request, session, url_for

from portal.data import sign_in_sessions
from portal.extensions import db
from portal.web import people
from portal.web.readiness import database_answers, redis_answers

bp = Blueprint("frame", __name__)

NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


def _safe_next(target: str | None) -> str:
    """Only paths on this site: never an open redirect."""
    if not target:
        return url_for("families.sign_in.enter_code")
    parts = urlsplit(target)
    # Browsers read a backslash as a slash, so "/\\evil.example" would leave the site.
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(ch) < 32 for ch in target)
    ):
        return url_for("families.sign_in.enter_code")
    return target


@bp.get("/language/<code>")
def choose_language(code: str) -> Response:
    if code in current_app.extensions["portal_languages"]:
        session[people.CHOSEN_LOCALE] = code
    return redirect(_safe_next(request.args.get("next")))  # type: ignore[return-value]


@bp.get("/leave")
def leave() -> Response:
    """Quick exit: end the session, forget everything, go somewhere neutral."""
    people.sign_out(forget_everything=True)
    response = redirect(current_app.config.get("NEUTRAL_EXIT_URL", NEUTRAL_SITE))
    # Browsers that support it also drop this site's cache and cookies, so Back shows nothing.
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response  # type: ignore[return-value]


@bp.post("/session/keep-alive")
def keep_alive() -> tuple[str, int]:
    sign_in_token = session.get(people.SESSION_TOKEN)
    if (g.get("invitation") is None and g.get("staff_user") is None) or not sign_in_token:
        return "", 401
    found, _ = sign_in_sessions.live_session(sign_in_token, timedelta(days=1))
    if found is not None:
        sign_in_sessions.touch(found)
        db.session.commit()
    return "", 204


@bp.get("/healthz")
def health() -> tuple[str, int]:
    """Alive: the process answers. Whether it can serve anyone is /readyz."""
    return "ok", 200


@bp.get("/readyz")
def ready() -> tuple[dict[str, str], int]:
    """Ready to serve: the database answers, and Redis if the portal is set to use it."""
    checks = {"database": "ok" if database_answers() else "unavailable"}
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        checks["redis"] = "ok" if redis_answers(redis_url) else "unavailable"
    # Checks other layers register (the task queue), so this layer need not import them.
    for name, answers in current_app.extensions.get("readiness_checks", {}).items():
        checks[name] = "ok" if answers() else "unavailable"
    ready = all(state == "ok" for state in checks.values())
    return {"status": "ready" if ready else "not ready", **checks}, 200 if ready else 503
