"""Participants: who takes part, with as little personal data as serves, and which activities
they are enrolled in."""

from __future__ import annotations

import difflib
import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from collab_desktop.models import Activity, Attendance, Enrolment, Participant
from collab_desktop.models.database import driver_connection
from collab_desktop.services.errors import InUse, NeedsConfirmation, NotFound, ValidationError
from collab_desktop.services.initials import first_name_and_initial, initials
from collab_desktop.services.list_rows import ParticipantRow, participant_rows
from collab_desktop.services.validation import MAX_NAME, MAX_TEXT, Checker, clean_line


@dataclass
class ParticipantData:
    display_name: str = ""
    reference: str = ""
    joined_on: date | None = None
    left_on: date | None = None
    notes: str = ""
    activity_ids: list[uuid.UUID] = field(default_factory=list)  # enrolled now
    id: uuid.UUID | None = None
    # Issue 15: the language they wish to be addressed in, and what they agreed to.
    preferred_language: str = ""
    consent_notes: str = ""


@dataclass(frozen=True)
class ParticipantChoice:
    id: uuid.UUID
    name: str
    reference: str
    activities: str = ""

    @property
    def label(self) -> str:
        extra = ", ".join(x for x in (self.reference, self.activities) if x)
        return f"{self.name} ({extra})" if extra else self.name


class NameMatches(NeedsConfirmation):
    """The name (or reference number) matches people already recorded. Offer them; save
    again with confirmed=True to record a new person anyway."""

    def __init__(self, name: str, matches: list[ParticipantChoice]) -> None:
        who = "; ".join(m.label for m in matches)
        super().__init__(f"“{name}” looks like someone already recorded: {who}.")
        self.matches = matches


# -- how much of a name a sheet prints -----------------------------------------------------


def printed_name(name: str, mode: str) -> str:
    """The name as an attendance sheet prints it under the activity's setting.

    full: as typed. first_initial: "Peter S." initials: "P. S." Initials follow how people
    write their own (services/initials.py): "Siân Llŷr" is "S. Ll.", "Dafydd ap Gruffydd" is
    "D. G."; letters outside English (Ŵ, Ł) are kept as they are.
    """
    name = " ".join(name.split())
    if mode == "full":
        return name
    shown = first_name_and_initial(name) if mode == "first_initial" else initials(name)
    return shown or "?"


def printed_names(names: list[str], mode: str) -> list[str]:
    """Printed names in alphabetical order. Two people who would print the same (two
    "P. S.") are told apart by a number, in the order of their full names, so that a tick can
    still be matched to a person without printing more of anyone's name."""
    pairs = sorted(
        ((printed_name(n, mode), n) for n in names), key=lambda p: (p[0].casefold(), p[1])
    )
    counts: dict[str, int] = {}
    for shown, _ in pairs:
        counts[shown] = counts.get(shown, 0) + 1
    seen: dict[str, int] = {}
    result = []
    for shown, _ in pairs:
        if counts[shown] > 1:
            seen[shown] = seen.get(shown, 0) + 1
            shown = f"{shown} ({seen[shown]})"
        result.append(shown)
    return result


def sheet_labels(names: dict[uuid.UUID, str], mode: str) -> dict[uuid.UUID, str]:
    """Each person's printed name, numbered as printed_names() numbers them."""
    ordered = sorted(names.items(), key=lambda p: (printed_name(p[1], mode).casefold(), p[1]))
    shown = printed_names([n for _, n in ordered], mode)
    return {pid: label for (pid, _), label in zip(ordered, shown, strict=True)}


def _normal(name: str) -> str:
    return " ".join(re.findall(r"\w+", name.casefold()))


def is_current(e: Enrolment, on: date) -> bool:
    return (e.enrolled_on is None or e.enrolled_on <= on) and (e.left_on is None or e.left_on >= on)


class ParticipantService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def list_participants(
        self, include_left: bool = True, first: int | None = None
    ) -> list[ParticipantRow]:
        """Everyone, by name (or the first so many: list_rows.participant_rows)."""
        # The read the participants page also runs ahead without SQLAlchemy (issue 17).
        with self._sessions() as session, driver_connection(session) as connection:
            return participant_rows(connection, include_left, first)

    def activity_choices(
        self,
        include_finished: bool = True,
        keep: Collection[uuid.UUID] = (),
        today: date | None = None,
    ) -> list[tuple[uuid.UUID, str, str]]:
        """The activities as (id, name, collaboration's name), by name: what a participant's
        dialog lists to tick. Without `include_finished`, only those still running (no end
        date, or one today or later) and those in `keep` (the person's, and any ticked): ten
        years of finished activities made the list long and the dialog slow to open, and
        grew with the years (issue 17). Two columns, not ActivityService.list_activities'
        rows (their facilitators, enrolments and next sessions made opening the dialog wait)."""
        where, parameters = "", ()
        if not include_finished:
            kept = sorted(i.hex for i in keep)  # as stored
            marks = ", ".join("?" * len(kept))
            where = " WHERE a.ends_on IS NULL OR a.ends_on >= ?" + (
                f" OR a.id IN ({marks})" if kept else ""
            )
            parameters = ((today or date.today()).isoformat(), *kept)
        with self._sessions() as session:
            rows = (
                session.connection()
                .exec_driver_sql(
                    "SELECT a.id, a.name, c.name FROM activity AS a"
                    " JOIN collaboration AS c ON a.collaboration_id = c.id"
                    f"{where} ORDER BY lower(a.name)",
                    parameters,
                )
                .all()
            )
        return [(uuid.UUID(hex=id_), name, collaboration) for id_, name, collaboration in rows]

    def get_participant(self, participant_id: uuid.UUID) -> ParticipantData:
        with self._sessions() as session:
            p = session.get(Participant, participant_id)
            if p is None:
                raise NotFound("That participant no longer exists.")
            return ParticipantData(
                id=p.id,
                display_name=p.display_name,
                reference=p.reference,
                joined_on=p.joined_on,
                left_on=p.left_on,
                notes=p.notes,
                activity_ids=[e.activity_id for e in p.enrolments if e.left_on is None],
                preferred_language=p.preferred_language,
                consent_notes=p.consent_notes,
            )

    def similar(
        self, name: str, reference: str = "", exclude: uuid.UUID | None = None
    ) -> list[ParticipantChoice]:
        """People already recorded whose name is (nearly) the same, or whose reference
        number is the same."""
        with self._sessions() as session:
            return _similar(session, name, reference, exclude)

    def validate(self, data: ParticipantData) -> None:
        check = Checker()
        check.required("display_name", data.display_name, "a name (initials will do)")
        check.max_length("display_name", data.display_name, MAX_NAME, "The name")
        check.max_length("reference", data.reference, 60, "The reference number")
        check.max_length("notes", data.notes, MAX_TEXT, "The notes")
        check.max_length("preferred_language", data.preferred_language, 60, "The language")
        check.max_length("consent_notes", data.consent_notes, MAX_TEXT, "The consent notes")
        check.plausible_date("joined_on", data.joined_on, "date joined")
        check.plausible_date("left_on", data.left_on, "date left")
        check.date_order("left_on", data.joined_on, data.left_on, "date joined", "date left")
        if len(set(data.activity_ids)) != len(data.activity_ids):
            check.add("activity_ids", "An activity is listed twice.")
        check.raise_if_any()

    def save_participant(
        self, data: ParticipantData, confirmed: bool = False, today: date | None = None
    ) -> uuid.UUID:
        """Create or update a participant and their enrolments.

        Raises NameMatches (unless confirmed) when a new person's name or reference matches
        someone already recorded, so the user can pick the existing record instead.
        """
        today = today or date.today()
        data.display_name = clean_line(data.display_name)
        data.reference = clean_line(data.reference)
        self.validate(data)
        with self._sessions.begin() as session:
            if not confirmed and data.id is None:
                matches = _similar(session, data.display_name, data.reference, None)
                if matches:
                    raise NameMatches(data.display_name, matches)
            if data.id is None:
                p = Participant()
                session.add(p)
            else:
                p = session.get(Participant, data.id)
                if p is None:
                    raise NotFound("That participant was deleted while you were editing them.")
            for attr in (
                "display_name", "reference", "joined_on", "left_on", "notes",
                "preferred_language", "consent_notes",
            ):  # fmt: skip
                setattr(p, attr, getattr(data, attr))
            session.flush()
            wanted = set(data.activity_ids)
            if data.left_on is not None:
                wanted = set()  # someone who has left is on no more registers
            for e in p.enrolments:
                if e.left_on is None and e.activity_id not in wanted:
                    e.left_on = data.left_on or today
            for activity_id in data.activity_ids:
                if activity_id in wanted:
                    _enrol(session, p, activity_id, data.joined_on or today, strict=False)
            return p.id

    def enrol(
        self, participant_id: uuid.UUID, activity_id: uuid.UUID, on: date | None = None
    ) -> None:
        """Enrol someone in an activity from `on` (today if not given). Enrolling someone who
        is already enrolled is an error, not a second row."""
        with self._sessions.begin() as session:
            p = session.get(Participant, participant_id)
            if p is None:
                raise NotFound("That participant no longer exists.")
            _enrol(session, p, activity_id, on or date.today(), strict=True)

    def leave_activity(
        self, participant_id: uuid.UUID, activity_id: uuid.UUID, on: date | None = None
    ) -> None:
        with self._sessions.begin() as session:
            e = session.scalar(
                select(Enrolment).where(
                    Enrolment.participant_id == participant_id,
                    Enrolment.activity_id == activity_id,
                )
            )
            if e is not None and e.left_on is None:
                e.left_on = on or date.today()

    def enrolled(self, activity_id: uuid.UUID, on: date | None = None) -> list[ParticipantChoice]:
        """Who is enrolled in an activity (on a date, or now), alphabetically."""
        on = on or date.today()
        with self._sessions() as session:
            rows = session.execute(
                select(Participant, Enrolment)
                .join(Enrolment)
                .where(Enrolment.activity_id == activity_id)
                .order_by(func.lower(Participant.display_name))
            ).all()
            return [
                ParticipantChoice(p.id, p.display_name, p.reference)
                for p, e in rows
                if is_current(e, on)
            ]

    def delete_participant(self, participant_id: uuid.UUID) -> None:
        with self._sessions.begin() as session:
            p = session.get(Participant, participant_id)
            if p is None:
                return
            if session.scalar(select(Attendance.id).where(Attendance.participant_id == p.id)):
                raise InUse(
                    f"{p.display_name} has attendance on record, which the figures count. "
                    "Enter the date they left instead."
                )
            session.delete(p)


def _activities(p: Participant) -> str:
    return ", ".join(
        sorted((e.activity.name for e in p.enrolments if e.left_on is None), key=str.casefold)
    )


def _similar(
    session: Session, name: str, reference: str, exclude: uuid.UUID | None
) -> list[ParticipantChoice]:
    wanted = _normal(name)
    ref = reference.strip().casefold()
    people = session.scalars(
        select(Participant).options(
            selectinload(Participant.enrolments).selectinload(Enrolment.activity)
        )
    ).all()
    found = []
    for p in people:
        if p.id == exclude:
            continue
        other = _normal(p.display_name)
        same_ref = bool(ref) and p.reference.strip().casefold() == ref
        close = bool(wanted) and (
            other == wanted or difflib.SequenceMatcher(None, wanted, other).ratio() >= 0.88
        )
        if same_ref or close:
            found.append(ParticipantChoice(p.id, p.display_name, p.reference, _activities(p)))
    return sorted(found, key=lambda c: c.name.casefold())


def _enrol(
    session: Session, p: Participant, activity_id: uuid.UUID, on: date, strict: bool
) -> None:
    a = session.get(Activity, activity_id)
    if a is None:
        raise ValidationError.single("activity_ids", "That activity no longer exists.")
    e = session.scalar(
        select(Enrolment).where(Enrolment.participant_id == p.id, Enrolment.activity_id == a.id)
    )
    if e is None:
        session.add(Enrolment(participant_id=p.id, activity_id=a.id, enrolled_on=on))
    elif e.left_on is None:
        if strict:
            raise ValidationError.single(
                "activity_ids",
                f"{p.display_name} is already enrolled in {a.name}"
                + (f" (since {e.enrolled_on:%d/%m/%Y})." if e.enrolled_on else "."),
            )
    else:
        # Back after a break: the same enrolment row, open again from now.
        e.left_on = None
        e.enrolled_on = on
    session.flush()
