"""How long the participation report takes, against one raw GROUP BY over the same tables.

Synthetic records for one large authority (a decade of reviews: about one review for
every 5 consultations, 1.3 invitations a consultation, a child's four "what children
said" answers, feedback on a fifth of reviews) at each scale, on SQLite and on
PostgreSQL. In the same run, for one financial year beside the one before, it times:

- ``raw``: one ``GROUP BY`` count of consultations per role over review, invitation and
  consultation (the floor: the report cannot cost less than reading those rows once);
- ``report``: every figure of the report (``portal.data.figures.build_report``);
- ``page``: the figures page for a manager, rendered (HTML, charts and all).

Both are timed after the database has been analysed (``ANALYZE`` once seeded, and
again on ``--reuse``), as a deployment's would be from time to time (SQLite: ``PRAGMA
optimize``): without SQLite's statistics (``sqlite_stat1``) its planner may take
"what children said" from every child's invitation of the authority rather than from
the reviews of the two periods.

Each is the median of ``--repeat`` runs after one warm-up (``--interleave``: the three
taken in turn, so that other work on a busy machine slows them alike). Goals (issue
12): report at most 3x raw at every scale, time growing no faster than the data, the
page under a second at the largest scale on PostgreSQL.

    .venv/bin/python bench/report_bench.py --scales 10000,100000 --databases sqlite,postgresql
    .venv/bin/python bench/report_bench.py --scales 1000000 --databases postgresql

PostgreSQL: a scratch database made for this (``createdb -h 127.0.0.1 -U postgres
portal_report_bench``), emptied at the start of each scale; never the ``test`` one.

``--reuse`` keeps the seeded records between runs (to time or profile again without
seeding a million rows each time): a database already holding this scale's records is
only brought up to the newest migration and analysed. PostgreSQL holds one scale at a
time; SQLite files are kept in ``--sqlite-dir``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PG_URL = "postgresql://postgres@127.0.0.1/portal_report_bench"
YEAR = (date(2018, 4, 1), date(2019, 3, 31))
FIRST_DAY = date(2009, 4, 1)  # a decade of reviews up to the end of 2018/19
CHUNK = 20_000


def _app(url: str) -> Any:
    from portal import create_app
    from portal.config import Settings

    settings = Settings.from_environment({**os.environ, "PORTAL_ENV": "test", "DATABASE_URL": url})
    return create_app(settings, TESTING=True)


def _reset(app: Any, url: str) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from portal.extensions import db

    with app.app_context():
        if url.startswith("postgres"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        else:  # a file kept in --sqlite-dir that does not hold this scale's records
            db.engine.dispose()
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        upgrade()


def _seeded(app: Any, consultations: int) -> bool:
    """Whether the database already holds this scale's records (seeding is one
    transaction, so it holds all of them or none)."""
    from sqlalchemy import inspect, text

    from portal.extensions import db

    with app.app_context():
        if not inspect(db.engine).has_table("consultation"):
            return False
        held = db.session.scalar(text("SELECT count(*) FROM consultation"))
        db.session.rollback()
        return held == consultations


def _upgrade(app: Any) -> None:
    """The newest migrations on records kept from an earlier run, then fresh statistics."""
    from flask_migrate import upgrade

    from portal.extensions import db

    with app.app_context():
        upgrade()
        _analyse(db.engine)


def _analyse(engine: Any) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("ANALYZE")
    else:
        with engine.begin() as c:
            c.exec_driver_sql("ANALYZE")


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def sizes(consultations: int) -> dict[str, int]:
    """How many records of each kind a scale has."""
    reviews = max(consultations // 5, 10)
    return {
        "children": max(reviews // 8, 5),  # about 8 reviews each over the decade
        "reviews": reviews,
        "invitations": int(consultations * 1.3),
        "consultations": consultations,
    }


def seed(app: Any, consultations: int) -> None:
    """Insert the synthetic records in bulk."""
    from sqlalchemy import insert

    from portal.extensions import db
    from portal.models import (
        Answer,
        Child,
        Consultation,
        Invitation,
        LocalAuthority,
        Review,
        ReviewFeedback,
        StaffUser,
    )

    rng = random.Random(12)
    made = sizes(consultations)
    reviews, children, invitations = made["reviews"], made["children"], made["invitations"]
    span = (YEAR[1] - FIRST_DAY).days
    now = datetime(2019, 1, 1, tzinfo=UTC)
    roles = [
        ("child", None),
        ("parent", None),
        ("carer", None),
        ("professional", "health"),
        ("professional", "education"),
        ("professional", "other"),
    ]
    codes = ["PN0", "PN1", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN6", "PN6", "PN7", None]
    with app.app_context():
        session = db.session
        session.add(
            LocalAuthority(
                id=1,
                slug="bench",
                name="Bench (fictional)",
                service_name="Bench",
                iro_team_phone="0",
                iro_team_email="b@x",
                advocacy_service_name="A",
                advocacy_phone="0",
            )
        )
        session.flush()
        session.execute(
            insert(StaffUser),
            [
                {
                    "id": n,
                    "local_authority_id": 1,
                    "email": f"iro{n}@bench.example",
                    "display_name": f"IRO {n}",
                    "phone": "0",
                    "role": "manager" if n == 1 else "iro",
                    "password_hash": "x",
                    "failed_sign_ins": 0,
                    "active": True,
                    "away": False,
                    "created_at": now,
                }
                for n in range(1, 51)
            ],
        )
        for batch in _chunks(
            {
                "id": n,
                "local_authority_id": 1,
                "preferred_name": f"C{n}",
                "date_of_birth": date(2001, 1, 1) + timedelta(days=rng.randrange(6000)),
                "came_into_care_on": date(2008, 1, 1),
                "uasc": n % 12 == 0,
                "preferred_language": "ar" if n % 12 == 0 else "en_GB",
                "communication_needs": "",
                "iro_id": 1 + n % 50,
            }
            for n in range(1, children + 1)
        ):
            session.execute(insert(Child), batch)
        for batch in _chunks(
            {
                "id": n,
                "local_authority_id": 1,
                "child_id": 1 + n % children,
                "kind": "subsequent",
                "planned_on": FIRST_DAY + timedelta(days=rng.randrange(span)),
                "status": "held" if n % 20 else "cancelled",
                "venue": "",
                "status_reason": "",
                "attendees": "",
                "participation_code": codes[n % len(codes)],
                "held_in_timescale": n % 10 != 0,
                "child_chaired": "part" if n % 7 == 0 else "none",
            }
            for n in range(1, reviews + 1)
        ):
            session.execute(insert(Review), batch)
        for batch in _chunks(
            {
                "id": n,
                "local_authority_id": 1,
                "review_id": 1 + n % reviews,
                "role": roles[n % 6][0],
                "professional_kind": roles[n % 6][1],
                "invitee_name": "X",
                "language": "en_GB",
                "token_digest": f"t{n}",
                "code_digest": f"c{n}",
                "failed_secret_attempts": 0,
                "expires_at": now,
                "created_at": now,
                "contact_email": "",
                "contact_phone": "",
                "channel": "letter",
                "due_on": date(2018, 1, 1),
                "first_opened_at": now if n % 3 else None,
            }
            for n in range(1, invitations + 1)
        ):
            session.execute(insert(Invitation), batch)
        for batch in _chunks(
            {
                "id": n,
                "local_authority_id": 1,
                "invitation_id": n,
                "form_key": "x",
                "form_version": 1,
                "status": "submitted",
                "started_at": now,
                "updated_at": now,
                "submitted_at": now,
                "submitted_on_time": n % 4 != 0,
            }
            for n in range(1, consultations + 1)
        ):
            session.execute(insert(Consultation), batch)
        keys = [
            "feel_listened_to",
            "see_social_worker_enough",
            "know_how_to_complain",
            "know_children_in_care_council",
        ]
        answers = ("yes", "no", "enough", "not_enough")
        for batch in _chunks(
            {
                "consultation_id": n,
                "question_key": key,
                "value": answers[(n + i) % 4],
                "language": "en_GB",
                "form_key": "x",
                "form_version": 1,
                "saved_at": now,
                "audience": "iro",
            }
            for n in range(6, consultations + 1, 6)  # the children's (role index 0)
            for i, key in enumerate(keys)
        ):
            session.execute(insert(Answer), batch)
        for batch in _chunks(
            {
                "local_authority_id": 1,
                "invitation_id": n,
                "review_id": 1 + n % reviews,
                "role": "child",
                "how_was_it": ("great", "good", "okay", "not_good")[n % 4],
                "right_place": "yes",
                "right_day": "no" if n % 5 == 0 else "yes",
                "right_time": None if n % 9 == 0 else "yes",
                "asked_who_should_come": "yes",
                "listened_to": "yes",
                "understand_decisions": "yes",
                "make_it_better": "",
                "anonymous": False,
                "language": "en_GB",
                "sent_at": now,
            }
            for n in range(6, invitations + 1, 30)
        ):
            session.execute(insert(ReviewFeedback), batch)
        session.commit()
        _analyse(db.engine)


def _medians(
    runs: dict[str, Callable[[], object]], repeat: int, *, interleave: bool = False
) -> dict[str, float]:
    """The median time of each run, after one warm-up (caches, the first connection,
    compiled statements): all of one run, then all of the next; or, ``interleave``, in
    turn (raw, report, page, raw, ...) so that bursts of other work on the machine fall
    on all of them alike, not on whichever was being timed then. Taken in turn, each run
    also starts with the database's cache holding what the one before read."""
    times: dict[str, list[float]] = {name: [] for name in runs}

    def timed(name: str) -> None:
        started = time.perf_counter()
        runs[name]()
        times[name].append(time.perf_counter() - started)

    if interleave:
        for run in runs.values():
            run()
        for _ in range(repeat):
            for name in runs:
                timed(name)
    else:
        for name, run in runs.items():
            run()
            for _ in range(repeat):
                timed(name)
    return {name: statistics.median(spent) for name, spent in times.items()}


def measure(
    app: Any, repeat: int, *, interleave: bool = False, statements: bool = False
) -> dict[str, Any]:
    from flask import g

    from portal.data import figures
    from portal.domain.figures import ReportingPeriod
    from portal.extensions import db
    from portal.models import StaffUser
    from portal.staff.figures import views

    current = ReportingPeriod(*YEAR)
    periods = figures.Periods(current, current.previous())
    scope = figures.Scope(1)

    def page() -> None:
        query = f"/staff/figures/?from_day={YEAR[0]}&to_day={YEAR[1]}"
        with app.test_request_context(query):
            # The request shares the app context's g: what it puts there (the signed-in
            # manager, the tenant) goes with it, so the report is timed outside a request.
            before = set(vars(g))
            g.staff_user = manager
            g.local_authority_id = 1
            try:
                html = views.dashboard.__wrapped__()  # type: ignore[attr-defined]
            finally:
                for name in set(vars(g)) - before:
                    delattr(g, name)
            assert "Participation figures" in html

    with app.app_context():
        manager = db.session.get(StaffUser, 1)
        times = _medians(
            {
                "raw": lambda: figures.raw_count(1, periods),
                "report": lambda: figures.build_report(scope, periods),
                "page": page,
            },
            repeat,
            interleave=interleave,
        )
        ran = _statements(db.engine, page) if statements else []
    return {**times, "statements": ran}


def _statements(engine: Any, page: Callable[[], None]) -> list[str]:
    """One more page, with each statement it ran and how long the database took: what
    is left of the page's time is Python (building statements, figures, HTML)."""
    from sqlalchemy import event

    ran: list[tuple[float, str]] = []

    def before(_conn: Any, _cursor: Any, _statement: str, *_args: Any) -> None:
        ran.append((time.perf_counter(), ""))

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        started, _ = ran.pop()
        ran.append((time.perf_counter() - started, " ".join(statement.split())))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        started = time.perf_counter()
        page()
        total = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    in_database = sum(spent for spent, _ in ran)
    return [
        f"  page {total * 1000:.1f} ms: {len(ran)} statements, {in_database * 1000:.1f} ms "
        f"in the database, {(total - in_database) * 1000:.1f} ms outside it",
        *(f"  {spent * 1000:9.1f} ms  {statement[:100]}" for spent, statement in ran),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scales",
        default="10000,100000,1000000",
        help="consultations at each scale, comma-separated",
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the seeded records: a database already holding the scale is not seeded again",
    )
    parser.add_argument(
        "--sqlite-dir",
        help="where the SQLite databases are kept (default: a temporary directory, removed)",
    )
    parser.add_argument(
        "--interleave",
        action="store_true",
        help="time raw, report and page in turn rather than each in a block (a busy machine)",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="after each scale, the page's statements and the time each took in the database",
    )
    args = parser.parse_args()
    if args.reuse and not args.sqlite_dir and "sqlite" in args.databases:
        args.sqlite_dir = str(Path(tempfile.gettempdir()) / "portal-report-bench")
    if args.sqlite_dir:
        Path(args.sqlite_dir).mkdir(parents=True, exist_ok=True)
    scales = [int(s) for s in args.scales.split(",")]
    print(
        f"{'database':<11}{'consultations':>14}{'reviews':>9}{'seed s':>8}"
        f"{'raw ms':>9}{'report ms':>11}{'page ms':>9}{'report/raw':>12}"
    )
    with contextlib.ExitStack() as stack:
        sqlite_dir = args.sqlite_dir or stack.enter_context(tempfile.TemporaryDirectory())
        for database in args.databases.split(","):
            for scale in scales:
                url = (
                    args.pg_url
                    if database == "postgresql"
                    else f"sqlite:///{sqlite_dir}/bench-{scale}.sqlite3"
                )
                app = _app(url)
                if args.reuse and _seeded(app, scale):
                    _upgrade(app)
                    seeded = "kept"
                else:
                    _reset(app, url)
                    started = time.perf_counter()
                    seed(app, scale)
                    seeded = f"{time.perf_counter() - started:.1f}"
                times = measure(
                    app, args.repeat, interleave=args.interleave, statements=args.statements
                )
                print(
                    f"{database:<11}{scale:>14,}{sizes(scale)['reviews']:>9,}{seeded:>8}"
                    f"{times['raw'] * 1000:>9.1f}{times['report'] * 1000:>11.1f}"
                    f"{times['page'] * 1000:>9.1f}{times['report'] / times['raw']:>12.2f}",
                    flush=True,
                )
                for line in times["statements"]:
                    print(line, flush=True)
                with app.app_context():
                    from portal.extensions import db

                    db.engine.dispose()


if __name__ == "__main__":
    main()
