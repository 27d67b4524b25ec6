from portal.domain.edits import clashes, fingerprint


def test_a_fingerprint_ignores_order_and_empty_answers() -> None:
    assert fingerprint({"a": "1", "b": None, "c": ""}) == fingerprint({"a": "1"})
    assert fingerprint({"a": "1", "b": "2"}) == fingerprint({"b": "2", "a": "1"})
    assert fingerprint({"a": "1"}) != fingerprint({"a": "2"})
    assert fingerprint({"a": "مرحبا 🙂"}) != fingerprint({"a": "مرحبا"})


def test_saving_a_page_nobody_else_changed_is_no_clash() -> None:
    stored = {"where": "At school"}
    assert not clashes(fingerprint(stored), stored, {"where": "At home"})


def test_saving_over_a_page_changed_in_another_tab_is_a_clash() -> None:
    drawn_with = fingerprint({"where": "At school"})
    saved_elsewhere = {"where": "At the library"}
    assert clashes(drawn_with, saved_elsewhere, {"where": "At home"})


def test_sending_the_same_answers_twice_is_no_clash() -> None:
    drawn_with = fingerprint({})
    now_stored = {"where": "At home"}  # the first press saved them
    assert not clashes(drawn_with, now_stored, {"where": "At home"})


def test_a_page_drawn_before_fingerprints_is_trusted() -> None:
    assert not clashes(None, {"where": "At school"}, {"where": "At home"})
    assert not clashes("", {"where": "At school"}, {"where": "At home"})
