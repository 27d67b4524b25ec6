"""How long the participation report takes, against one raw GROUP BY over the same tables.

Synthetic records for one large authority (a decade of reviews: about one review for
every 5 consultations, 1.3 invitations a consultation, a child's four "what children
said" answers, feedback on a fifth of reviews) at each scale, on SQLite and on
PostgreSQL. In the same run, for one financial year beside the one before, it times:

- ``raw``: one ``GROUP BY`` count of consultations per role over review, invitation and
  consultation (the floor: the report cannot cost less than reading those rows once);
- ``report``: every figure of the report (``portal.data.figures.build_report``);
- ``page``: the figures page for a manager, rendered (HTML, charts and all).

Each is the median of ``--repeat`` runs after one warm-up. Goals (issue 12): report at
most 3x raw at every scale, time growing no faster than the data, the page under a
second at the largest scale on PostgreSQL.

    .venv/bin/python bench/report_bench.py --scales 10000,100000 --databases sqlite,postgresql
    .venv/bin/python bench/report_bench.py --scales 1000000 --databases postgresql

PostgreSQL: a scratch database made for this (``createdb -h 127.0.0.1 -U postgres
portal_report_bench``), emptied at the start of each scale; never the ``test`` one.
"""

from __future__ import annotations

import argparse
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
        upgrade()


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def seed(app: Any, consultations: int) -> dict[str, int]:
    """Insert the synthetic records in bulk; how many of each."""
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
    reviews = max(consultations // 5, 10)
    children = max(reviews // 8, 5)  # about 8 reviews each over the decade
    invitations = int(consultations * 1.3)
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
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("ANALYZE")
        else:
            with db.engine.begin() as c:
                c.exec_driver_sql("ANALYZE")
    return {
        "children": children,
        "reviews": reviews,
        "invitations": invitations,
        "consultations": consultations,
    }


def _median(run: Callable[[], object], repeat: int) -> float:
    run()  # warm-up: caches, the first connection, compiled statements
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(app: Any, repeat: int) -> dict[str, float]:
    from flask import g

    from portal.data import figures
    from portal.domain.figures import ReportingPeriod
    from portal.extensions import db
    from portal.models import StaffUser
    from portal.staff.figures import views

    current = ReportingPeriod(*YEAR)
    periods = figures.Periods(current, current.previous())
    scope = figures.Scope(1)
    with app.app_context():
        raw = _median(lambda: figures.raw_count(1, periods), repeat)
        report = _median(lambda: figures.build_report(scope, periods), repeat)
        manager = db.session.get(StaffUser, 1)

    def page() -> None:
        query = f"/staff/figures/?from_day={YEAR[0]}&to_day={YEAR[1]}"
        with app.test_request_context(query):
            g.staff_user = manager
            g.local_authority_id = 1
            html = views.dashboard.__wrapped__()  # type: ignore[attr-defined]
            assert "Participation figures" in html

    with app.app_context():
        manager = db.session.merge(manager)
        page_time = _median(page, repeat)
    return {"raw": raw, "report": report, "page": page_time}


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
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    print(
        f"{'database':<11}{'consultations':>14}{'reviews':>9}{'seed s':>8}"
        f"{'raw ms':>9}{'report ms':>11}{'page ms':>9}{'report/raw':>12}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for database in args.databases.split(","):
            for scale in scales:
                url = (
                    args.pg_url
                    if database == "postgresql"
                    else f"sqlite:///{tmp}/bench-{scale}.sqlite3"
                )
                app = _app(url)
                _reset(app, url)
                started = time.perf_counter()
                made = seed(app, scale)
                seeded = time.perf_counter() - started
                times = measure(app, args.repeat)
                print(
                    f"{database:<11}{scale:>14,}{made['reviews']:>9,}{seeded:>8.1f}"
                    f"{times['raw'] * 1000:>9.1f}{times['report'] * 1000:>11.1f}"
                    f"{times['page'] * 1000:>9.1f}{times['report'] / times['raw']:>12.2f}",
                    flush=True,
                )
                with app.app_context():
                    from portal.extensions import db

                    db.engine.dispose()


if __name__ == "__main__":
    main()
