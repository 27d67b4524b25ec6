"""The floor: the least a signed-in form page can cost on the portal's stack.

Not the portal. A page that does only what any signed-in question page must, with the
libraries the portal is built on and nothing of its own: Flask reads the signed session
cookie; Flask-Babel chooses the language and translates the page's words; one
SQLAlchemy Core query finds the session by its token's digest, one more reads the
answers; Jinja draws a page the size of the consultation page (languages, questions
through a macro, footer) with Flask-WTF's CSRF token; the response gets security
headers. No ORM objects, no WTForms form, no tenancy, no audit, no idle-time check, no
request log. Saving the page is as bare: the CSRF check, the session found, the posted
answers written in one statement and one transaction, a redirect.

``make bench`` serves it beside the bare page and the portal, under the same gunicorn
settings and database, so floor/bare says how much of the ratio goal any page built on
this stack has to spend before it does anything of its own.

    FLOOR_DATABASE_URL=sqlite:////tmp/floor.sqlite3 gunicorn bench.floor_app:app
    curl -c jar http://127.0.0.1:8000/start && curl -b jar http://127.0.0.1:8000/page

``/start?child=N`` signs in as fictional child N (1 unless given): the load test
(``bench/load_test.py --floor``) gives each of its children their own session and answers.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, redirect, render_template, request, session
from flask_babel import Babel, gettext
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_hex(32),
    BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
)
CSRFProtect(app)
babel = Babel(app, locale_selector=lambda: session.get("locale", "en"))
_URL = os.environ.get("FLOOR_DATABASE_URL", "sqlite:///" + str(ROOT / "instance" / "floor.sqlite3"))
# The portal's driver for PostgreSQL (psycopg 3), whichever way the URL names it.
engine = create_engine(
    "postgresql+psycopg://" + _URL.split("://", 1)[1]
    if _URL.startswith(("postgres://", "postgresql://"))
    else _URL
)

TOKEN = "floor-session-token"  # noqa: S105 - fictional, for this bench page only
DIGEST = hashlib.sha256(TOKEN.encode()).hexdigest()
QUESTIONS = [
    ("how_are_you", "How are things at the moment?"),
    ("where_you_live", "What is it like where you live?"),
    ("family_time", "What do you think about family time?"),
    ("school", "How is school or college going?"),
    ("worries", "Is there anything you are worried about?"),
    ("the_meeting", "What would you like to happen at your review meeting?"),
]


def _tables() -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # gunicorn starts its workers at once, and PostgreSQL's CREATE TABLE IF NOT
            # EXISTS is not safe against itself: one worker at a time, until committed.
            connection.execute(text("SELECT pg_advisory_xact_lock(4817)"))
        connection.execute(
            text(
                "CREATE TABLE IF NOT EXISTS floor_session"
                " (digest VARCHAR(64) PRIMARY KEY, child INTEGER NOT NULL, last_seen VARCHAR(40))"
            )
        )
        connection.execute(
            text(
                "CREATE TABLE IF NOT EXISTS floor_answer (child INTEGER NOT NULL,"
                " question VARCHAR(40) NOT NULL, value TEXT, PRIMARY KEY (child, question))"
            )
        )
        connection.execute(
            text("INSERT INTO floor_session VALUES (:digest, 1, 'now') ON CONFLICT DO NOTHING"),
            {"digest": DIGEST},
        )
        connection.execute(
            text("INSERT INTO floor_answer VALUES (1, :key, :value) ON CONFLICT DO NOTHING"),
            [
                {"key": key, "value": "Fine, mostly. Some days are better than others."}
                for key, _question in QUESTIONS[:4]
            ],
        )


_tables()
_SESSION = text("SELECT child, last_seen FROM floor_session WHERE digest = :digest")
_ANSWERS = text("SELECT question, value FROM floor_answer WHERE child = :child")
LANGUAGES = [(f"l{n}", f"Language {n}", "ltr") for n in range(16)]

# A page the size of the consultation page, drawn the same way (macro, loops, gettext).
_TEMPLATE = app.jinja_env.from_string((Path(__file__).parent / "floor_page.html").read_text())
_CONTACTS = [("Your IRO:", "01234 567890"), ("Childline:", "0800 1111")]


_NEW_SESSION = text(
    "INSERT INTO floor_session VALUES (:digest, :child, 'now') ON CONFLICT (digest) DO NOTHING"
)
_SAVE = text(
    "INSERT INTO floor_answer VALUES (:child, :question, :value)"
    " ON CONFLICT (child, question) DO UPDATE SET value = excluded.value"
)


@app.get("/start")
def start() -> str:
    child = request.args.get("child", 1, type=int)
    token = TOKEN if child == 1 else f"{TOKEN}-{child}"
    if child != 1:
        with engine.begin() as connection:
            connection.execute(
                _NEW_SESSION, {"digest": hashlib.sha256(token.encode()).hexdigest(), "child": child}
            )
    session["sid"] = token
    return "signed in"


def _child(connection: Any) -> int:
    token = session.get("sid")
    if not token:
        abort(403)
    digest = hashlib.sha256(token.encode()).hexdigest()
    found = connection.execute(_SESSION, {"digest": digest}).first()
    if found is None:
        abort(403)
    return int(found.child)


@app.post("/page")
def save() -> Response:
    # CSRFProtect has checked the token before this runs, as Flask-WTF does on the portal.
    with engine.begin() as connection:
        child = _child(connection)
        posted = [
            {"child": child, "question": key, "value": request.form[key]}
            for key, _label in QUESTIONS
            if request.form.get(key)
        ]
        if posted:
            connection.execute(_SAVE, posted)
    return redirect("/page")


@app.get("/page")
def page() -> str:
    with engine.connect() as connection:
        child = _child(connection)
        answers = dict(connection.execute(_ANSWERS, {"child": child}).all())
    # Translated as the portal's pages are: through Flask-Babel's catalogue.
    return render_template(
        _TEMPLATE,  # a compiled template: Flask renders it as it is
        languages=LANGUAGES,
        here="/consultation/1/what-you-think",
        questions=[(key, gettext(label)) for key, label in QUESTIONS],
        answers=answers,
        contacts=_CONTACTS,
    )


@app.after_request
def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
