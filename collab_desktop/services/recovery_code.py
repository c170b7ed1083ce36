"""The recovery code: the secret printed on the Recovery sheet. The records key is wrapped by
a key made from it (services/records_key.py, the key file's "recovery" slot), so that the
sheet opens the records, and every backup of them with its copy of the key file, when the
passphrase is forgotten.

Format: 8 groups of 5 characters, e.g. ``7K2QD-M0XN4-...``. In each group the first four are
random and the fifth is a check character, so a typing mistake is found as it is typed, and
the person is told which group to look at again, before any slow work. 32 random characters
of 5 bits each make 160 random bits: far beyond any search, so the wrapping key is made from
them with HKDF (the key-derivation function meant for inputs that are already random), not
with the slow passphrase derivation, which exists to slow the guessing of words people chose.

The alphabet is Crockford's base32: digits and capital letters without I, L, O and U, which
are read or written as 1, 1, 0 and V too easily. When typed back, lower case is accepted,
O is read as 0 and I or L as 1, and spaces and dashes are ignored.
"""

from __future__ import annotations

from collab_desktop.services.errors import ServiceError

__all__ = [
    "GROUPS",
    "MistypedRecoveryCode",
    "SECRET_BYTES",
    "format_code",
    "new_secret",
    "parse_code",
]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
GROUPS = 8
DATA_PER_GROUP = 4
SECRET_BYTES = GROUPS * DATA_PER_GROUP * 5 // 8  # 20 bytes, 160 bits
_WEIGHTS = (1, 3, 5, 7)  # odd, so any single wrong character changes the check


class MistypedRecoveryCode(ServiceError):
    """The code as typed cannot be a recovery code (wrong length, a character that is not in
    it, or a group whose check character does not match). `group` is 1-based, or None."""

    def __init__(self, message: str, group: int | None = None) -> None:
        super().__init__(message)
        self.group = group


def new_secret() -> bytes:
    import secrets  # here, not at start: it loads OpenSSL (hashlib), 3 MiB (issue 17)

    return secrets.token_bytes(SECRET_BYTES)


def _check(values: list[int], group: int) -> int:
    # The group's position counts too, so two groups typed in each other's place are found.
    return (sum(w * v for w, v in zip(_WEIGHTS, values, strict=True)) + 7 * group) % 32


def format_code(secret: bytes) -> str:
    """The code for `secret`, as printed: 8 groups of 5 joined by dashes."""
    if len(secret) != SECRET_BYTES:
        raise ValueError(f"a recovery secret is {SECRET_BYTES} bytes")
    number = int.from_bytes(secret, "big")
    digits = [(number >> (5 * i)) & 31 for i in reversed(range(GROUPS * DATA_PER_GROUP))]
    groups = []
    for g in range(GROUPS):
        values = digits[g * DATA_PER_GROUP : (g + 1) * DATA_PER_GROUP]
        groups.append("".join(ALPHABET[v] for v in values + [_check(values, g)]))
    return "-".join(groups)


def parse_code(text: str) -> bytes:
    """The secret of a typed code; MistypedRecoveryCode says what to look at again."""
    cleaned = "".join(c for c in text.upper() if not c.isspace() and c not in "-–—_.")
    size = GROUPS * (DATA_PER_GROUP + 1)
    for position, char in enumerate(cleaned):
        if char not in _VALUE:
            group = min(position // (DATA_PER_GROUP + 1) + 1, GROUPS)
            raise MistypedRecoveryCode(
                f"“{char}” is not used in recovery codes (group {group}). They hold only "
                "digits and the capital letters A to Z without I, L, O and U.",
                group,
            )
    if len(cleaned) != size:
        raise MistypedRecoveryCode(
            f"A recovery code has {size} letters and digits, in {GROUPS} groups of "
            f"{DATA_PER_GROUP + 1}; this has {len(cleaned)}. Check it against the Recovery "
            "sheet."
        )
    number = 0
    for g in range(GROUPS):
        chunk = cleaned[g * (DATA_PER_GROUP + 1) : (g + 1) * (DATA_PER_GROUP + 1)]
        values = [_VALUE[c] for c in chunk[:DATA_PER_GROUP]]
        if _VALUE[chunk[-1]] != _check(values, g):
            raise MistypedRecoveryCode(
                f"Group {g + 1} of the recovery code ({chunk}) has a typing mistake. Check "
                "it against the Recovery sheet.",
                g + 1,
            )
        for v in values:
            number = (number << 5) | v
    return number.to_bytes(SECRET_BYTES, "big")
