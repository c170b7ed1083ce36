"""Where a long word may break at the end of a line in a narrow table column.

ReportLab splits a word too long for its column wherever the column ends, with no hyphen
("acc" / "ommodation"). Given a hyphenator it breaks at the first point that fits and adds
the hyphen. A dictionary (pyphen) would be one more dependency to ship for a few narrow
cells, so this uses the syllable rule of thumb that suits English and Welsh alike: break
between two consonants that sit between vowels (accom-modation), or before a single
consonant between vowels (accommo-dation), never inside a digraph such as th, ch or Welsh
ll, dd, ff, ng, rh.
"""

from __future__ import annotations

from collections.abc import Iterator

_VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûüẁẃŵẅỳýŷÿ")
_DIGRAPHS = {"ch", "sh", "th", "ph", "wh", "ck", "ng", "ll", "dd", "ff", "rh", "gh", "qu"}
MIN_PART = 2  # letters left on either side of a break


def _vowel(ch: str) -> bool:
    return ch.lower() in _VOWELS


def break_points(word: str) -> list[int]:
    """Positions in `word` (after index-1, before index) where a hyphen may go."""
    if not word.isalpha():
        return []
    points = []
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        before, at = word[i - 1], word[i]
        after = word[i + 1] if i + 1 < len(word) else ""
        if after and (at + after).lower() in _DIGRAPHS and not _vowel(before):
            # Before a digraph that starts a syllable: Gwen-llian, bro-ther stays whole.
            if i + 2 < len(word) and _vowel(word[i + 2]) and i >= 2 and _vowel(word[i - 2]):
                points.append(i)
            continue
        if not after or not _vowel(after):
            continue
        pair = (before + at).lower()
        if not _vowel(before) and not _vowel(at):
            if i >= 2 and _vowel(word[i - 2]) and pair not in _DIGRAPHS:
                points.append(i)
        elif _vowel(before) and not _vowel(at):
            points.append(i)
    return points


def hyphenate(word: str) -> Iterator[tuple[str, str]]:
    """ReportLab's hyphenator protocol: (head, tail) pairs, the longest head first."""
    for i in reversed(break_points(word)):
        yield word[:i], word[i:]
