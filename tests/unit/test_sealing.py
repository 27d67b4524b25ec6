import pytest

from portal.core.sealing import SecretBox, UnreadableSecret

KEY = "a-secret-key-of-at-least-thirty-two-characters"


def test_a_sealed_secret_opens_with_the_same_key_only() -> None:
    box = SecretBox(KEY)
    sealed = box.seal("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert box.open(sealed) == "JBSWY3DPEHPK3PXP"
    assert box.seal("JBSWY3DPEHPK3PXP") != sealed  # a fresh nonce each time
    with pytest.raises(UnreadableSecret, match="SECRET_KEY has changed"):
        SecretBox(KEY + "-rotated").open(sealed)


def test_an_altered_or_plain_value_is_refused_not_misread() -> None:
    box = SecretBox(KEY)
    sealed = box.seal("JBSWY3DPEHPK3PXP")
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    for value in (tampered, "JBSWY3DPEHPK3PXP", "", "٤٥٦٧"):
        with pytest.raises(UnreadableSecret):
            box.open(value)
