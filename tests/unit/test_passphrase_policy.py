"""The passphrase policy: short or patterned ones refused with a reason, a hint for the rest."""

from __future__ import annotations

import pytest

from collab_desktop.services.errors import ValidationError
from collab_desktop.services.passphrase_policy import MIN_LENGTH, check_passphrase, strength


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [
        ("", "Type a passphrase"),
        ("          ", "Type a passphrase"),
        ("short", f"at least {MIN_LENGTH} characters; this has 5"),
        ("aaaaaaaaaaaa", "pattern"),
        ("abcabcabcabc", "pattern"),
        ("1234567890", "pattern"),
        ("qwertyuiop", "pattern"),
        ("Password123!", "every guesser tries first"),
        ("collab desktop", "every guesser tries first"),
    ],
)
def test_a_refused_passphrase_says_why_on_its_field(passphrase, reason):
    with pytest.raises(ValidationError) as caught:
        check_passphrase(passphrase)
    assert list(caught.value.errors) == ["passphrase"]
    assert reason in caught.value.message
    assert strength(passphrase).level == 0


@pytest.mark.parametrize(
    ("passphrase", "level"),
    [
        ("sunflower7", 1),
        ("Tr0ub4dor&3x", 1),  # xkcd 936: looks hard, is not
        ("Blue-Kettle-42", 2),
        ("kettle orbit meadow", 3),
        ("correct horse battery staple", 3),
        ("Gwenllïan's ŵyr o Gymru", 3),
    ],
)
def test_the_hint_grows_with_the_passphrase(passphrase, level):
    check_passphrase(passphrase)  # accepted
    hint = strength(passphrase)
    assert hint.level == level, hint
    assert hint.label and hint.advice


def test_ten_characters_is_the_limit():
    check_passphrase("x" * 9 + "y")
    with pytest.raises(ValidationError):
        check_passphrase("xyzw" * 2 + "q")
