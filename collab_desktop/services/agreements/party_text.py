"""The names in an agreement's text.

Templates, and the drafts made from them, name parts rather than organisations: ``{{lead}}``,
``{{partner}}``, ``{{host}}``…, a particular organisation as ``{{org:<id>}}``, and facts of the
collaboration as ``{{purpose}}``, ``{{site}}``, ``{{activity}}``, ``{{funding}}`` and
``{{lawful_basis}}`` (why personal data is kept: the data-protection section). What the
editor shows and the PDF prints is the text with those filled in from the records as they are
now, so a partner renamed before the version is sent is named rightly everywhere. When the
version is sent for signatures the filled-in text is frozen (and fingerprinted) as it reads.

Going back (what the editor saves) turns the names it shows into tokens again, longest first
and only as whole words, so a name the user types in is kept up to date as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from collab_desktop.models.enums import LAWFUL_BASES, OFFENCE_CONDITIONS

TOKEN = re.compile(r"\{\{([a-z_]+(?::[0-9a-f-]{32,36})?)\}\}")

# How a part reads when no member plays it: the template's wording, so the text stays sense.
ROLE_PHRASES: dict[str, str] = {
    "lead": "the lead partner",
    "partner": "the partner",
    "subcontractor": "the subcontractors",
    "host": "the host",
    "funder": "the funder",
    "referral": "the referral partner",
}
FACTS = ("collaboration", "purpose", "site", "activity", "funding", "lawful_basis")

# When two tokens read the same (the site is the host prison), saving picks the first kind.
_PRIORITY = {"role": 0, "org": 1, "fact": 2}


def join_names(names: Iterable[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def lawful_basis_text(
    lawful_basis: str, offence_condition: str, policy_document: str, policy_where: str
) -> str:
    """The collaboration's reasons for keeping personal data (issue 15), as the agreement's
    data-protection section reads them: a gap says it is a gap, so a draft shows what to
    record before it is sent."""
    if lawful_basis in LAWFUL_BASES and lawful_basis:
        basis = LAWFUL_BASES[lawful_basis].lower()
        parts = [f"Personal information is kept on the lawful basis of {basis} (UK GDPR Art. 6)."]
    else:
        parts = ["The lawful basis for keeping personal information is not yet recorded."]
    if offence_condition in OFFENCE_CONDITIONS and offence_condition:
        condition = _lower_first(OFFENCE_CONDITIONS[offence_condition])
        parts.append(
            "Information about criminal offences is kept under the Data Protection Act 2018 "
            f"condition of {condition}."
        )
    where = " ".join(policy_where.split())
    if policy_document == "yes":
        parts.append(
            "An appropriate policy document is in place" + (f" ({where})." if where else ".")
        )
    elif policy_document == "no":
        parts.append("There is no appropriate policy document yet.")
    return " ".join(parts)


def org_token(organisation_id: object) -> str:
    return f"org:{organisation_id}"


@dataclass(frozen=True)
class TextContext:
    """token key -> the words it stands for, and each key's kind (role, org or fact)."""

    values: dict[str, str]
    kinds: dict[str, str]

    def render(self, text: str) -> str:
        def fill(match: re.Match[str]) -> str:
            key = match.group(1)
            if key not in self.values:
                return match.group(0)  # not ours: left exactly as typed
            value = self.values[key]
            before = text[: match.start()]
            at_start = not before.strip() or bool(re.search(r"([.!?]\s+|\n\s*)$", before))
            return value[:1].upper() + value[1:] if at_start and value else value

        return TOKEN.sub(fill, text)

    def unrender(self, text: str) -> str:
        """The shown text with the names it contains turned back into tokens."""
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}  # part phrases ("the lead partner") in any case
        ranked = sorted(
            self.values.items(), key=lambda kv: (-len(kv[1]), _PRIORITY[self.kinds[kv[0]]])
        )
        for key, value in ranked:
            if not value.strip():
                continue
            if self.kinds[key] == "role" and value == ROLE_PHRASES.get(key):
                folded.setdefault(value.casefold(), key)
            else:
                exact.setdefault(value, key)
        if not exact and not folded:
            return text
        alternatives = [re.escape(v) for v in exact] + [f"(?i:{re.escape(v)})" for v in folded]
        alternatives.sort(key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")

        def token(match: re.Match[str]) -> str:
            found = match.group(0)
            key = exact.get(found) or folded.get(found.casefold())
            return "{{" + key + "}}" if key else found

        # Tokens already in the text are kept whole: only the text between them is searched.
        pieces = TOKEN.split(text)
        out = []
        for i, piece in enumerate(pieces):
            out.append("{{" + piece + "}}" if i % 2 else pattern.sub(token, piece))
        return "".join(out)


def build_context(
    role_names: dict[str, list[str]],
    org_names: dict[str, str],
    facts: dict[str, str],
) -> TextContext:
    """role_names: part -> names of the organisations playing it; org_names: org token key ->
    name; facts: collaboration, purpose, site, activity, funding."""
    values: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for key, name in org_names.items():
        values[key], kinds[key] = name, "org"
    for role, phrase in ROLE_PHRASES.items():
        values[role] = join_names(role_names.get(role, [])) or phrase
        kinds[role] = "role"
    for key in FACTS:
        values[key], kinds[key] = facts.get(key, ""), "fact"
    return TextContext(values, kinds)
