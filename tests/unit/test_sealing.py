import pytest

from portal.domain.sealing import SecretBox, UnreadableSecret

KEY = "a-secret-key-of-at-least-thirty-two-characters"


def test_a_sealed_secret_opens_with_the_same_key_only() -> None:
    box = SecretBox([KEY])
    sealed = box.seal("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert box.open(sealed) == "JBSWY3DPEHPK3PXP"
    assert box.seal("JBSWY3DPEHPK3PXP") != sealed  # a fresh nonce each time
    with pytest.raises(UnreadableSecret, match="SECRET_KEY has changed"):
        SecretBox([KEY + "-rotated"]).open(sealed)


def test_an_altered_or_plain_value_is_refused_not_misread() -> None:
    box = SecretBox([KEY])
    sealed = box.seal("JBSWY3DPEHPK3PXP")
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    for value in (tampered, "JBSWY3DPEHPK3PXP", "", "٤٥٦٧"):
        with pytest.raises(UnreadableSecret):
            box.open(value)


def test_after_a_new_key_old_values_open_and_new_ones_use_the_new_key() -> None:
    old, new = KEY, KEY + "-rotated"
    sealed_before = SecretBox([old]).seal("JBSWY3DPEHPK3PXP")
    rotating = SecretBox([new, old])
    assert rotating.open(sealed_before) == "JBSWY3DPEHPK3PXP"
    assert SecretBox([new]).open(rotating.seal("KRSXG5CTMVRXEZLU")) == "KRSXG5CTMVRXEZLU"
    with pytest.raises(ValueError):
        SecretBox([])
