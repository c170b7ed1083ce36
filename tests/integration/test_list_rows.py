"""The list pages' rows read with plain SQL (services/list_rows.py, issue 17): on a bare
sqlite3 (or sqlcipher3) connection they are exactly the rows the services gave before (read
here again as they were, through SQLAlchemy) and give now, in the same order, ties included;
and the module loads without SQLAlchemy, as the pages read ahead while the app is idle need."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from benchmarks.generate import COUNTS, generate
from collab_desktop.models import (
    Activity,
    Agreement,
    AgreementVersion,
    Attendance,
    Clearance,
    Collaboration,
    Contact,
    Enrolment,
    LeaderMinutes,
    Member,
    Organisation,
    Participant,
    Signatory,
    Volunteer,
)
from collab_desktop.models.database import driver_connection
from collab_desktop.models.enums import (
    AGREEMENT_STATUSES,
    CHECKS,
    COLLABORATION_STATUSES,
    MEMBER_ROLES,
    ORGANISATION_KINDS,
    SETTINGS,
    label,
)
from collab_desktop.services import list_rows
from collab_desktop.services.agreements.version_data import ResponsibilityData, SignatoryData
from collab_desktop.services.delivery.activities import ActivityData
from collab_desktop.services.delivery.participants import ParticipantData
from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
from collab_desktop.services.demo import load_demo
from collab_desktop.services.list_rows import (
    AgreementRow,
    CollaborationRow,
    ParticipantRow,
    PartnerRow,
    VolunteerRow,
)
from collab_desktop.services.open_records import Services, open_services
from collab_desktop.services.records_key import create_encrypted
from tests.builders import add_collaboration, add_partner, contact

ROOT = Path(__file__).parents[2]
TODAY = date(2026, 3, 2)


def varied_records(services: Services) -> None:
    """The example data (four collaborations, agreements signed, half signed, ended and in
    draft, a group with its registers and a vetted volunteer) and, through the services,
    what it lacks: partners without contacts, archived, or named in other scripts;
    collaborations whose names differ only in case, with agreements of the same title (a
    tie on every key of the order); a version with a signatory who need not sign; a second
    version; people who left; volunteers with lapsed, current and no clearances."""
    load_demo(services, today=TODAY)
    org = {r.name: r.id for r in services.partners.list_partners()}
    add_partner(services, "Birch Trust", town="Bath")  # no contacts
    cyrillic = add_partner(
        services, "Общество помощи", kind="other", contacts=[contact("Ольга Петрова")]
    )
    greek = add_partner(services, "Ελληνική Κοινότητα", kind="other", town="Λονδίνο")
    add_partner(services, "中华互助会", kind="other")
    add_partner(services, "Ŵyn a'i Ffrindiau", town="Bangor", contacts=[contact("Siân Llŷr")])
    add_partner(services, "émile zola society")
    lower = add_partner(services, "abbey road trust", contacts=[contact("bethan lloyd")])
    old = add_partner(services, "Old Lantern Project", contacts=[contact("Kit Moss")])
    services.partners.set_archived(old, True)
    services.partners.set_archived(org["Voscur"], True)

    fcw, recoop = org["Fine Cell Work"], org["RECOOP"]
    reading = add_collaboration(
        services, "Reading together", [(recoop, "lead"), (fcw, "partner"), (greek, "partner")],
        start_date=date(2025, 9, 1), end_date=date(2027, 8, 31), status="active",
    )  # fmt: skip
    shouting = add_collaboration(
        services, "READING TOGETHER", [(recoop, "lead"), (cyrillic, "partner")],
        setting="community", site="Bristol",
    )  # fmt: skip
    add_collaboration(services, "Читаем вместе", [(cyrillic, "lead")])
    add_collaboration(services, "Nobody yet", [])
    among = add_collaboration(services, "among friends", [(lower, "lead"), (greek, "partner")])
    agreements = services.agreements
    for collaboration in (reading, shouting, reading, among):
        agreements.create_agreement(collaboration, None, "Reading agreement")
    sent = agreements.create_agreement(shouting, None, "Sent, half signed")
    version = agreements.get_version(sent)
    agreements.save_draft(
        replace(
            version,
            responsibilities=[ResponsibilityData(what="Bring the books", organisation_id=recoop)],
            signatories=[
                SignatoryData(name="Tom Rhys", organisation_id=recoop),
                SignatoryData(name="Ольга Петрова", organisation_id=cyrillic),
                SignatoryData(name="Dan Hughes", capacity="witness", required=False),
            ],
            next_review=date(2026, 9, 1),
        )
    )
    agreements.send_for_signatures(sent)
    first = agreements.get_version(sent).signatories[0]
    assert first.id is not None
    agreements.record_signature(first.id, date(2026, 2, 1), "wet_ink", "Tom Rhys")
    signed_off = next(r for r in agreements.list_versions() if r.status == "signed_off")
    agreements.new_version(signed_off.version_id)

    [activity] = services.activities.list_activities()
    # A second activity whose name sorts first only without regard to case: a person on
    # both has them listed in that order, whatever order SQLite finds them in.
    second = services.activities.save_activity(
        ActivityData(
            collaboration_id=reading, name="art for all", weekday=1, start_time=time(10),
            end_time=time(12), starts_on=date(2026, 1, 6),
        ),
        today=TODAY,
    )  # fmt: skip
    people = services.participants
    for name, joined, left, on in (
        ("alex morgan", date(2025, 1, 6), None, [activity.id]),
        ("Alex Morgan", date(2025, 2, 3), date(2025, 12, 1), []),
        ("Дмитрий Иванов", None, None, [activity.id, second]),
        ("Zoë Ärmel", date(2024, 5, 1), None, [second, activity.id]),
        ("Nia Obi", None, None, [second]),
    ):
        people.save_participant(
            ParticipantData(
                display_name=name, reference=f"R-{len(name)}", joined_on=joined, left_on=left,
                activity_ids=on,
            ),
            confirmed=True, today=TODAY,
        )  # fmt: skip
    someone = next(r for r in people.list_participants() if r.activities == activity.name)
    people.leave_activity(someone.id, activity.id, TODAY - timedelta(days=7))

    contacts = {
        c.name: c.id
        for organisation in (fcw, recoop, cyrillic, lower)
        for c in services.partners.get_partner(organisation).contacts
    }
    volunteer = services.volunteers.save_volunteer
    volunteer(VolunteerData(contact_id=contacts["Tomasz Wiśniewski"]))  # no clearance
    volunteer(
        VolunteerData(
            contact_id=contacts["Ольга Петрова"],
            risk_assessed_on=date(2024, 1, 10),
            risk_review_due=date(2025, 1, 10),
            training_on=date(2023, 11, 2),
            clearances=[
                ClearanceData("dbs_enhanced", "", "D1", None, date(2025, 6, 1)),
                ClearanceData("prison_vetting", "HMP Leyhill", "V1", None, date(2025, 7, 1)),
            ],
        )
    )
    volunteer(
        VolunteerData(
            contact_id=contacts["Darren Pike"],
            clearances=[
                ClearanceData("prison_vetting", "HMP Leyhill", "V2", None, date(2027, 1, 1)),
                ClearanceData("prison_vetting", "HMP Bristol", "V3", None, None),
                ClearanceData("dbs_enhanced", "", "D2", None, date(2025, 6, 1)),
            ],
        )
    )
    volunteer(VolunteerData(contact_id=contacts["bethan lloyd"], risk_review_due=TODAY))


def tie_partner_names(path: Path) -> None:
    """Two partners whose names differ only in case, which the services refuse to save (they
    look like one organisation) but which a file from before that rule may hold: a tie in
    the partners' order."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE organisation SET name = 'BIRCH TRUST' WHERE name = 'Rise'")


@pytest.fixture(scope="module")
def varied(tmp_path_factory, migrated_master) -> Path:
    path = tmp_path_factory.mktemp("varied") / "collab-desktop.sqlite3"
    shutil.copyfile(migrated_master, path)
    services = open_services(path)
    try:
        varied_records(services)
    finally:
        services.close()
    tie_partner_names(path)
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """The benchmark's ten years of records at a fiftieth of their size (about a second)."""
    path = tmp_path_factory.mktemp("generated") / "db.sqlite3"
    generate(path, today=TODAY, log=lambda *_: None, counts={k: n // 50 for k, n in COUNTS.items()})
    return path


# -- the lists as the services read them before issue 17's change (commit 676cf05), in
# SQLAlchemy's terms: its types turn the stored values into UUIDs and dates. An oracle that
# shares no code with list_rows, which the services now call too: without it, a broken
# ORDER BY would break both sides alike and go unseen.


def orm_partners(session: Session, include_archived: bool = False) -> list[PartnerRow]:
    contacts = (
        select(Contact.organisation_id, func.count().label("n"))
        .group_by(Contact.organisation_id)
        .subquery()
    )
    query = select(
        Organisation.id, Organisation.name, Organisation.kind, Organisation.town,
        func.coalesce(contacts.c.n, 0), Organisation.archived_at,
    ).outerjoin(contacts, contacts.c.organisation_id == Organisation.id)  # fmt: skip
    if not include_archived:
        query = query.where(Organisation.archived_at.is_(None))
    return [
        PartnerRow(id_.int, name, label(ORGANISATION_KINDS, kind), town, n, archived is not None)
        for id_, name, kind, town, n, archived in session.execute(
            query.order_by(func.lower(Organisation.name))
        )
    ]


def orm_collaborations(session: Session) -> list[CollaborationRow]:
    counts = dict(
        session.execute(
            select(Agreement.collaboration_id, func.count()).group_by(Agreement.collaboration_id)
        ).all()
    )
    collaborations = session.execute(
        select(
            Collaboration.id, Collaboration.name, Collaboration.setting, Collaboration.site,
            Collaboration.status, Collaboration.start_date, Collaboration.end_date,
        ).order_by(func.lower(Collaboration.name))
    ).all()  # fmt: skip
    members: dict[uuid.UUID, list[str]] = {}
    for collaboration_id, organisation, role in session.execute(
        select(Member.collaboration_id, Organisation.name, Member.role)
        .join(Organisation, Member.organisation_id == Organisation.id)
        .order_by(Member.collaboration_id, Member.position)
    ):
        members.setdefault(collaboration_id, []).append(
            f"{organisation} ({label(MEMBER_ROLES, role)})"
        )
    return [
        CollaborationRow(
            id_, name, label(SETTINGS, setting), site, label(COLLABORATION_STATUSES, status),
            ", ".join(members.get(id_, ())), start, end, counts.get(id_, 0),
        )
        for id_, name, setting, site, status, start, end in collaborations
    ]  # fmt: skip


def orm_agreements(session: Session, of: uuid.UUID | None = None) -> list[AgreementRow]:
    signatures = (
        select(
            Signatory.version_id.label("version_id"),
            func.count().label("needed"),
            func.count(Signatory.signed_on).label("signed"),
        )
        .where(Signatory.required.is_(True))
        .group_by(Signatory.version_id)
        .subquery()
    )
    query = (
        select(
            AgreementVersion.id, AgreementVersion.agreement_id, Agreement.collaboration_id,
            Collaboration.name, Agreement.title, AgreementVersion.number,
            AgreementVersion.status, AgreementVersion.fingerprint,
            AgreementVersion.signed_off_on, AgreementVersion.next_review,
            func.coalesce(signatures.c.needed, 0), func.coalesce(signatures.c.signed, 0),
        )
        .join(Agreement, AgreementVersion.agreement_id == Agreement.id)
        .outerjoin(signatures, signatures.c.version_id == AgreementVersion.id)
        .join(Collaboration, Agreement.collaboration_id == Collaboration.id)
        .order_by(func.lower(Collaboration.name), Agreement.title, AgreementVersion.number)
    )  # fmt: skip
    if of is not None:
        query = query.where(Agreement.collaboration_id == of)
    return [
        AgreementRow(
            version.int, agreement, collaboration_id, collaboration, title, number, status,
            label(AGREEMENT_STATUSES, status), fingerprint, signed_off_on, next_review,
            f"{signed} of {needed}",
        )
        for (
            version, agreement, collaboration_id, collaboration, title, number, status,
            fingerprint, signed_off_on, next_review, needed, signed,
        ) in session.execute(query)
    ]  # fmt: skip


def orm_participants(session: Session, include_left: bool = True) -> list[ParticipantRow]:
    query = select(
        Participant.id, Participant.display_name, Participant.reference, Participant.joined_on,
        Participant.left_on,
    )  # fmt: skip
    if not include_left:
        query = query.where(Participant.left_on.is_(None))
    enrolled: dict[uuid.UUID, list[str]] = {}
    for participant_id, activity in session.execute(
        select(Enrolment.participant_id, Activity.name)
        .join(Activity, Enrolment.activity_id == Activity.id)
        .where(Enrolment.left_on.is_(None))
    ):
        enrolled.setdefault(participant_id, []).append(activity)
    counts = dict(
        session.execute(
            select(Attendance.participant_id, func.count()).group_by(Attendance.participant_id)
        ).all()
    )
    rows = [
        ParticipantRow(
            id_.int, name, reference, joined, left,
            ", ".join(sorted(enrolled.get(id_, ()), key=str.casefold)), counts.get(id_, 0),
        )
        for id_, name, reference, joined, left in session.execute(query)
    ]  # fmt: skip
    return sorted(rows, key=lambda r: r.name.lower())


def orm_volunteers(session: Session, today: date) -> list[VolunteerRow]:
    kept: dict[uuid.UUID, list[tuple[str, str, date | None]]] = {}
    for volunteer_id, kind, site, expires_on in session.execute(
        select(
            Clearance.volunteer_id, Clearance.kind, Clearance.site, Clearance.expires_on
        ).order_by(Clearance.volunteer_id, Clearance.position)
    ):
        kept.setdefault(volunteer_id, []).append((kind, site, expires_on))
    rows = []
    for volunteer_id, contact_id, name, organisation, assessed, trained, review, minutes in (
        session.execute(
            select(
                Volunteer.id, Volunteer.contact_id, Contact.name, Organisation.name,
                Volunteer.risk_assessed_on, Volunteer.training_on, Volunteer.risk_review_due,
                func.coalesce(LeaderMinutes.minutes, 0),
            )
            .join(Contact, Volunteer.contact_id == Contact.id)
            .join(Organisation, Contact.organisation_id == Organisation.id)
            .outerjoin(LeaderMinutes, LeaderMinutes.contact_id == Volunteer.contact_id)
        )
    ):  # fmt: skip
        clearances = kept.get(volunteer_id, [])
        expiries = [d for _, _, d in clearances if d]
        upcoming = [d for d in expiries if d >= today]
        attention = []
        if expiries and not upcoming:
            attention.append(f"Clearance expired {max(expiries):%d/%m/%Y}")
        if not clearances:
            attention.append("No clearance recorded")
        if review and review < today:
            attention.append(f"Risk assessment review due {review:%d/%m/%Y}")
        shown = "; ".join(label(CHECKS, k) + (f" ({s})" if s else "") for k, s, _ in clearances)
        rows.append(
            VolunteerRow(
                contact_id, name, organisation, shown, min(upcoming) if upcoming else None,
                assessed, trained, round(minutes / 60, 2), "; ".join(attention),
            )
        )  # fmt: skip
    return sorted(rows, key=lambda r: r.name.casefold())


Read = tuple[Callable[[Any], list], Callable[[], list], Callable[[Session], list]]


def the_reads(services: Services) -> dict[str, Read]:
    """What: (list_rows' function on a connection, the service's read, the oracle's)."""
    some = services.collaborations.list_collaborations()
    of = next(r.id for r in some if r.agreements > 1)
    partners, agreements = services.partners, services.agreements
    people, volunteers = services.participants, services.volunteers
    reads: dict[str, Read] = {
        "partners": (list_rows.partner_rows, partners.list_partners, orm_partners),
        "archived too": (
            lambda c: list_rows.partner_rows(c, True),
            lambda: partners.list_partners(True),
            lambda s: orm_partners(s, True),
        ),
        "collaborations": (
            list_rows.collaboration_rows,
            services.collaborations.list_collaborations,
            orm_collaborations,
        ),
        "agreements": (list_rows.agreement_rows, agreements.list_versions, orm_agreements),
        "of one": (
            lambda c: list_rows.agreement_rows(c, of),
            lambda: agreements.list_versions(of),
            lambda s: orm_agreements(s, of),
        ),
        "participants": (list_rows.participant_rows, people.list_participants, orm_participants),
        "current": (
            lambda c: list_rows.participant_rows(c, False),
            lambda: people.list_participants(False),
            lambda s: orm_participants(s, False),
        ),
    }
    for day in (TODAY, date(2025, 6, 15)):
        reads[f"volunteers {day}"] = (
            lambda c, d=day: list_rows.volunteer_rows(c, d),
            lambda d=day: volunteers.list_volunteers(d),
            lambda s, d=day: orm_volunteers(s, d),
        )
    return reads


def field_types(rows: list) -> list[tuple[type, ...]]:
    def values(row) -> tuple:
        if isinstance(row, tuple):
            return row
        return tuple(getattr(row, f.name) for f in dataclasses.fields(row))

    return [tuple(map(type, values(r))) for r in rows]


class Watched:
    """A connection offering only execute(), as the first page's shared one does
    (quick_open._ReadScope), that keeps the cursors it hands out to see them closed."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self.cursors: list[sqlite3.Cursor] = []

    def execute(self, sql: str, parameters: tuple = ()) -> sqlite3.Cursor:
        cursor = self._connection.execute(sql, parameters)
        self.cursors.append(cursor)
        return cursor

    def all_closed(self) -> bool:
        for cursor in self.cursors:
            try:
                cursor.fetchone()
            except sqlite3.ProgrammingError:  # "Cannot operate on a closed cursor."
                continue
            return False
        return bool(self.cursors)


def compare(path: Path) -> dict[str, list]:
    """Each list read three ways: by list_rows on a bare sqlite3 connection, by the service,
    and by the oracle; the same rows (==, types too) in the same order. Returns them."""
    services = open_services(path)
    try:
        reads = the_reads(services)
        with Session(services.engine) as session:
            expected = {what: oracle(session) for what, (_, _, oracle) in reads.items()}
        for what, (_, service, _) in reads.items():
            assert service() == expected[what], what
    finally:
        services.close()
    with closing(sqlite3.connect(path)) as connection:
        for what, (read, _, _) in reads.items():
            rows = expected[what]
            assert rows, f"no {what} to compare"
            watched = Watched(connection)
            got = read(watched)
            assert watched.all_closed(), what
            assert got == rows, what
            assert [type(r) for r in got] == [type(r) for r in rows], what
            assert field_types(got) == field_types(rows), what
        # Nothing holds the file: with the connection still open, a write goes through at once.
        with closing(sqlite3.connect(path, timeout=0)) as writer, writer:
            writer.execute("UPDATE organisation SET town = town")
    return expected


def test_each_list_on_a_bare_connection_is_the_services_rows_in_their_order(varied):
    rows = compare(varied)
    partners = [r.name for r in rows["archived too"]]
    assert {"Birch Trust", "BIRCH TRUST", "Общество помощи", "中华互助会"} <= set(partners)
    assert any(r.archived for r in rows["archived too"])
    assert len(rows["archived too"]) > len(rows["partners"])
    assert {r.contacts for r in rows["partners"]} >= {0, 1, 2}
    collaborations = [r.name for r in rows["collaborations"]]
    assert {"Reading together", "READING TOGETHER"} <= set(collaborations)
    assert any(r.members.count(",") >= 2 for r in rows["collaborations"])
    # Three versions tie on every key of the order (lower(name), title, number).
    tied = [r for r in rows["agreements"] if r.collaboration.lower() == "reading together"]
    assert len({r.collaboration for r in tied}) == 2 and len(tied) == 4
    assert "1 of 2" in {r.signatures for r in rows["agreements"]}  # the witness need not sign
    assert any(r.number == 2 for r in rows["agreements"])
    assert {"signed_off", "ended", "awaiting_signatures", "draft"} <= {
        r.status for r in rows["agreements"]
    }
    people = rows["participants"]
    assert {"alex morgan", "Alex Morgan", "Дмитрий Иванов"} <= {r.name for r in people}
    assert any(r.left_on for r in people) and len(rows["current"]) < len(people)
    assert any(r.attendances for r in people) and any(r.activities for r in people)
    on_both = [r.activities for r in people if r.name in ("Дмитрий Иванов", "Zoë Ärmel")]
    assert len(on_both) == 2 and all(a.startswith("art for all, ") for a in on_both)
    volunteers = rows[f"volunteers {TODAY}"]
    assert {"No clearance recorded", ""} <= {r.attention for r in volunteers}
    assert any("Clearance expired" in r.attention for r in volunteers)
    assert any(r.next_expiry for r in volunteers)


def test_the_longest_lists_keep_numbers_and_give_each_record_its_uuid(varied):
    # Their ids are kept as numbers (48 bytes, a UUID with its number 104: issue 17's
    # memory budget) and given as the record's UUID, which the dialogs open it by.
    services = open_services(varied)
    try:
        partners = services.partners.list_partners(include_archived=True)
        people = services.participants.list_participants()
        versions = services.agreements.list_versions()
        rows = [*partners, *people]
        assert rows and versions
        assert all(type(r.key) is int and isinstance(r.id, uuid.UUID) for r in rows)
        assert all(type(r.version_key) is int for r in versions)
        assert {r.id for r in partners} == {uuid.UUID(hex=h) for h in _ids(varied, "organisation")}
        assert {r.id for r in people} == {uuid.UUID(hex=h) for h in _ids(varied, "participant")}
        assert {r.version_id for r in versions} == {
            uuid.UUID(hex=h) for h in _ids(varied, "agreement_version")
        }
        one = people[0]
        assert services.participants.get_participant(one.id).display_name == one.name
    finally:
        services.close()


def _ids(path: Path, table: str) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute(f"SELECT id FROM {table}")]


def test_each_list_is_the_services_rows_on_generated_records(generated):
    rows = compare(generated)
    assert len(rows["participants"]) > 100 and len(rows["agreements"]) > 50


@pytest.mark.parametrize("include_left", [True, False])
def test_a_long_lists_first_screen_is_its_first_rows(generated, include_left):
    # What a page clicked before it was read ahead shows at once (ListPage.show_first): the
    # first by name of the same list, with the same activities and counts.
    with closing(sqlite3.connect(generated)) as connection:
        every = list_rows.participant_rows(connection, include_left)
        first = list_rows.participant_rows(connection, include_left, first=50)
    assert len(every) > 100 and len(first) == 50
    names = sorted(row.name.lower() for row in first)  # (among equal names, any may come)
    assert names == sorted(row.name.lower() for row in every)[:50]
    assert set(first) <= set(every)


def test_encrypted_records_read_alike_on_sqlcipher3s_connection(tmp_path):
    database = tmp_path / "data" / "collab-desktop.sqlite3"
    database.parent.mkdir()
    fast = {"kdf": "argon2id", "iterations": 1, "lanes": 1, "memory_kib": 64}
    records, _ = create_encrypted(database, "kettle orbit meadow", kdf=fast)
    services = open_services(records)
    try:
        varied_records(services)
        reads = the_reads(services)
        expected = {what: service() for what, (_, service, _) in reads.items()}
        with Session(services.engine) as session, driver_connection(session) as theirs:
            assert type(theirs).__module__.startswith("sqlcipher3")  # what the services read on
    finally:
        services.close()
    with records.connection("ro") as connection:
        assert type(connection).__module__.startswith("sqlcipher3")
        for what, (read, _, _) in reads.items():
            assert read(connection) == expected[what], what


def test_the_rows_need_neither_sqlalchemy_nor_the_models():
    heavy = ("sqlalchemy", "cryptography", "reportlab", "PySide6")
    code = (
        "import sys, collab_desktop.services.list_rows\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}\n"
        "    or m.startswith('collab_desktop.models.')\n"
        "    and m not in ('collab_desktop.models.enums', 'collab_desktop.models.records_file'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_rows_stay_where_they_were_found():
    from collab_desktop.services.agreements.version_data import AgreementRow
    from collab_desktop.services.collaborations import CollaborationRow
    from collab_desktop.services.delivery.participants import ParticipantRow
    from collab_desktop.services.delivery.volunteers import VolunteerRow
    from collab_desktop.services.partners import PartnerRow

    assert (PartnerRow, CollaborationRow, AgreementRow, ParticipantRow, VolunteerRow) == (
        list_rows.PartnerRow, list_rows.CollaborationRow, list_rows.AgreementRow,
        list_rows.ParticipantRow, list_rows.VolunteerRow,
    )  # fmt: skip
