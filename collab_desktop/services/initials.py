"""Initials as people write their own: "Siân Llŷr" is "S. Ll.", "Dafydd ap Gruffydd" is
"D. G.", "Pierre de la Cruz" is "P. C.".

Attendance sheets carried into a prison print initials only, and a volunteer must be able to
match a tick to a person; initials that nobody writes that way ("D. A. G.") are no help.

The rules, and why:

- A word's initial is its first letter with any accents or vowel signs that belong to it
  (decomposed "Ŵ" and a Bengali consonant with its vowel sign stay whole), upper-cased.
- Welsh Ll, Ff, Dd and Rh are single letters of the Welsh alphabet and begin no English name,
  so a word that starts with one keeps it whole ("Ll.", "Ff.", "Rh."). Ch, Ph, Th and Ng are
  Welsh letters too, but in names they far more often begin English (Charles, Philip, Thomas)
  or Vietnamese (Nguyễn) names, whose owners write "C.", "P.", "T." and "N."; they are kept
  whole only in a word that is written in Welsh (it carries a circumflex: â ê î ô û ŵ ŷ).
- Particles that say "son of", "daughter of" or "of" are not initialled when a name follows
  them: Welsh ap, ab, ferch, verch; Irish and Scottish Ó, Ní, Mac, Nic, Mhic, Uí, Ua; Arabic
  bin, ibn, bint; de, del, della, van, von (and der, den, la, le, los after them). Short ones
  that are also ordinary names or words (da, di, do, du, des, dos, das, ten, ter, zu) are
  particles only when written in small letters. The first word of a name is never a particle
  ("Van Morrison" is "V. M."), nor is the last (nothing follows it).
- The Arabic article al-/el-/ul- before a name is skipped ("Ahmed al-Sayed" is "A. S."), as
  is "ال" at the start of a word written in Arabic script, and small-letter d' and l'
  ("Jeanne d'Arc" is "J. A."); "O'Brien" keeps its O.
- Hyphenated parts are each initialled, as the French write Jean-Paul: "J.-P.".
- Scripts without capital letters or spaces between family and given name (Chinese,
  Japanese, Korean) are written as one word, so the initial is the first character, which for
  a Chinese or Korean name is the family name: "王小明" is "王.". Romanising it (W. X.) would
  print what the person never wrote, and printing more characters would print more of their
  name than the setting allows; two such people on one sheet are numbered as any other pair.
  Arabic and Hebrew names are initialled letter by letter in their own script ("م. س.").
"""

from __future__ import annotations

import re
import unicodedata

# Inside a word: letters, the marks that combine with them (any script), digits, apostrophes
# and hyphens. Anything else (spaces, full stops, brackets) separates words.
_IN_WORD = {"L", "M", "N"}
_JOINERS = set("'’-‐")

_ALWAYS_WHOLE = ("ll", "ff", "dd", "rh")
_WHOLE_IN_WELSH = ("ch", "ph", "th", "ng")
_WELSH_MARKS = set("âêîôûŵŷ")

_PARTICLES = {
    # Welsh
    "ap", "ab", "ferch", "verch",
    # Irish and Scottish Gaelic
    "ó", "ní", "mac", "mc", "nic", "mhic", "uí", "ua",
    # Arabic (also in Arabic script)
    "bin", "ibn", "bint", "binti", "بن", "ابن", "بنت",
    # Romance, Dutch, German
    "de", "del", "della", "van", "von",
}  # fmt: skip
_LOWER_CASE_PARTICLES = {"da", "di", "do", "du", "des", "dos", "das", "ten", "ter", "zu"}
# Words that are particles only straight after another particle: "van der Berg", "de la Cruz".
_FOLLOWING_PARTICLES = {"der", "den", "la", "le", "las", "los", "lo", "y"}
_ARTICLE = re.compile(r"^(?:al|el|ul)[-‐]|^(?:d|l)['’]", re.IGNORECASE)
_ARABIC_ARTICLE = "ال"


def name_words(name: str) -> list[str]:
    """The words of a name; each begins with a letter."""
    words: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", name) + " ":
        if unicodedata.category(char)[0] in _IN_WORD or (char in _JOINERS and current):
            current.append(char)
            continue
        word = "".join(current).strip("'’-‐")
        current = []
        while word and not word[0].isalpha():
            word = word[1:]
        if word:
            words.append(word)
    return words


def _is_particle(word: str, previous_was_particle: bool) -> bool:
    folded = word.casefold()
    if folded in _PARTICLES:
        return True
    if word in _LOWER_CASE_PARTICLES:
        return True
    return previous_was_particle and folded in _FOLLOWING_PARTICLES


def significant_words(name: str) -> list[str]:
    """The words that are initialled: particles left out (never the first or last word)."""
    words = name_words(name)
    kept: list[str] = []
    previous = False
    for i, word in enumerate(words):
        inner = 0 < i < len(words) - 1
        previous = inner and _is_particle(word, previous)
        if not previous:
            kept.append(word)
    return kept


def _strip_article(word: str) -> str:
    stripped = _ARTICLE.sub("", word)
    if not stripped or not stripped[0].isalpha():
        return word
    if stripped.startswith(_ARABIC_ARTICLE) and len(stripped) > 3:
        stripped = stripped[len(_ARABIC_ARTICLE) :]
    return stripped


def _first_letter(part: str) -> str:
    """The first letter, with the marks that combine with it, and a Welsh digraph whole."""
    decomposed_marks = 0
    for char in part[1:]:
        if unicodedata.category(char) in ("Mn", "Mc", "Me"):
            decomposed_marks += 1
        else:
            break
    letter = part[: 1 + decomposed_marks]
    pair = part[:2].casefold()
    welsh = any(c in _WELSH_MARKS for c in part.casefold())
    if not decomposed_marks and (pair in _ALWAYS_WHOLE or (welsh and pair in _WHOLE_IN_WELSH)):
        return part[0].upper() + part[1].lower()
    return letter[0].upper() + letter[1:]


def word_initial(word: str) -> str:
    """One word's initial, with its full stop: "Llŷr" is "Ll.", "Jean-Paul" is "J.-P."."""
    word = _strip_article(word)
    parts = [p for p in re.split(r"[-‐]", word) if p and p[0].isalpha()]
    return "-".join(f"{_first_letter(p)}." for p in parts) or f"{word[:1].upper()}."


def initials(name: str) -> str:
    """ "Siân Llŷr" is "S. Ll."; "" when the name has no letters."""
    return " ".join(word_initial(w) for w in significant_words(name))


def first_name_and_initial(name: str) -> str:
    """ "Dafydd ap Gruffydd" is "Dafydd G."; a single name is printed as it is."""
    words = significant_words(name)
    if not words:
        return ""
    if len(words) == 1:
        # A Chinese, Japanese or Korean name is written as one word, family name first: all
        # of it would be the full name, so it prints as initials only.
        return word_initial(words[0]) if _unspaced_script(words[0]) else words[0]
    return f"{words[0]} {word_initial(words[-1])}"


def _unspaced_script(word: str) -> bool:
    return len(word) > 1 and any(
        unicodedata.name(c, "").startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA")) for c in word
    )


def initials_key(text: str) -> str:
    """Initials as a search key, in whatever form they were typed: "M.B.", "m b", "MB" and
    "M. B." are all "mb"; "S. Ll. (2)" is "sll2"."""
    return "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())
