"""File names built from what users typed, made safe on Windows, macOS and Linux."""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# Names Windows reserves for devices, with or without an extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}


def safe_filename(text: str, suffix: str = "", limit: int = 120) -> str:
    name = _FORBIDDEN.sub("-", text)
    name = " ".join(name.split()).strip(" .")
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    name = name[:limit].rstrip(" .") or "untitled"
    return f"{name}{suffix}"
