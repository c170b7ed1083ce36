"""What makes a passphrase acceptable, and a hint of how strong one is, in plain words.

The advice follows the UK's National Cyber Security Centre: three (or more) random words make
a passphrase that is strong and easy to remember. The rule that refuses is short on purpose
(at least 10 characters, not one character or one run repeated, not a well-known password):
every other judgement is a hint, never a refusal, because rules about digits and symbols
make people write passphrases down. The hint is an estimate, not a promise.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from collab_desktop.services.errors import ValidationError

__all__ = ["MIN_LENGTH", "Strength", "check_passphrase", "strength"]

MIN_LENGTH = 10
FIELD = "passphrase"

# The few passwords that every guesser tries first, and words of this app that a person in a
# hurry might type. Compared without spaces, case or trailing digits.
_KNOWN = {
    "password", "passw0rd", "passphrase", "qwerty", "qwertyuiop", "letmein", "welcome",
    "iloveyou", "abc", "abcdef", "admin", "changeme", "secret", "monkey", "dragon",
    "football", "sunshine", "princess", "collabdesktop", "collab", "charity", "prison",
}  # fmt: skip
_RUNS = ("01234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")


@dataclass(frozen=True)
class Strength:
    """`level` 0 (refused) to 3 (strong), with a short label and one sentence of advice."""

    level: int
    label: str
    advice: str


def _core(passphrase: str) -> str:
    return "".join(c for c in passphrase.lower() if c.isalnum()).rstrip("0123456789!")


def _is_run(text: str) -> bool:
    # "aaaaaaaaaa", "abcabcabcabc", "1234567890", "qwertyuiop": a pattern, not a choice.
    if not text:
        return True
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text == text[:size] * (len(text) // size):
            return True
    return any(text in run or text in run[::-1] for run in _RUNS)


def refusal(passphrase: str) -> str | None:
    """Why this passphrase is refused, in plain words; None if it is acceptable."""
    text = unicodedata.normalize("NFC", passphrase)
    if not text.strip():
        return "Type a passphrase: it is what keeps the records safe if the laptop is lost."
    if len(text) < MIN_LENGTH:
        return (
            f"A passphrase needs at least {MIN_LENGTH} characters; this has {len(text)}. "
            "Three random words, such as “kettle orbit meadow”, are long enough and easy "
            "to remember."
        )
    squashed = "".join(text.lower().split())
    if _is_run(squashed):
        return "That is a pattern (one character or a run repeated), which is guessed at once."
    if _core(text) in _KNOWN:
        return "That is one of the passwords every guesser tries first. Choose another."
    return None


def check_passphrase(passphrase: str) -> None:
    """ValidationError on the field "passphrase" if it is refused (see `refusal`)."""
    reason = refusal(passphrase)
    if reason is not None:
        raise ValidationError.single(FIELD, reason)


def _estimated_bits(text: str) -> float:
    words = [w for w in text.replace("-", " ").replace("_", " ").split() if w]
    # A random English word is worth about 11 bits (a 2,000-word vocabulary).
    by_words = 11.0 * len(words) if len(words) >= 3 else 0.0
    pool = 0
    if any(c.islower() for c in text):
        pool += 26
    if any(c.isupper() for c in text):
        pool += 26
    if any(c.isdigit() for c in text):
        pool += 10
    if any(not c.isalnum() and c.isascii() for c in text):
        pool += 33
    if any(not c.isascii() for c in text):
        pool += 100
    # Repeated characters add little: count the different ones more than the length.
    distinct = len(set(text.lower()))
    effective = min(len(text), distinct * 2)
    # People's choices are far from random: half the bits of a random string, at best.
    by_characters = 0.5 * effective * math.log2(max(pool, 2))
    return max(by_words, by_characters)


def strength(passphrase: str) -> Strength:
    """A hint to show under the passphrase field as it is typed."""
    reason = refusal(passphrase)
    if reason is not None:
        return Strength(0, "Not accepted", reason)
    bits = _estimated_bits(unicodedata.normalize("NFC", passphrase))
    if bits < 40:
        return Strength(1, "Weak", "Accepted, but easy to guess: add another word or two.")
    if bits < 55:
        return Strength(2, "Fair", "Good; one more random word would make it strong.")
    return Strength(3, "Strong", "Keep it somewhere safe, or remember it.")
