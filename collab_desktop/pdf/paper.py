"""The paper sizes the documents can be laid out for, by the name the preferences store."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, LETTER

PAPER_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}


def page_size(name: str) -> tuple[float, float]:
    """The size in points of paper `name` ("A4" or "Letter"); A4 for anything else."""
    return PAPER_SIZES.get(name, A4)
