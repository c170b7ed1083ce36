"""File names built from what users typed, made safe on Windows, macOS and Linux."""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
# Invisible characters that would make a name read differently from what it is (RLO turns
# "agreement\u202efdp.exe" into "agreementexe.pdf" on screen) or that some systems refuse.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
# Names Windows reserves for devices, with or without an extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}


def safe_filename(text: str, suffix: str = "", limit: int = 120) -> str:
    # Line breaks and tabs separate words; the other control characters are simply dropped.
    name = _INVISIBLE.sub("", re.sub(r"[\t\n\r]", " ", text))
    name = _FORBIDDEN.sub("-", name)
    name = " ".join(name.split()).strip(" .")
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    name = name[:limit].rstrip(" .") or "untitled"
    return f"{name}{suffix}"
