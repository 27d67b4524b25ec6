import string

from hypothesis import given
from hypothesis import strategies as st

from portal.demo import EASTWOLD_CHILDREN, WESTMERE_CHILDREN
from portal.domain import credentials

# Of each look-alike pair at most one is used (6 stays because G is gone).
LOOK_ALIKES = set("0O1IL2Z5S8BG")


def test_codes_avoid_look_alike_and_sound_alike_characters() -> None:
    for _ in range(200):
        code = credentials.new_invitation_code()
        assert len(code) == 11 and code[3] == code[7] == "-"
        assert not LOOK_ALIKES & set(code)
        assert not set("BDPTVEGZ") & set(code)


def test_codes_are_matched_however_they_are_typed() -> None:
    key = "k" * 32
    digest = credentials.code_digest("KX7-M4R-WAC", key)
    for typed in ("kx7m4rwac", " KX7 M4R WAC ", "ｋｘ７-ｍ４ｒ-ｗａｃ", "kx7—m4r—wac"):
        assert credentials.code_digest(typed, key) == digest


def test_code_digest_depends_on_the_key_and_is_not_the_code() -> None:
    a = credentials.code_digest("KX7-M4R-WAC", "a" * 32)
    assert a != credentials.code_digest("KX7-M4R-WAC", "b" * 32)
    assert "KX7" not in a


def test_link_tokens_are_long_random_and_stored_as_digests() -> None:
    tokens = {credentials.new_link_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) >= 43 for t in tokens)
    token = tokens.pop()
    assert credentials.token_digest(token) != token
    assert len(credentials.token_digest(token)) == 64


def test_secrets_match_across_digit_scripts_and_case() -> None:
    hasher = credentials.SecretHasher(time_cost=1, memory_cost=64)
    pin = hasher.hash("4567")
    assert hasher.verify(pin, "٤٥٦٧")  # Arabic-Indic digits
    assert hasher.verify(pin, " 4567 ")
    assert not hasher.verify(pin, "4568")
    word = hasher.hash("Tiger")
    assert hasher.verify(word, "tiger")
    assert "Tiger" not in word and "tiger" not in word


def test_verify_survives_garbage_hashes() -> None:
    hasher = credentials.SecretHasher(time_cost=1, memory_cost=64)
    assert not hasher.verify("not-a-hash", "1234")


def test_new_secret_rules() -> None:
    assert credentials.check_new_secret("123").code == "pin_too_short"  # type: ignore[union-attr]
    assert credentials.check_new_secret("cat").code == "too_short"  # type: ignore[union-attr]
    assert credentials.check_new_secret("x" * 65).code == "too_long"  # type: ignore[union-attr]
    assert credentials.check_new_secret("1234") is None
    assert credentials.check_new_secret("ዳዊት ሓጎስ") is None


def test_five_wrong_tries_lock() -> None:
    assert not credentials.is_locked_after(4)
    assert credentials.is_locked_after(5)


def test_demo_codes_are_valid_codes() -> None:
    for demo in (*EASTWOLD_CHILDREN, *WESTMERE_CHILDREN):
        for invite in demo.invitations:
            assert credentials.looks_like_a_code(invite.code)
            assert credentials.normalise_code(invite.code) == invite.code.replace("-", "")


@given(st.text(alphabet=string.printable + "٠١٢٣٤٥٦٧٨٩ዐ", max_size=80))
def test_normalising_a_code_never_fails_and_keeps_only_code_characters(typed: str) -> None:
    assert set(credentials.normalise_code(typed)) <= set(credentials.CODE_ALPHABET)
