"""The recovery code: printed in groups, typed back with mistakes found group by group."""

from __future__ import annotations

import re

import pytest

from collab_desktop.services.recovery_code import (
    ALPHABET,
    GROUPS,
    SECRET_BYTES,
    MistypedRecoveryCode,
    format_code,
    new_secret,
    parse_code,
)


def test_a_code_is_eight_groups_of_five_and_reads_back():
    for _ in range(50):
        secret = new_secret()
        code = format_code(secret)
        assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{5}-){7}[0-9A-HJKMNP-TV-Z]{5}", code), code
        assert parse_code(code) == secret


def test_secrets_are_random_and_160_bits():
    secrets_seen = {new_secret() for _ in range(100)}
    assert len(secrets_seen) == 100
    assert all(len(s) == SECRET_BYTES == 20 for s in secrets_seen)


def test_typing_is_forgiving_about_case_spaces_and_look_alike_letters():
    secret = bytes(range(20))
    code = format_code(secret)
    typed = code.lower().replace("-", "  ")
    assert parse_code(typed) == secret
    # O for 0 and I or L for 1, the mistakes people make copying by hand.
    looks_alike = code.replace("0", "O").replace("1", "l")
    assert parse_code(looks_alike) == secret


def test_every_single_wrong_character_is_found_in_its_group():
    code = format_code(bytes(range(20)))
    plain = code.replace("-", "")
    for position in range(len(plain)):
        for other in ALPHABET:
            if other == plain[position]:
                continue
            typed = plain[:position] + other + plain[position + 1 :]
            with pytest.raises(MistypedRecoveryCode) as caught:
                parse_code(typed)
            assert caught.value.group == position // 5 + 1
            assert f"Group {position // 5 + 1}" in caught.value.message


def test_two_groups_typed_in_each_others_place_are_found():
    groups = format_code(bytes(range(20))).split("-")
    for i in range(GROUPS):
        for j in range(i + 1, GROUPS):
            if groups[i] == groups[j]:
                continue
            swapped = list(groups)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            with pytest.raises(MistypedRecoveryCode):
                parse_code("-".join(swapped))


def test_wrong_length_and_foreign_characters_say_so():
    code = format_code(bytes(20))
    with pytest.raises(MistypedRecoveryCode, match="has 40 letters and digits.*this has 35"):
        parse_code(code[:-6])
    with pytest.raises(MistypedRecoveryCode, match="“U” is not used") as caught:
        parse_code("U" + code[1:])
    assert caught.value.group == 1
    with pytest.raises(MistypedRecoveryCode):
        parse_code("")


def test_the_printed_format_is_pinned():
    # Sheets in charities' safes hold codes in this form: it must read back for ever.
    assert format_code(bytes(range(20))) == "000GG-40R4Z-0M30S-E2098-185GY-R38EE-1W81E-24GKM"
    assert parse_code("000GG-40R4Z-0M30S-E2098-185GY-R38EE-1W81E-24GKM") == bytes(range(20))
