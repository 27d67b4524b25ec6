"""The child's plan and the IRO's letter: writing, cleaning, publishing, who reads what,
"you said, we did", replies, translations, two people saving at once, and timescales."""

from __future__ import annotations

import re
from datetime import timedelta

import html5lib
import pytest
from sqlalchemy import select

from portal.data import documents as document_data
from portal.extensions import db
from portal.models import (
    Answer,
    AuditAction,
    AuditEvent,
    Document,
    DocumentResponse,
    DocumentVersion,
    InviteeRole,
    LocalAuthority,
    Review,
    ReviewStatus,
)
from tests import factories
from tests.conftest import AuditingClient
from tests.fake_smtp import FakeSmtp
from tests.journeys import child_signs_in, staff_signs_in

EASY_LETTER = """## What we talked about
We talked about your home and your school.

## What was decided
- You will stay with Pat.
- You will see your mum every week.
"""


def _words(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def _family(age: int = 14, language: str = "en_GB"):  # type: ignore[no-untyped-def]
    la = factories.authority()
    iro = factories.staff(la)
    kid, review = factories.child(la, iro, name="Jess", age=age, language=language)
    child = factories.invitation(review, name="Jess", language=language)
    parent = factories.invitation(review, role=InviteeRole.PARENT, name="Morgan")
    carer = factories.invitation(review, role=InviteeRole.CARER, name="Pat")
    teacher = factories.invitation(
        review, role=InviteeRole.PROFESSIONAL, name="Ms Teach", professional_kind="education"
    )
    db.session.commit()
    return la, iro, kid, review, child, parent, carer, teacher


def _child_says(client: AuditingClient, issued, words: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    first = child_signs_in(client, issued)
    cid = int(first.split("/")[2])
    client.submit(f"/consultation/{cid}/your_views", words, from_url=first)
    return cid


def _save(client: AuditingClient, url: str, body: str, **extra: str):  # type: ignore[no-untyped-def]
    page = client.get(url).text
    revision = re.search(r'name="revision" value="(\d+)"', page)
    assert revision is not None
    return client.submit(url, {"body": body, "revision": revision.group(1), **extra}, from_url=url)


def _publish(client: AuditingClient, document_id: int, **extra: str):  # type: ignore[no-untyped-def]
    preview = f"/staff/documents/{document_id}/preview"
    return client.submit(f"/staff/documents/{document_id}/publish", extra, from_url=preview)


def test_an_iro_writes_ties_publishes_and_the_child_reads_the_letter(
    client: AuditingClient, make_client
) -> None:
    la, iro, kid, review, child, parent, *_ = _family()
    jess = make_client()
    _child_says(
        jess,
        child,
        {
            "working_well": "I like living with Pat",
            "working_well__audience": "meeting",
            "worried_about": "I miss my brother",
            "worried_about__audience": "iro",
        },
    )
    answers = {a.value: a for a in db.session.scalars(select(Answer))}
    staff_signs_in(client, iro.email)
    url = f"/staff/reviews/{review.id}/letter"
    editor = client.get(url).text
    assert "## What we talked about" in editor and "## How to reach me" in editor
    assert "I like living with Pat" in editor and "I miss my brother" in editor
    assert db.session.scalar(select(Document)) is None  # nothing stored by looking

    saved = _save(
        client,
        url,
        EASY_LETTER,
        then="preview",
        for_parents="y",
        **{
            f"decision_{answers['I like living with Pat'].id}": "You will stay with Pat.",
            f"decision_{answers['I miss my brother'].id}": "You will see him on Saturdays.",
        },
    )
    document = db.session.scalar(select(Document))
    assert document is not None
    assert saved.headers["Location"] == f"/staff/documents/{document.id}/preview"
    preview = client.get(saved.headers["Location"]).text
    assert "Reading age about" in preview and "Easy enough" in preview
    assert 'id="section-1"' in preview and "You told us" in preview

    published = _publish(client, document.id)
    assert published.status_code == 302
    version = db.session.scalar(select(DocumentVersion))
    assert version is not None and version.number == 1 and version.reading_age is not None

    # The child reads it on the same sign-in: headings to jump to, both ties.
    page = jess.get(f"/read/{document.id}")
    assert page.status_code == 200
    text = _words(page.text)
    assert "Your letter after your review on" in text
    assert 'href="#section-2"' in page.text and "What was decided" in text
    assert "You told us" in text and "I miss my brother" in text
    assert "You will see him on Saturdays." in text
    assert "data-read-aloud-button" in page.text and "hidden" in page.text
    listed = jess.get("/your-plan-and-letters").text
    assert f'href="/read/{document.id}"' in listed

    # The parent may read it, but not the answer Jess kept for her IRO.
    morgan = make_client()
    child_signs_in(morgan, parent)
    theirs = _words(morgan.get(f"/read/{document.id}").text)
    assert "The letter to Jess after the review on" in theirs
    assert "I like living with Pat" in theirs
    assert "I miss my brother" not in theirs and "see him on Saturdays" not in theirs

    # Every staff opening is audited.
    viewed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.VIEWED_DOCUMENT)
    ).all()
    assert len(viewed) >= 1 and all(e.subject_id == document.id for e in viewed)


@pytest.mark.parametrize("who", ["parent", "carer", "teacher", "other child"])
def test_people_it_is_not_for_get_not_found_and_it_is_recorded(
    make_client, client, who: str
) -> None:
    la, iro, kid, review, child, parent, carer, teacher = _family()
    document = document_data.start_letter(review)
    document_data.save_draft(
        document, EASY_LETTER, seen_revision=0, staff=iro, for_parents=False, for_carers=False
    )
    document_data.publish(document, iro, reading_age=7, above_goal_confirmed=False)
    *_, other = factories.world()
    db.session.commit()
    issued = {"parent": parent, "carer": carer, "teacher": teacher, "other child": other}[who]
    reader = make_client()
    child_signs_in(reader, issued)
    for path in (f"/read/{document.id}", f"/read/{document.id}/thanks"):
        assert reader.get(path).status_code == 404
    token = reader.csrf_token("/your-plan-and-letters")
    refused = reader.post(
        f"/read/{document.id}/question", data={"csrf_token": token, "message": "Hi"}
    )
    assert refused.status_code == 404
    assert f"/read/{document.id}" not in reader.get("/your-plan-and-letters").text
    assert db.session.scalar(select(DocumentResponse)) is None
    denied = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.DENIED, AuditEvent.subject_type == "document"
        )
    ).all()
    assert len(denied) == 3 and {e.staff_user_id for e in denied} == {None}


DANGEROUS = [
    "<script>alert(1)</script>Hello",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
    '<p style="background:url(javascript:alert(1))" onclick="x()">styled</p>',
    "<div><p><b>nested <i>and unclosed",
    "[click](javascript:alert(1))",
    "<svg onload=alert(1)><p>x</p>",
    "<iframe src=https://example.org></iframe>",
]


@pytest.mark.parametrize("body", DANGEROUS)
def test_nothing_executable_reaches_any_page(
    client: AuditingClient, make_client, body: str
) -> None:
    la, iro, kid, review, child, *_ = _family()
    staff_signs_in(client, iro.email)
    _save(client, f"/staff/children/{kid.id}/plan", body + "\n\nWe care about you.")
    document = db.session.scalar(select(Document))
    assert document is not None
    _publish(client, document.id, above_goal_confirmed="y")
    reader = make_client()
    child_signs_in(reader, child)
    pages = [
        document.draft_html,
        client.get(f"/staff/documents/{document.id}/preview").text,
        reader.get(f"/read/{document.id}").text,
    ]
    for page in pages:
        assert not _executable(page), _executable(page)


def _executable(page: str) -> list[str]:
    """Elements and attributes in the page that could run something: parsed, as a
    browser would, rather than searched for as text (escaped text is harmless)."""
    found = []
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    for element in tree.iter():
        tag = str(element.tag).lower()
        # The portal's own script is the only one a page may have.
        own_script = tag == "script" and str(element.get("src", "")).startswith("/static/")
        if tag in ("script", "iframe", "object", "embed", "svg", "math") and not own_script:
            found.append(tag)
        for name, value in element.attrib.items():
            scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"{tag} {name}")
            if name.lower() in ("href", "src", "action") and scheme.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                found.append(f"{tag} {name}={value}")
    return found


def test_a_huge_paste_from_word_is_refused_plainly_and_the_text_is_kept(
    client: AuditingClient,
) -> None:
    la, iro, kid, *_ = _family()
    staff_signs_in(client, iro.email)
    word = (
        "<html><body><p class=MsoNormal style='margin:0'><span style='font-family:Arial'>"
        + "Your plan says you will stay with Pat and go to the same school. " * 16_000
        + "</span></p></body></html>"
    )
    assert len(word) > 1_000_000
    page = _save(client, f"/staff/children/{kid.id}/plan", word)
    assert page.status_code == 200
    assert "This is too long to read on a phone" in page.text
    assert "go to the same school" in page.text
    assert db.session.scalar(select(Document)) is None


def test_a_word_paste_within_the_limit_is_cleaned_to_the_allow_list(client: AuditingClient) -> None:
    la, iro, kid, *_ = _family()
    staff_signs_in(client, iro.email)
    word = (
        "<p class=MsoNormal><b><span style='font-size:14pt'>Where you live</span></b></p>"
        "<p class=MsoNormal>You live with Pat.<o:p></o:p></p><script>x()</script>"
    )
    _save(client, f"/staff/children/{kid.id}/plan", word)
    document = db.session.scalar(select(Document))
    assert document is not None
    assert document.draft_html == "<p><strong>Where you live</strong></p><p>You live with Pat.</p>"
    assert "**Where you live**" in document.draft_text


def test_two_staff_saving_at_once_the_second_is_shown_both_and_nothing_is_lost(
    client: AuditingClient, make_client
) -> None:
    la, iro, kid, *_ = _family()
    manager = factories.staff(la, name="Manny Manager", role="manager")
    db.session.commit()
    staff_signs_in(client, iro.email)
    other = make_client()
    staff_signs_in(other, manager.email)
    url = f"/staff/children/{kid.id}/plan"
    _save(client, url, "## First\nFirst draft.")
    first_page = client.get(url).text
    second_page = other.get(url).text
    revision = re.search(r'name="revision" value="(\d+)"', first_page).group(1)  # type: ignore[union-attr]
    assert revision in second_page
    client.submit(url, {"body": "## Mine\nIRO's words.", "revision": revision}, from_url=url)
    clash = other.submit(
        url, {"body": "## Theirs\nManager's words.", "revision": revision}, from_url=url
    )
    assert clash.status_code == 409
    assert "Someone else saved this while you were writing" in clash.text
    assert "IRO&#39;s words." in clash.text and "Manager&#39;s words." in clash.text
    document = db.session.scalar(select(Document))
    assert document is not None and "IRO's words." in document.draft_text
    # Choosing to save their own version over it, knowingly, works.
    newer = re.search(r'name="revision" value="(\d+)"', clash.text).group(1)  # type: ignore[union-attr]
    other.submit(url, {"body": "## Theirs\nManager's words.", "revision": newer}, from_url=url)
    db.session.refresh(document)
    assert "Manager's words." in document.draft_text


def test_publishing_above_the_reading_age_goal_needs_a_second_confirmation(
    client: AuditingClient,
) -> None:
    la, iro, kid, *_ = _family()
    staff_signs_in(client, iro.email)
    hard = (
        "The statutory review considered the placement stability, contact arrangements and "
        "the implementation of the care plan, notwithstanding considerable organisational "
        "complexity within the multidisciplinary professional network."
    )
    _save(client, f"/staff/children/{kid.id}/plan", hard)
    document = db.session.scalar(select(Document))
    assert document is not None
    preview = client.get(f"/staff/documents/{document.id}/preview").text
    assert "Harder than the goal" in preview
    assert "Instead of" in preview and "placement" in preview  # jargon, with a better word
    first = _publish(client, document.id)
    assert first.status_code == 200 and "Tick the box to publish it as it is" in first.text
    assert db.session.scalar(select(DocumentVersion)) is None
    second = _publish(client, document.id, above_goal_confirmed="y")
    assert second.status_code == 302
    version = db.session.scalar(select(DocumentVersion))
    assert version is not None and version.above_goal_confirmed is True


def test_replies_reach_the_iro(client: AuditingClient, make_client) -> None:
    la, iro, kid, review, child, *_ = _family()
    document = document_data.start_plan(kid, review.planned_on)
    document_data.save_draft(
        document, EASY_LETTER, seen_revision=0, staff=iro, for_parents=False, for_carers=False
    )
    document_data.publish(document, iro, reading_age=7, above_goal_confirmed=False)
    db.session.commit()
    jess = make_client()
    child_signs_in(jess, child)
    page = f"/read/{document.id}"
    jess.get(page)
    empty = jess.submit(f"{page}/question", {"message": "   "}, from_url=page)
    assert empty.status_code == 200 and "Write your question" in empty.text
    asked = jess.submit(
        f"{page}/question", {"message": "Why can't I see my dog? 🐶"}, from_url=page
    )
    assert asked.headers["Location"] == f"{page}/thanks"
    jess.submit(f"{page}/read", {}, from_url=page)
    staff_signs_in(client, iro.email)
    home = _words(client.get("/staff/").text)
    assert "2 replies to plans and letters" in home
    seen = client.get(f"/staff/documents/{document.id}").text
    assert "Why can&#39;t I see my dog? 🐶" in seen and "I’ve read it" in seen
    assert "Jess" in seen and "first" in seen  # who opened it, and when
    assert "replies to plans and letters" not in client.get("/staff/").text


def test_a_translation_is_shown_only_while_it_matches_the_published_version(
    client: AuditingClient, make_client
) -> None:
    la, iro, kid, review, child, *_ = _family(language="ar")
    document = document_data.start_plan(kid, review.planned_on)
    document_data.save_draft(
        document, EASY_LETTER, seen_revision=0, staff=iro, for_parents=False, for_carers=False
    )
    document_data.publish(document, iro, reading_age=7, above_goal_confirmed=False)
    db.session.commit()
    staff_signs_in(client, iro.email)
    url = f"/staff/documents/{document.id}/translation?language=ar"
    client.submit(url, {"body": "## أين تعيش\nتعيش مع Pat في بيتها."}, from_url=url)
    amir = make_client()
    child_signs_in(amir, child)
    page = amir.get(f"/read/{document.id}").text
    assert "تعيش مع" in page and 'lang="ar"' in page
    assert "interpreter" not in page

    # A new English version: the old translation is no longer shown as current.
    editor = f"/staff/children/{kid.id}/plan"
    _save(client, editor, EASY_LETTER + "\n- And a new line.")
    _publish(client, document.id)
    page = amir.get(f"/read/{document.id}").text
    assert "تعيش مع" not in page and "And a new line." in page
    assert 'lang="en-GB"' in page
    status = client.get(f"/staff/documents/{document.id}").text
    assert "translates an earlier version" in status
    assert client.get(f"/staff/documents/{document.id}/translation?language=xx").status_code == 404


def test_publishing_tells_readers_invited_by_email_once_a_version(
    client: AuditingClient, smtp: FakeSmtp
) -> None:
    la, iro, kid, review, child, parent, *_ = _family()
    la.email_sender = "smtp"
    for issued, address in ((child, "jess@example.org"), (parent, "morgan@example.org")):
        issued.invitation.channel = "email"
        issued.invitation.contact_email = address
    db.session.commit()
    staff_signs_in(client, iro.email)
    url = f"/staff/reviews/{review.id}/letter"
    _save(client, url, EASY_LETTER)
    document = db.session.scalar(select(Document))
    assert document is not None
    _publish(client, document.id)
    assert [m.rcpt_to for m in smtp.received] == [["jess@example.org"]]  # not for parents
    assert "Jess" not in smtp.received[0].message["Subject"]
    assert "stay with Pat" not in smtp.received[0].body  # nothing from the letter
    _publish(client, document.id)  # a second version: told again, once
    assert len(smtp.received) == 2


def test_a_letter_not_published_in_time_is_flagged_and_counted(client: AuditingClient) -> None:
    la, iro, kid, review, *_ = _family()
    review.planned_on -= timedelta(days=60)
    review.status = ReviewStatus.HELD
    db.session.commit()
    staff_signs_in(client, iro.email)
    home = client.get("/staff/").text
    assert "Letter to the child late" in home
    page = client.get(f"/staff/reviews/{review.id}").text
    assert "Late: not published yet" in page
    _save(client, f"/staff/reviews/{review.id}/letter", EASY_LETTER)
    document = db.session.scalar(select(Document))
    assert document is not None
    _publish(client, document.id)
    assert "Published late" in client.get(f"/staff/reviews/{review.id}").text
    assert "Letter to the child late" not in client.get("/staff/").text


def test_a_plan_shared_three_working_days_before_the_review_is_recorded(
    client: AuditingClient,
) -> None:
    la, iro, kid, review, *_ = _family()
    staff_signs_in(client, iro.email)
    assert "Not written yet" in client.get(f"/staff/reviews/{review.id}").text
    _save(client, f"/staff/children/{kid.id}/plan", EASY_LETTER)
    document = db.session.scalar(select(Document))
    assert document is not None
    _publish(client, document.id)
    # The review is 14 days away (factories.child): shared in time.
    page = _words(client.get(f"/staff/reviews/{review.id}").text)
    assert re.search(r"Plan shared 3 working days before\s*Yes", page), page


def test_a_care_leaver_starts_from_the_pathway_plan(client: AuditingClient) -> None:
    la, iro, kid, *_ = _family(age=19)
    staff_signs_in(client, iro.email)
    editor = client.get(f"/staff/children/{kid.id}/plan").text
    assert "## Money" in editor and "## My personal adviser" in editor
    assert "## Where I live" not in editor


def test_another_authoritys_staff_cannot_open_or_publish(client: AuditingClient) -> None:
    la, iro, kid, review, *_ = _family()
    document = document_data.start_letter(review)
    db.session.commit()
    other_la = factories.authority()
    stranger = factories.staff(other_la, name="Stranger Danger")
    db.session.commit()
    staff_signs_in(client, stranger.email)
    for path in (
        f"/staff/reviews/{review.id}/letter",
        f"/staff/children/{kid.id}/plan",
        f"/staff/documents/{document.id}",
        f"/staff/documents/{document.id}/preview",
    ):
        assert client.get(path).status_code == 404, path
    token = client.csrf_token("/staff/")
    assert (
        client.post(
            f"/staff/documents/{document.id}/publish", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert db.session.scalar(select(DocumentVersion)) is None
    assert isinstance(db.session.get(LocalAuthority, la.id), LocalAuthority)
    assert isinstance(db.session.get(Review, review.id), Review)


def test_outcomes_first_then_the_full_letter_each_against_its_timescale(
    client: AuditingClient,
) -> None:
    la, iro, kid, review, *_ = _family()
    review.planned_on -= timedelta(days=24)  # held ten days ago (reviews start 14 days ahead)
    review.status = ReviewStatus.HELD
    db.session.commit()
    staff_signs_in(client, iro.email)
    page = _words(client.get(f"/staff/reviews/{review.id}").text)
    assert re.search(r"Outcomes shared with the child\s*Late: not published yet", page), page
    url = f"/staff/reviews/{review.id}/letter"
    _save(client, url, "## What was decided\n- You will stay with Pat.")
    document = db.session.scalar(select(Document))
    assert document is not None
    _publish(client, document.id, outcomes_only="y")
    first = db.session.scalar(select(DocumentVersion))
    assert first is not None and first.full_record is False
    page = _words(client.get(f"/staff/reviews/{review.id}").text)
    assert re.search(r"Outcomes shared with the child\s*Published late", page)
    assert re.search(r"Letter after the review\s*Not published yet, still in time", page)
    _save(client, url, EASY_LETTER)
    _publish(client, document.id)
    page = _words(client.get(f"/staff/reviews/{review.id}").text)
    assert re.search(r"Letter after the review\s*Published in time", page)
    status = _words(client.get(f"/staff/documents/{document.id}").text)
    assert "Outcomes shared" in status and "the full letter is still to come" not in status
