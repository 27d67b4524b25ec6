"""PINs and secret words: keyed with a server-side key, hashed at OWASP's minimum cost,
never more than one hash at a time a process; old hashes keep working and are replaced."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from flask import Flask
from sqlalchemy import select

from portal.domain import credentials
from portal.domain.credentials import PEPPERED, SecretHasher
from portal.extensions import db
from portal.models import Invitation
from tests import factories
from tests.journeys import SECRET, child_returns, child_signs_in

CHEAP = {"time_cost": 1, "memory_cost": 64}


def _stored(issued: Any) -> str:
    db.session.expire_all()
    invitation = db.session.scalar(select(Invitation).where(Invitation.id == issued.invitation.id))
    assert invitation is not None and invitation.secret_hash is not None
    return invitation.secret_hash


def test_pins_cost_owasps_minimum_and_staff_passwords_keep_the_strong_defaults() -> None:
    hasher = SecretHasher(pepper_keys=["k" * 32])
    # OWASP Password Storage Cheat Sheet, Argon2id: m=19 MiB, t=2, p=1.
    assert hasher.secret_parameters == "m=19456 KiB, t=2, p=1"
    strong = PasswordHasher()
    assert hasher.password_parameters == (
        f"m={strong.memory_cost} KiB, t={strong.time_cost}, p={strong.parallelism}"
    )
    assert strong.memory_cost >= 19456 and strong.time_cost >= 2
    stored = hasher.hash("4821")
    assert stored.startswith(PEPPERED + "$argon2id$v=19$m=19456,t=2,p=1$")
    password = hasher.hash_password("correct horse battery staple")
    assert password.startswith(f"$argon2id$v=19$m={strong.memory_cost},t={strong.time_cost},")


def test_a_stolen_database_alone_cannot_try_the_10000_pins() -> None:
    hasher = SecretHasher(pepper_keys=["the-server-side-key-not-in-the-database"], **CHEAP)
    stored = hasher.hash("4821")
    encoded = stored.removeprefix(PEPPERED)
    assert hasher.verify(stored, "4821") and not hasher.verify(stored, "4822")
    # Someone with the database but not SECRET_KEY can try every PIN against the hash:
    # none of them matches, because the hash is of the keyed PIN.
    plain = PasswordHasher(**CHEAP)
    for pin in range(10_000):
        with pytest.raises(VerificationError):
            plain.verify(encoded, f"{pin:04d}")
    # Nor does a hasher with another key.
    assert not SecretHasher(pepper_keys=["another-key"], **CHEAP).verify(stored, "4821")


def test_digits_in_any_script_and_case_still_match_when_keyed() -> None:
    hasher = SecretHasher(pepper_keys=["k" * 32], **CHEAP)
    assert hasher.verify(hasher.hash("4567"), "٤٥٦٧")
    assert hasher.verify(hasher.hash("Tiger"), " tiger ")


def test_a_secret_chosen_under_an_earlier_key_works_and_moves_to_the_new_key() -> None:
    old = SecretHasher(pepper_keys=["old-key"], **CHEAP).hash("4821")
    rotated = SecretHasher(pepper_keys=["new-key", "old-key"], **CHEAP)
    checked = rotated.verify_and_update(old, "4821")
    assert checked.ok and checked.replacement is not None
    assert SecretHasher(pepper_keys=["new-key"], **CHEAP).verify(checked.replacement, "4821")
    assert rotated.verify_and_update(checked.replacement, "4821").replacement is None
    assert not rotated.verify_and_update(old, "1234").ok


def test_hashes_from_before_the_pepper_still_verify_and_are_replaced() -> None:
    # What the portal stored before: Argon2 of the normalised secret, no key.
    legacy = PasswordHasher(**CHEAP).hash("4821")
    hasher = SecretHasher(pepper_keys=["k" * 32], **CHEAP)
    wrong = hasher.verify_and_update(legacy, "4822")
    assert not wrong.ok and wrong.replacement is None
    right = hasher.verify_and_update(legacy, "4821")
    assert right.ok and right.replacement is not None and right.replacement.startswith(PEPPERED)
    assert hasher.verify(right.replacement, "4821")


def test_a_child_with_a_hash_from_before_signs_in_and_it_is_replaced(
    app: Flask, client, make_client
) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    child_signs_in(client, issued)
    invitation = db.session.get(Invitation, issued.invitation.id)
    assert invitation is not None
    invitation.secret_hash = PasswordHasher(**CHEAP).hash(SECRET)  # as stored before
    db.session.commit()

    wrong = child_returns(make_client(), issued.code, secret="9999")
    assert wrong.status_code == 200
    assert not _stored(issued).startswith(PEPPERED)

    signed = child_returns(make_client(), issued.code)
    assert signed.status_code == 302
    replaced = _stored(issued)
    assert replaced.startswith(PEPPERED)
    assert app.extensions["secret_hasher"].verify(replaced, SECRET)
    # And the next sign-in uses the new hash as it is.
    assert child_returns(make_client(), issued.code).status_code == 302
    assert _stored(issued) == replaced


def test_a_new_pin_is_stored_keyed(app: Flask, client) -> None:
    _la, _iro, _kid, _review, issued = factories.world()
    child_signs_in(client, issued)
    stored = _stored(issued)
    assert stored.startswith(PEPPERED)
    assert SECRET not in stored
    with pytest.raises(VerificationError):
        PasswordHasher().verify(stored.removeprefix(PEPPERED), SECRET)


class _Slow:
    """Stands in for argon2's hasher: notes how many hashes run at once."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self.lock = threading.Lock()

    def _work(self) -> None:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.02)
        with self.lock:
            self.now -= 1

    def hash(self, value: str) -> str:
        self._work()
        return "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA"

    def verify(self, encoded: str, value: str) -> bool:
        self._work()
        return True

    def check_needs_rehash(self, encoded: str) -> bool:
        return False


def test_one_hash_at_a_time_in_a_process_whatever_the_threads() -> None:
    hasher = SecretHasher(pepper_keys=["k" * 32], **CHEAP)
    slow = _Slow()
    hasher._secret_hasher = slow  # type: ignore[assignment]
    hasher._password_hasher = slow  # type: ignore[assignment]
    work = [
        lambda: hasher.hash("4821"),
        lambda: hasher.verify(PEPPERED + "$argon2id$x", "4821"),
        lambda: hasher.hash_password("correct horse"),
        lambda: hasher.verify_password("$argon2id$x", "correct horse"),
    ] * 3
    threads = [threading.Thread(target=job) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert slow.most == 1


def test_the_bound_is_a_setting() -> None:
    assert credentials.CONCURRENT_HASHES == 1
    hasher = SecretHasher(concurrent_hashes=2, **CHEAP)
    slow = _Slow()
    hasher._secret_hasher = slow  # type: ignore[assignment]
    threads = [threading.Thread(target=hasher.hash, args=("4821",)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= slow.most <= 2
