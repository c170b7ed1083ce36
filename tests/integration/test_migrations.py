"""The schema: migrations from an earlier release, the models matching the migrations, and how
opening a file that is not ours (or is from a newer release) fails."""

from __future__ import annotations

import os
import sqlite3
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from collab_desktop.migrations import current_revision, head_revision, upgrade_to
from collab_desktop.models import Base
from collab_desktop.models.database import make_engine, make_session_factory
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.open_records import known_revisions, open_services, stored_revision
from collab_desktop.services.partners import PartnerData
from tests.builders import add_collaboration, add_partner


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "collab-desktop.sqlite3"


def test_revisions_are_numbered_in_order():
    assert known_revisions()[:2] == ["0001", "0002"]
    assert known_revisions() == sorted(set(known_revisions()))


def test_database_from_revision_0001_is_upgraded_with_nothing_lost(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    upgrade_to(engine, "0001")
    assert current_revision(engine) == "0001"
    engine.dispose()

    # Rows as the first release wrote them (UUIDs as 32 hex digits, naive UTC timestamps).
    org_id, contact_id = uuid.uuid4(), uuid.uuid4()
    stamp = "2025-01-02 03:04:05.000000"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO organisation (id, name, kind, charity_number, company_number, address,"
            " town, postcode, phone, email, website, notes, archived_at, created_at, updated_at)"
            " VALUES (?, ?, 'charity', '1116987', '', '', 'Bristol', '', '', 'info@recoop.example',"
            " '', 'Notes\nover two lines', NULL, ?, ?)",
            (org_id.hex, "RECOOP Cymru ŵ ŷ é", stamp, stamp),
        )
        connection.execute(
            "INSERT INTO contact (id, organisation_id, name, job_title, email, phone, level,"
            " notes, created_at, updated_at)"
            " VALUES (?, ?, 'Siân Rhys', 'Coordinator', '', '', 'strategic', '', ?, ?)",
            (contact_id.hex, org_id.hex, stamp, stamp),
        )
    connection.close()
    assert stored_revision(path) == "0001"

    services = open_services(path)
    try:
        assert stored_revision(path) == known_revisions()[-1]
        (row,) = services.partners.list_partners()
        assert (row.id, row.name, row.town, row.contacts) == (
            org_id,
            "RECOOP Cymru ŵ ŷ é",
            "Bristol",
            1,
        )
        data = services.partners.get_partner(org_id)
        assert (data.charity_number, data.email, data.notes) == (
            "1116987",
            "info@recoop.example",
            "Notes\nover two lines",
        )
        (contact,) = data.contacts
        assert (contact.id, contact.name, contact.level) == (contact_id, "Siân Rhys", "strategic")
        # The upgraded database is fully usable: the old partner joins a new collaboration.
        other = services.partners.save_partner(PartnerData(name="Fine Cell Work"))
        add_collaboration(services, "Needlework", [(other, "lead"), (org_id, "partner")])
        assert services.collaborations.list_collaborations()[0].members.count("(") == 2
    finally:
        services.close()


def test_fresh_database_reaches_the_last_revision(db_path):
    services = open_services(db_path)
    try:
        assert current_revision(services.engine) == head_revision(services.engine)
        assert head_revision(services.engine) == known_revisions()[-1]
        assert stored_revision(db_path) == known_revisions()[-1]
    finally:
        services.close()
    # Opening again is a no-op for the schema.
    again = open_services(db_path)
    again.close()
    assert stored_revision(db_path) == known_revisions()[-1]


# SQLAlchemy does not read back an index of an expression from SQLite (the participants' by
# lower(display_name), migration 0014): that one is checked by the test after this.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_models_match_the_migrated_schema(services):
    with services.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_a_lists_first_screen_of_participants_is_read_by_their_name_index(services):
    # The first hundred by name at once, however many people (migration 0014, issue 17).
    sql = (
        "EXPLAIN QUERY PLAN SELECT * FROM participant WHERE left_on IS NULL"
        " ORDER BY lower(display_name) LIMIT 100"
    )
    with services.engine.connect() as connection:
        plan = " ".join(str(row) for row in connection.exec_driver_sql(sql).fetchall())
    assert "USING INDEX ix_participant_name_order" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_the_sessions_without_a_register_are_counted_from_the_status_index(services):
    # "Needs attention" on the first page: not every session of the last weeks read for its
    # status (migration 0015, issue 17).
    from collab_desktop.services.meetings.attention import _NO_REGISTER

    sql = f"EXPLAIN QUERY PLAN SELECT count(*) FROM ({_NO_REGISTER})"
    with services.engine.connect() as connection:
        rows = connection.exec_driver_sql(sql, ("2026-01-01", "2026-03-01")).fetchall()
    plan = " ".join(str(row) for row in rows)
    assert "USING INDEX ix_activity_session_planned_on (on>? AND on<?)" in plan, plan


def test_no_query_of_the_figures_finds_sessions_by_an_index_of_their_status(services):
    # An index of every session by status once made SQLite find each attendance's earlier
    # sessions by status and date in the figures' query: minutes at four times ten years'
    # scale. The planned sessions' index (a partial one) must never be chosen there.
    from datetime import date

    from sqlalchemy import event

    from tests.delivery_builders import needlework_group

    needlework_group(services)
    statements: list[tuple[str, object]] = []

    def seen(_conn, _cursor, statement, parameters, _context, _many) -> None:
        statements.append((statement, parameters))

    event.listen(services.engine, "before_cursor_execute", seen)
    try:
        services.figures.all_figures(date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 2))
    finally:
        event.remove(services.engine, "before_cursor_execute", seen)
    assert any("activity_session" in sql for sql, _ in statements)
    with services.engine.connect() as connection:
        for sql, parameters in statements:
            if sql.lstrip().upper().startswith("SELECT"):
                rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters)
                plan = " ".join(str(row) for row in rows)
                assert "planned_on" not in plan and "status_on" not in plan, plan


def test_database_from_a_newer_release_is_refused_and_left_unchanged(db_path):
    open_services(db_path).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = db_path.read_bytes()

    with pytest.raises(ServiceError) as caught:
        open_services(db_path)
    assert "newer version" in caught.value.message
    assert db_path.read_bytes() == before
    # Nothing beside it either (the empty lock file of the one-writer lock aside).
    names = sorted(p.name for p in db_path.parent.iterdir() if p.suffix != ".lock")
    assert names == [db_path.name]


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(8192),
        b"SQLite format 3\x00" + os.urandom(4080),  # right header, garbage after
        b"Partners list\nRECOOP, Bristol\n",
    ],
    ids=["random", "bad-sqlite", "text"],
)
def test_a_file_that_is_not_a_database_gives_a_service_error(db_path, content):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    with pytest.raises(ServiceError) as caught:
        open_services(db_path)
    assert db_path.name in caught.value.message
    assert db_path.read_bytes() == content


def test_an_empty_file_is_treated_as_a_new_database(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    open_services(db_path).close()
    assert stored_revision(db_path) == known_revisions()[-1]


def test_foreign_keys_are_enforced_on_session_connections(services):
    sessions = make_session_factory(services.engine)
    with sessions() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert session.execute(text("PRAGMA journal_mode")).scalar_one() == "delete"
    orphan = text(
        "INSERT INTO contact (id, organisation_id, name, job_title, email, phone, level, notes,"
        " created_at, updated_at) VALUES (:id, :org, 'x', '', '', '', 'operational', '',"
        " '2025-01-01', '2025-01-01')"
    )
    with services.engine.connect() as connection, pytest.raises(IntegrityError, match="FOREIGN"):
        connection.execute(orphan, {"id": uuid.uuid4().hex, "org": uuid.uuid4().hex})


def test_folder_names_with_uri_characters(tmp_path):
    """A "#" or "?" once ended the path of the read-only check, which then looked at (and
    created) a different file beside the folder and let any file through."""
    folder = tmp_path / "Charity #1 ? 100% Ŵyn"
    path = folder / "collab-desktop.sqlite3"
    open_services(path).close()
    assert stored_revision(path) == known_revisions()[-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]

    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    with pytest.raises(ServiceError):
        open_services(path)


def test_a_database_of_another_program_is_refused_and_left_unchanged(db_path):
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as connection:
        connection.execute("CREATE TABLE organisation (id INTEGER PRIMARY KEY, title TEXT)")
        connection.execute("INSERT INTO organisation (title) VALUES ('not ours')")
    connection.close()
    before = db_path.read_bytes()
    with pytest.raises(ServiceError) as caught:
        open_services(db_path)
    assert "not a Collab Desktop database" in caught.value.message
    assert db_path.read_bytes() == before


def test_a_database_left_mid_write_by_a_crash_opens_and_is_rolled_back(tmp_path, db_path):
    services = open_services(db_path)
    add_partner(services, "Fine Cell Work")
    services.close()

    # Copy the file and its journal while a big write is half done: that is what a power cut
    # leaves behind (a "hot" journal that must be rolled back before the file is read).
    crashed = tmp_path / "crashed" / db_path.name
    crashed.parent.mkdir()
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("PRAGMA cache_size = 1")  # spill changed pages into the file early
    connection.execute("BEGIN")
    connection.execute("UPDATE organisation SET name = 'half written'")
    connection.execute("CREATE TABLE filler (x)")
    connection.executemany("INSERT INTO filler VALUES (randomblob(2000))", [()] * 300)
    for suffix in ("", "-journal"):
        source = db_path.with_name(db_path.name + suffix)
        crashed.with_name(crashed.name + suffix).write_bytes(source.read_bytes())
    connection.execute("ROLLBACK")
    connection.close()
    assert crashed.with_name(crashed.name + "-journal").exists()

    recovered = open_services(crashed)
    try:
        assert [r.name for r in recovered.partners.list_partners()] == ["Fine Cell Work"]
    finally:
        recovered.close()


def test_a_database_locked_by_another_program_says_so(db_path, monkeypatch):
    open_services(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    real_connect = sqlite3.connect
    # Do not wait the default five seconds for the lock.
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: real_connect(*a, **k, timeout=0.05))
    try:
        with pytest.raises(ServiceError) as caught:
            stored_revision(db_path)
        assert "in use" in caught.value.message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
