"""The plain data a monitoring return's PDF is built from (no ReportLab import: services
build these without loading it). Values arrive as text, already suppressed ("<5") where the
setting says, so a PDF can never show a small number the setting hides."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FigureLine:
    name: str
    breakdown: str  # "" for the figure as a whole
    unit: str
    value: str  # as printed: "12", "2.5", "<5", "—" (not given)
    source: str  # "counted" / "typed"


@dataclass(frozen=True)
class ReturnSheet:
    """One return: printed on one page."""

    collaboration: str
    organisation: str
    period: str  # "Q1 2026"
    dates: str  # "1 January 2026 to 31 March 2026"
    version: int
    status: str  # label
    signed_off: str  # "Tom Rhys, 20 April 2026", or ""
    figures: list[FigureLine]
    went_well: str = ""
    problems: str = ""
    case_study: str = ""
    notices: list[str] = field(default_factory=list)
    queries: list[tuple[str, str]] = field(default_factory=list)  # (question, answer)
    footnote: str = ""  # e.g. "Numbers below 5 are shown as <5."


@dataclass(frozen=True)
class PartnerTable:
    """One partner's figures over the report's periods (one column a period)."""

    organisation: str
    rows: list[tuple[str, list[str]]]  # (figure name, value per period)
    states: list[str]  # per period: "received, version 2", "late", …


@dataclass(frozen=True)
class CollatedReport:
    collaboration: str
    title: str  # "Monitoring returns, 2026"
    periods: list[str]  # column heads
    partners: list[PartnerTable]
    totals: list[tuple[str, list[str]]]  # (figure name, total per period)
    shares: list[tuple[str, list[str]]]  # (partner, "45% (v2)" per period) of attendances
    made_on: str
    footnote: str = ""
