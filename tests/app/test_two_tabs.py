"""One page open in two tabs: the second save is told, shown both versions, and chooses.
Nothing is overwritten silently; pressing a button twice is not a clash."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import Answer, Consultation
from tests import factories
from tests.journeys import child_signs_in

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _hidden(page: str) -> dict[str, str]:
    return dict(HIDDEN.findall(page))


def _stored(consultation_id: int) -> dict[str, str]:
    rows = db.session.scalars(select(Answer).where(Answer.consultation_id == consultation_id))
    return {a.question_key: a.value for a in rows}


def test_a_save_over_a_page_changed_in_another_tab_asks_which_to_keep(client) -> None:
    *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    consultation_id = int(first.split("/")[2])
    tab_a = _hidden(client.get(first).text)
    tab_b = _hidden(client.get(first).text)

    saved_a = client.post(first, data={**tab_a, "attend": "all", "meeting_where": "At school"})
    assert saved_a.status_code == 302
    clash = client.post(first, data={**tab_b, "attend": "part", "meeting_where": "At home"})
    assert clash.status_code == 409
    assert "This page was changed somewhere else" in clash.text
    assert "At school" in clash.text and "At home" in clash.text  # both versions shown
    assert _stored(consultation_id) == {"attend": "all", "meeting_where": "At school"}

    # "Keep the saved answers" goes back to the page as saved.
    assert f'href="{first}"' in clash.text
    # "Use the answers from this tab" sends them again, knowing what it replaces.
    chosen = client.post(first, data=_hidden(clash.text))
    assert chosen.status_code == 302
    assert _stored(consultation_id) == {"attend": "part", "meeting_where": "At home"}


def test_a_clash_saves_nothing_and_leaves_the_form_where_it_was(client) -> None:
    *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    consultation_id = int(first.split("/")[2])
    tab_a = _hidden(client.get(first).text)
    tab_b = _hidden(client.get(first).text)
    assert client.post(first, data={**tab_a, "meeting_where": "At school"}).status_code == 302
    moved_on = _current_step(consultation_id)
    assert moved_on != first.rsplit("/", 1)[1]
    # Back in the first tab's page to change it: the other tab is told, and nothing moves.
    db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation_id)
        .values(current_step=first.rsplit("/", 1)[1])
    )
    db.session.commit()
    clash = client.post(first, data={**tab_b, "meeting_where": "At home"})
    assert clash.status_code == 409
    assert _stored(consultation_id) == {"meeting_where": "At school"}
    assert _current_step(consultation_id) == first.rsplit("/", 1)[1]


def _current_step(consultation_id: int) -> str | None:
    db.session.expire_all()
    return db.session.scalar(
        select(Consultation.current_step).where(Consultation.id == consultation_id)
    )


def test_pressing_save_twice_is_not_a_clash(client) -> None:
    *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    consultation_id = int(first.split("/")[2])
    page = _hidden(client.get(first).text)
    sent = {**page, "meeting_where": "After school 🙂"}
    assert client.post(first, data=sent).status_code == 302
    assert client.post(first, data=sent).status_code == 302
    assert _stored(consultation_id) == {"meeting_where": "After school 🙂"}


def test_a_page_with_errors_still_catches_a_save_made_elsewhere(client) -> None:
    *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    tab_a = _hidden(client.get(first).text)
    tab_b = _hidden(client.get(first).text)
    assert client.post(first, data={**tab_a, "meeting_where": "At school"}).status_code == 302
    errors = client.post(first, data={**tab_b, "attend": "not-an-option"})
    assert errors.status_code == 200 and "Error:" in errors.text
    again = client.post(first, data={**_hidden(errors.text), "meeting_where": "At home"})
    assert again.status_code == 409


def test_the_choice_is_offered_in_the_childs_language(client) -> None:
    *_, issued = factories.world(age=15, language="ar")
    client.expected_lang = "ar"  # the page audit fails on any English left
    first = child_signs_in(client, issued)
    tab_a = _hidden(client.get(first).text)
    tab_b = _hidden(client.get(first).text)
    client.post(first, data={**tab_a, "meeting_where": "في المدرسة"})
    clash = client.post(first, data={**tab_b, "meeting_where": "في البيت"})
    assert clash.status_code == 409
    assert '<html lang="ar" dir="rtl">' in clash.text
    assert "في المدرسة" in clash.text and "في البيت" in clash.text
