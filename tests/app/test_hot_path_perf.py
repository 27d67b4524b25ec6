"""What every page does, done once: the tenant scope built once an authority (and added to
a reused statement once), the session and page frame read in one statement and not again
after the last-seen write, a save that neither reads the consultation again after its
commit nor builds its statements anew, no rate limiter work on pages without limits, no
queue library loaded until a message is queued, and the template helpers that stand in
for slower ones giving the same results. (How fast is for the bench, never a test.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from flask import Flask, g, render_template_string
from flask_limiter.util import get_remote_address
from sqlalchemy import bindparam, event, func, select, update

from portal.config import PROJECT_ROOT
from portal.data import consultations as consultation_data
from portal.extensions import Limiter, db, limiter, reused
from portal.models import (
    Answer,
    Child,
    Consultation,
    ConsultationStatus,
    LocalAuthority,
    SignInSession,
    StaffUser,
    utcnow,
)
from portal.questionnaires.declarations import form_version
from portal.web import people
from portal.web.tenancy import scoped, tenant_criteria
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


# --- The tenant scope ---------------------------------------------------------------------


def test_the_tenant_scope_is_built_once_an_authority(app: Flask, database: None) -> None:
    assert tenant_criteria(1) is tenant_criteria(1)
    assert tenant_criteria(1) is not tenant_criteria(2)


def test_the_cached_scope_never_carries_one_authoritys_id_into_anothers_query(
    app: Flask, database: None
) -> None:
    ours, *_ = factories.world()
    theirs, _iro, their_child, _review, _issued = factories.world()
    ids = [ours.id, theirs.id]
    their_child_id = their_child.id
    # Alternately, in one process, as requests for two authorities would come.
    for tenant in ids * 2:
        with app.test_request_context(), factories.in_authority(tenant):
            db.session.expunge_all()
            children = db.session.scalars(select(Child)).all()
            assert {c.local_authority_id for c in children} == {tenant}
            assert [la.id for la in db.session.scalars(select(LocalAuthority))] == [tenant]
            staff = db.session.scalar(select(func.count()).select_from(StaffUser))
            assert staff == 1
            other = next(i for i in ids if i != tenant)
            changed = db.session.execute(
                update(Child)
                .where(Child.local_authority_id == other)
                .values(preferred_name="x")
                .execution_options(synchronize_session=False)
            )
            assert changed.rowcount == 0  # type: ignore[attr-defined]
            db.session.rollback()
            found = db.session.get(Child, their_child_id)
            assert (found is not None) == (tenant == ids[1])
            db.session.expunge_all()


# A statement built once, marked reused, run again and again with its values as parameters.
_CHILDREN_NAMED = reused(select(Child).where(Child.preferred_name == bindparam("name")))


def test_a_reused_statement_is_scoped_once_an_authority_and_others_every_time(
    app: Flask, database: None
) -> None:
    assert scoped(_CHILDREN_NAMED, 1) is scoped(_CHILDREN_NAMED, 1)
    assert scoped(_CHILDREN_NAMED, 1) is not scoped(_CHILDREN_NAMED, 2)
    built_each_time = select(Child)
    assert scoped(built_each_time, 1) is not scoped(built_each_time, 1)


def test_a_reused_statement_never_carries_one_authoritys_id_into_anothers_query(
    app: Flask, database: None
) -> None:
    ours, _iro, our_child, _review, _issued = factories.world()
    theirs, _iro2, their_child, _review2, _issued2 = factories.world()
    assert our_child.preferred_name == their_child.preferred_name
    name = our_child.preferred_name
    expected = {ours.id: our_child.id, theirs.id: their_child.id}
    # Alternately, in one process, as requests for two authorities would come.
    for tenant in [ours.id, theirs.id] * 2:
        with app.test_request_context(), factories.in_authority(tenant):
            db.session.expunge_all()
            found = db.session.scalars(_CHILDREN_NAMED, {"name": name}).all()
            assert [child.id for child in found] == [expected[tenant]]
            db.session.expunge_all()


# --- The session and the page frame -------------------------------------------------------


# Tables a page frame draws on: read with the session, never one by one afterwards.
FRAME_TABLES = ("invitation", "local_authority", "review", "child", "staff_user")


def _frame_reads(statements: list[str]) -> tuple[int, list[str]]:
    sessions = [s for s in statements if s.startswith("SELECT") and "FROM sign_in_session" in s]
    one_by_one = [
        s
        for s in statements
        if s.startswith("SELECT")
        and "sign_in_session" not in s
        and any(s.split(" WHERE ")[0].endswith(f"FROM {table}") for table in FRAME_TABLES)
    ]
    return len(sessions), one_by_one


def test_a_page_reads_the_session_and_its_frame_in_one_statement(app: Flask, client) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    first = child_signs_in(client, issued)
    client.get(first)
    with _statements() as seen:
        page = client.get(first)
    assert page.status_code == 200
    sessions, one_by_one = _frame_reads(seen)
    assert sessions == 1
    assert one_by_one == [], one_by_one


def test_a_sign_in_page_reads_the_invitation_and_its_frame_in_one_statement(
    app: Flask, client
) -> None:
    la, iro, _kid, _review, issued = factories.world()
    assert client.get(f"/i/{issued.link_token}").status_code == 302
    with _statements() as seen:
        page = client.get("/sign-in/secret")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    # The frame shows the authority's service and the child's IRO: both came with the
    # invitation.
    assert la.service_name in text
    assert iro.display_name in text
    invitations = [s for s in seen if s.startswith("SELECT") and "FROM invitation" in s]
    assert len(invitations) == 1, invitations
    assert all(f"JOIN {table} " in invitations[0] for table in FRAME_TABLES[1:])
    _sessions, one_by_one = _frame_reads(seen)
    assert one_by_one == [], one_by_one


def test_noting_the_last_seen_time_does_not_read_the_frame_again(app: Flask, client) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    first = child_signs_in(client, issued)
    db.session.execute(
        update(SignInSession)
        .where(SignInSession.invitation_id == issued.invitation.id)
        .values(last_seen_at=utcnow() - timedelta(minutes=5))
    )
    db.session.commit()
    with _statements() as seen:
        page = client.get(first)
    assert page.status_code == 200
    assert any(s.startswith("UPDATE sign_in_session") for s in seen), seen
    sessions, one_by_one = _frame_reads(seen)
    assert sessions == 1
    # The commit did not send the invitation, its authority, review, child or IRO to be
    # read again one query at a time (a plain commit expires them all).
    assert one_by_one == [], one_by_one
    assert 'href="tel:' in page.get_data(as_text=True)
    # Nor the consultation, which came with the frame.
    consultations = [s for s in seen if s.startswith("SELECT") and "FROM consultation" in s]
    assert consultations == [], consultations


# Sign-in secrets: never part of an ordinary page's reads.
SECRET_COLUMNS = ("secret_hash", "code_digest", "password_hash", "totp_secret")


def test_a_childs_pages_never_read_pin_password_or_authenticator_secrets(
    app: Flask, client
) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    first = child_signs_in(client, issued)
    with _statements() as seen:
        pages = [client.get(path) for path in (first, "/your-plan-and-letters", first)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    session_reads = [s for s in seen if "FROM sign_in_session" in s]
    assert session_reads
    for column in SECRET_COLUMNS:
        assert not any(column in statement for statement in seen), column


def test_what_the_frame_leaves_out_is_still_there_when_asked_for(app: Flask, client) -> None:
    la, iro, _kid, _review, issued = factories.world()
    first = child_signs_in(client, issued)
    with app.test_request_context(first):
        from flask import session

        from portal.web import people

        with client.session_transaction() as cookie:
            session.update(cookie)
        people.load_signed_in_person()
        invitation = g.invitation
        # Left out of the frame's statement, read when used: never wrong, only later.
        assert invitation.secret_hash
        assert invitation.local_authority.keep_audit_months == la.keep_audit_months
        assert invitation.review.child.iro.password_hash == iro.password_hash
        db.session.rollback()


def test_families_pages_use_nothing_the_frame_left_out(app: Flask, client) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    first = child_signs_in(client, issued)
    for path in (first, "/your-invitations", "/your-plan-and-letters", first + "?change=1"):
        with _statements() as seen:
            page = client.get(path)
        assert page.status_code in (200, 302), path
        _sessions, one_by_one = _frame_reads(seen)
        assert one_by_one == [], (path, one_by_one)


def test_an_iros_everyday_pages_use_nothing_the_frame_left_out(app: Flask, client) -> None:
    _la, iro, _kid, review, _issued = factories.world()
    assert staff_signs_in(client, iro.email).status_code == 302
    for path in ("/staff/", f"/staff/reviews/{review.id}"):
        with _statements() as seen:
            page = client.get(path)
        assert page.status_code == 200, path
        # The member of staff's own authority, read again for a column left out.
        again = [
            s
            for s in seen
            if s.startswith("SELECT local_authority.") and "WHERE local_authority.id" in s
        ]
        assert again == [], (path, again)


def test_a_session_whose_cookie_names_the_other_kind_still_finds_its_person(
    app: Flask, client
) -> None:
    # A cookie from before sessions were marked with their kind reads the invited
    # person's frame; a member of staff's session must still find them there, not an
    # empty row that would sign them out.
    _la, iro, kid, review, _issued = factories.world()
    assert staff_signs_in(client, iro.email).status_code == 302
    with client.session_transaction() as cookie:
        cookie.pop(people.SESSION_KIND)
    page = client.get(f"/staff/reviews/{review.id}")
    assert page.status_code == 200
    assert kid.preferred_name in page.get_data(as_text=True)


# --- The rate limiter -----------------------------------------------------------------------


def test_no_rate_limit_work_on_pages_without_limits(app: Flask, client, monkeypatch) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    first = child_signs_in(client, issued)
    calls: list[str | None] = []
    resolve = limiter.limit_manager.resolve_limits

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("endpoint") or (args[1] if len(args) > 1 else None))
        return resolve(*args, **kwargs)

    monkeypatch.setattr(limiter.limit_manager, "resolve_limits", counting)
    assert client.get(first).status_code == 200
    assert calls == []
    # Where there are limits, they are checked as before.
    client.submit("/sign-in", {"code": "AAA-AAA-AAA"})
    assert calls


def test_limits_for_every_route_are_still_checked_on_every_route() -> None:
    other = Flask(__name__)
    other.config.update(RATELIMIT_STORAGE_URI="memory://", RATELIMIT_HEADERS_ENABLED=False)
    everywhere = Limiter(key_func=get_remote_address, default_limits=["1 per minute"])
    everywhere.init_app(other)
    other.add_url_rule("/", "page", lambda: "a page")
    client = other.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 429


# --- Template helpers ---------------------------------------------------------------------


def test_template_gettext_escapes_and_formats_as_jinjas_own(app: Flask, database: None) -> None:
    with app.test_request_context("/somewhere"):
        assert render_template_string('{{ _("Hello %(name)s", name="<b>") }}') == (
            "Hello &lt;b&gt;"
        )
        assert render_template_string('{{ _("100%% sure") }}') == "100% sure"
        assert render_template_string('{{ ngettext("%(num)d try", "%(num)d tries", 3) }}') == (
            "3 tries"
        )
        assert render_template_string("{% trans n=2 %}{{ n }} pages{% endtrans %}") == "2 pages"
        assert render_template_string("{{ 12345|format_decimal }}") == "12,345"
        assert render_template_string("{{ request.path }} {{ g.get('x', 1) }}") == "/somewhere 1"


def test_messages_without_variables_are_kept_for_each_language_apart(app: Flask, client) -> None:
    def skip_link(accept: str) -> str:
        response = client.get("/sign-in", headers={"Accept-Language": accept})
        assert response.status_code == 200
        found = re.search(r'class="skip-link">([^<]*)<', response.get_data(as_text=True))
        assert found is not None
        return found.group(1)

    arabic = skip_link("ar")
    assert arabic and arabic != "Skip to main content"
    for _ in range(2):
        assert skip_link("en") == "Skip to main content"
        assert skip_link("ar") == arabic
    with app.test_request_context("/"):
        assert render_template_string('{{ _("100%% sure") }}') == "100% sure"
        assert render_template_string('{{ _("100%% sure") }}') == "100% sure"


def test_numbers_are_remembered_for_each_language_apart(app: Flask, database: None) -> None:
    from flask_babel import force_locale

    template = "{{ 1234.5|format_decimal }}"
    with app.test_request_context("/"):
        assert render_template_string(template) == "1,234.5"
        with force_locale("de"):
            assert render_template_string(template) == "1.234,5"
        assert render_template_string(template) == "1,234.5"


def test_the_consultation_is_still_only_the_childs_own(app: Flask, make_client) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    _la2, _iro2, _kid2, _review2, other = factories.world()
    mine = make_client()
    first = child_signs_in(mine, issued)
    theirs = child_signs_in(make_client(), other)
    assert mine.get(first).status_code == 200
    assert mine.get(theirs).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 2


# --- Saving a page ------------------------------------------------------------------------


def test_saving_a_page_reads_no_consultation_of_its_own_and_nothing_after_its_commit(
    app: Flask, client
) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    first = child_signs_in(client, issued)
    data = {"csrf_token": client.csrf_token(first)}
    with _statements() as seen:
        saved = client.post(first, data=data)
    assert saved.status_code == 302
    # The consultation comes with the frame: no query of its own, before or after the commit.
    reads = [s for s in seen if s.startswith("SELECT") and "FROM consultation" in s]
    assert reads == [], reads
    # Its answers are read once, in its turn (after the update below), not before it too.
    answers = [s for s in seen if s.startswith("SELECT") and "FROM answer" in s]
    assert len(answers) == 1, answers
    assert seen.index(answers[0]) > next(
        i for i, s in enumerate(seen) if s.startswith("UPDATE consultation")
    )
    # The save takes its turn by moving the consultation on: one update, nothing more.
    moves = [s for s in seen if s.startswith("UPDATE consultation")]
    assert len(moves) == 1, moves
    assert "local_authority_id" in moves[0], "the tenant scope is on the reused update too"
    consultation_id = int(first.split("/")[2])
    stored = db.session.get(Consultation, consultation_id)
    assert stored is not None
    assert stored.current_step is not None
    assert saved.headers["Location"].endswith(
        f"/consultation/{consultation_id}/{stored.current_step}"
    )


def test_the_answers_upsert_is_built_once_and_still_writes_each_answer(app: Flask, client) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    first = child_signs_in(client, issued)
    with app.test_request_context():
        assert consultation_data._upsert_answers() is consultation_data._upsert_answers()
    consultation_id = int(first.split("/")[2])
    consultation = db.session.get(Consultation, consultation_id)
    assert consultation is not None
    questionnaire = form_version(consultation.form_key, consultation.form_version)
    step = questionnaire.step(first.rsplit("/", 1)[1])
    assert step is not None
    texts = [q for q in step.questions if not q.options and not q.safety_values]
    assert texts, "the first page has a question answered in words"
    for words in ("first words", "other words"):
        values = {q.key: f"{words} {q.key}" for q in texts}
        with factories.in_authority(consultation.local_authority_id):
            consultation_data.save_step(
                consultation, questionnaire, step, values, "en_GB", "next-page"
            )
        db.session.commit()
        stored = dict(
            db.session.execute(
                select(Answer.question_key, Answer.value).where(
                    Answer.consultation_id == consultation_id
                )
            ).all()
        )
        assert stored == values
        assert consultation.current_step == "next-page"


# --- Starting a worker ----------------------------------------------------------------------


def test_the_queue_library_is_loaded_only_when_a_message_is_queued() -> None:
    # (Redis may still be loaded by the rate limiter, when its limits are kept in Redis.)
    script = (
        "import sys\nfrom portal import create_app\ncreate_app()\nprint('huey' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PORTAL_ENV": "test"},
    )
    assert done.stdout.strip().splitlines()[-1] == "False"


# --- Signing in and sending: nothing read twice -------------------------------------------


def _reads(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if s.startswith("SELECT") and f"FROM {table} " in f"{s} "]


def test_signing_in_reads_the_invitation_once_a_request_and_not_after_a_commit(
    app: Flask, client
) -> None:
    _la, iro, _kid, _review, issued = factories.world()
    with _statements() as opened:
        assert client.get(f"/i/{issued.link_token}").status_code == 302
    assert len(_reads(opened, "invitation")) == 1, opened

    # The PIN page shows the frame (the IRO, the authority's numbers) from one statement.
    with _statements() as shown:
        page = client.get("/sign-in/secret")
    assert page.status_code == 200
    assert iro.display_name in page.text
    assert len(shown) == 1 and "staff_user" in shown[0], shown

    token = client.csrf_token("/sign-in/secret")
    with _statements() as chose:
        signed_in = client.post(
            "/sign-in/secret", data={"secret": "2468", "confirm": "2468", "csrf_token": token}
        )
    assert signed_in.status_code == 302
    assert len(_reads(chose, "invitation")) == 1, chose

    with _statements() as started:
        assert client.get("/consultation").status_code == 302
    assert len(_reads(started, "consultation")) == 1, started


def test_checking_and_sending_read_the_answers_and_consultation_once(app: Flask, client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    consultation_id = int(first.split("/")[2])
    check = f"/consultation/{consultation_id}/check"
    with _statements() as seen:
        page = client.get(check)
    assert page.status_code == 200
    assert len(_reads(seen, "answer")) == 1, seen

    token = client.csrf_token(check)
    with _statements() as seen:
        sent = client.post(f"/consultation/{consultation_id}/submit", data={"csrf_token": token})
    assert sent.headers["Location"].endswith(f"/consultation/{consultation_id}/sent")
    # Read once, as sent (the update's own result); found with the frame, and not read
    # again after the commit.
    assert len(_reads(seen, "consultation")) == 1, seen
    stored = db.session.get(Consultation, consultation_id)
    assert stored is not None and stored.status == ConsultationStatus.SUBMITTED
